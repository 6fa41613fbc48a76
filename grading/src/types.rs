//! The closed vocabularies of the evaluation: counties, industries, scales,
//! classes, statuses and the tiers of the innovation flags.
//!
//! Each enum knows its spec code (used in files, the database and the API)
//! and its Chinese name (used on screen and accepted as an alias on import).

use serde::{Deserialize, Serialize};

/// Declares a code-backed enum with `code()`, `zh()`, `en()`, `ALL` and a
/// `parse()` accepting the code or the Chinese name. It travels (JSON, the
/// open API, stored details) as its code; reading also takes the code in
/// any case (a class was once written `"a"`).
macro_rules! vocabulary {
    ($(#[$m:meta])* $name:ident { $($variant:ident = $code:literal, $zh:literal, $en:literal;)+ }) => {
        $(#[$m])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($variant,)+ }

        impl Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.code())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let text = std::borrow::Cow::<'de, str>::deserialize(d)?;
                Self::ALL
                    .iter()
                    .copied()
                    .find(|v| v.code().eq_ignore_ascii_case(&text))
                    .ok_or_else(|| {
                        serde::de::Error::unknown_variant(&text, &[$($code,)+])
                    })
            }
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];

            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code,)+ }
            }

            pub fn zh(self) -> &'static str {
                match self { $($name::$variant => $zh,)+ }
            }

            pub fn en(self) -> &'static str {
                match self { $($name::$variant => $en,)+ }
            }

            /// Accepts the spec code or the Chinese name, surrounding blanks ignored.
            pub fn parse(text: &str) -> Option<Self> {
                let t = text.trim();
                Self::ALL.iter().copied().find(|v| v.code() == t || v.zh() == t)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.code())
            }
        }
    };
}

vocabulary! {
    /// The nine evaluation subjects (评价主体).
    County {
        Nanhu = "nanhu", "南湖区", "Nanhu District";
        Xiuzhou = "xiuzhou", "秀洲区", "Xiuzhou District";
        Jiashan = "jiashan", "嘉善县", "Jiashan County";
        Pinghu = "pinghu", "平湖市", "Pinghu City";
        Haiyan = "haiyan", "海盐县", "Haiyan County";
        Haining = "haining", "海宁市", "Haining City";
        Tongxiang = "tongxiang", "桐乡市", "Tongxiang City";
        EconomicDevZone = "economic_dev_zone", "嘉兴经济技术开发区（国际商务区）", "Economic & Technological Development Zone";
        PortZone = "port_zone", "嘉兴港区", "Jiaxing Port Zone";
    }
}

vocabulary! {
    /// Industries as the interchange format names them.
    Industry {
        Dyeing = "dyeing", "印染", "Dyeing";
        Chemical = "chemical", "化工", "Chemicals";
        ChemicalFiber = "chemical_fiber", "化纤", "Chemical fibre";
        Textile = "textile", "纺织", "Textiles";
        Apparel = "apparel", "服装服饰", "Apparel";
        Leather = "leather", "皮革", "Leather";
        Furniture = "furniture", "家具", "Furniture";
        AgriFood = "agri_food", "农副产品加工", "Agri-food processing";
        Other = "other", "其他行业", "Other industries";
        Power = "power", "电厂", "Power plants";
        Gas = "gas", "燃气", "Gas";
        Water = "water", "供排水", "Water supply & drainage";
        WasteIncineration = "waste_incineration", "垃圾焚烧", "Waste incineration";
        Sewage = "sewage", "污水处理", "Sewage treatment";
    }
}

vocabulary! {
    /// 规上 / 规下.
    Scale {
        Above = "above", "规上", "Above-size";
        Below = "below", "规下", "Below-size";
    }
}

vocabulary! {
    /// The four classes, best first; `Ord` follows that order (A < D).
    Class {
        A = "A", "A 优先发展类", "A priority";
        B = "B", "B 提升发展类", "B upgrade";
        C = "C", "C 帮扶转型类", "C transition support";
        D = "D", "D 倒逼整治类", "D forced remediation";
    }
}

vocabulary! {
    /// What the eligibility step decided for an enterprise-year.
    Status {
        Graded = "graded", "参评", "Graded";
        Exempt = "exempt", "暂不评价（新办）", "Exempt (new)";
        Merged = "merged", "并入出租方", "Merged into lessor";
        Excluded = "excluded", "不纳入评价", "Excluded";
    }
}

vocabulary! {
    /// 人才引育 levels.
    Talent {
        None = "none", "无", "None";
        Academician = "academician", "两院院士", "Academician";
        National = "national", "国家级", "National";
        Provincial = "provincial", "省级", "Provincial";
        Municipal = "municipal", "市级", "Municipal";
    }
}

vocabulary! {
    /// National / provincial tier of a post-doctoral station or R&D institution.
    Tier {
        None = "none", "无", "None";
        National = "national", "国家级", "National";
        Provincial = "provincial", "省级", "Provincial";
    }
}

vocabulary! {
    /// Who provides a field (谁提供、谁核对、谁负责). `County` covers what the
    /// county official records (special-rule flags, safety, bonus flags).
    Department {
        Tax = "tax", "税务", "Tax bureau";
        Statistics = "statistics", "统计", "Statistics bureau";
        NaturalResources = "natural_resources", "自然资源", "Natural resources";
        Ecology = "ecology", "生态环境", "Ecology & environment";
        County = "county", "县（市、区）", "County government";
    }
}

impl Class {
    /// One class better; A stays A.
    pub fn up(self) -> Class {
        match self {
            Class::A | Class::B => Class::A,
            Class::C => Class::B,
            Class::D => Class::C,
        }
    }

    /// One class worse; D stays D.
    pub fn down(self) -> Class {
        match self {
            Class::A => Class::B,
            Class::B => Class::C,
            Class::C | Class::D => Class::D,
        }
    }
}

#[allow(clippy::derivable_impls)]
impl Default for County {
    fn default() -> Self {
        County::Nanhu
    }
}

#[allow(clippy::derivable_impls)]
impl Default for Industry {
    fn default() -> Self {
        Industry::Other
    }
}

#[allow(clippy::derivable_impls)]
impl Default for Scale {
    fn default() -> Self {
        Scale::Above
    }
}

#[allow(clippy::derivable_impls)]
impl Default for Talent {
    fn default() -> Self {
        Talent::None
    }
}

#[allow(clippy::derivable_impls)]
impl Default for Tier {
    fn default() -> Self {
        Tier::None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every word travels as its code (what the open API and the rows
    /// hold), and a class stored before as `"a"` still reads.
    #[test]
    fn vocabulary_travels_as_its_code() {
        for c in Class::ALL {
            let json = serde_json::to_string(c).unwrap();
            assert_eq!(json, format!("\"{}\"", c.code()));
            assert_eq!(serde_json::from_str::<Class>(&json).unwrap(), *c);
            let lower = json.to_lowercase();
            assert_eq!(serde_json::from_str::<Class>(&lower).unwrap(), *c);
        }
        for c in County::ALL {
            let json = serde_json::to_string(c).unwrap();
            assert_eq!(json, format!("\"{}\"", c.code()));
            assert_eq!(serde_json::from_str::<County>(&json).unwrap(), *c);
        }
        assert!(serde_json::from_str::<Class>("\"E\"").is_err());
        assert!(serde_json::from_str::<County>("\"南湖区\"").is_err());
    }
}
