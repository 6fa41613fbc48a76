//! Reason codes: why a class differs from the one the score alone gave.

use serde::{Deserialize, Serialize};

/// Every special rule that changed (or fixed) a class, in the order applied.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    UpgradeKeyEnterprise,
    UpgradeTaxPerMu,
    DowngradeLand,
    DowngradeSafety,
    FloorNotD,
    ForcedDZombie,
    ForcedDLand,
    ForcedDSafety,
    ForcedDEnvironment,
    ForcedDDishonesty,
}

impl Reason {
    pub const ALL: &'static [Reason] = &[
        Reason::UpgradeKeyEnterprise,
        Reason::UpgradeTaxPerMu,
        Reason::DowngradeLand,
        Reason::DowngradeSafety,
        Reason::FloorNotD,
        Reason::ForcedDZombie,
        Reason::ForcedDLand,
        Reason::ForcedDSafety,
        Reason::ForcedDEnvironment,
        Reason::ForcedDDishonesty,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Reason::UpgradeKeyEnterprise => "upgrade_key_enterprise",
            Reason::UpgradeTaxPerMu => "upgrade_tax_per_mu",
            Reason::DowngradeLand => "downgrade_land",
            Reason::DowngradeSafety => "downgrade_safety",
            Reason::FloorNotD => "floor_not_d",
            Reason::ForcedDZombie => "forced_d_zombie",
            Reason::ForcedDLand => "forced_d_land",
            Reason::ForcedDSafety => "forced_d_safety",
            Reason::ForcedDEnvironment => "forced_d_environment",
            Reason::ForcedDDishonesty => "forced_d_dishonesty",
        }
    }

    pub fn parse(code: &str) -> Option<Reason> {
        Reason::ALL
            .iter()
            .copied()
            .find(|r| r.code() == code.trim())
    }

    /// Plain Chinese, for the enterprise reading its own grade.
    pub fn zh(self) -> &'static str {
        match self {
            Reason::UpgradeKeyEnterprise => "重点产业链头部企业、拥有国家级研发中心或上市公司，提升一档（特殊规定②）",
            Reason::UpgradeTaxPerMu => "亩均税收超过 50 万元，提升一档（特殊规定④）",
            Reason::DowngradeLand => "占地 10 亩以上的规下企业，下降一档（特殊规定⑥）",
            Reason::DowngradeSafety => "发生 1 起一般生产安全事故或受到 2 次以上非事故类安全生产行政处罚，下降一档（特殊规定⑦）",
            Reason::FloorNotD => "属于高新技术、科技型、关键配套、单项/隐形冠军、民生/应急保障、军工、老字号或自愿参评的新企业，不列入 D 类（特殊规定①②）",
            Reason::ForcedDZombie => "持证用地且连续两年以上无营业收入、无实缴税金（“僵尸”企业），直接认定为 D 类（特殊规定⑤）",
            Reason::ForcedDLand => "占地 20 亩以上的规下企业，直接列入 D 类（特殊规定⑥）",
            Reason::ForcedDSafety => "发生较大及以上生产安全事故或 2 起以上一般生产安全事故，直接列入 D 类（特殊规定⑦）",
            Reason::ForcedDEnvironment => "发生重大突发环境事件，直接列入 D 类（特殊规定⑦）",
            Reason::ForcedDDishonesty => "列入严重失信名单，直接列入 D 类（特殊规定⑦）",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            Reason::UpgradeKeyEnterprise => "Key chain leader, national R&D centre or listed company: up one class (rule 2)",
            Reason::UpgradeTaxPerMu => "Tax per mu above 500,000 yuan: up one class (rule 4)",
            Reason::DowngradeLand => "Below-size enterprise on 10 mu or more: down one class (rule 6)",
            Reason::DowngradeSafety => "One general safety accident or two safety penalties: down one class (rule 7)",
            Reason::FloorNotD => "Protected enterprise or opted-in new enterprise: not class D (rules 1, 2)",
            Reason::ForcedDZombie => "Land held with no revenue and no tax for two years or more (zombie): class D (rule 5)",
            Reason::ForcedDLand => "Below-size enterprise on 20 mu or more: class D (rule 6)",
            Reason::ForcedDSafety => "Larger safety accident or two general accidents: class D (rule 7)",
            Reason::ForcedDEnvironment => "Major environmental incident: class D (rule 7)",
            Reason::ForcedDDishonesty => "On the severe dishonesty list: class D (rule 7)",
        }
    }
}

impl std::fmt::Display for Reason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

/// The reasons of one grade, in the order applied: at most one upgrade, one
/// downgrade, the not-D floor and one forced D. `Copy`, so the results of a
/// whole city carry them without an allocation per row.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Reasons([Option<Reason>; 4]);

impl Reasons {
    pub fn push(&mut self, r: Reason) {
        if let Some(slot) = self.0.iter_mut().find(|s| s.is_none()) {
            *slot = Some(r);
        }
    }

    pub fn iter(&self) -> impl Iterator<Item = Reason> + '_ {
        self.0.iter().map_while(|r| *r)
    }

    pub fn is_empty(&self) -> bool {
        self.0[0].is_none()
    }

    pub fn to_vec(&self) -> Vec<Reason> {
        self.iter().collect()
    }
}
