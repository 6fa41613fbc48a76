//! The interchange columns of `data-format.md`: names, Chinese aliases,
//! types, providing departments, and the parsing of one cell. Used by the
//! importer, the batch command and the browser form alike, so a bad value
//! gets the same message everywhere.

use crate::input::Enterprise;
use crate::types::{County, Department, Industry, Scale, Talent, Tier};
use crate::uscc::Uscc;
use crate::words::Words;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Uscc,
    OptUscc,
    Text,
    County,
    Industry,
    Scale,
    Year,
    /// A decimal; `true` when it must be ≥ 0.
    Number(bool),
    /// A whole number ≥ 0.
    Count,
    Bool,
    Talent,
    Tier,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Column {
    pub key: &'static str,
    pub zh: &'static str,
    /// The English name, for pages in English (files use `key` or `zh`).
    pub en: &'static str,
    pub kind: Kind,
    pub department: Department,
    pub required: bool,
}

const fn col(
    key: &'static str,
    zh: &'static str,
    en: &'static str,
    kind: Kind,
    department: Department,
) -> Column {
    Column {
        key,
        zh,
        en,
        kind,
        department,
        required: false,
    }
}

const fn req(key: &'static str, zh: &'static str, en: &'static str, kind: Kind) -> Column {
    Column {
        key,
        zh,
        en,
        kind,
        department: Department::County,
        required: true,
    }
}

use Department::{County as Cty, Ecology as Eco, NaturalResources as Nr, Statistics as Stat, Tax};
use Kind::*;

/// Every column, in the order exports write them.
pub const COLUMNS: &[Column] = &[
    req(
        "uscc",
        "统一社会信用代码",
        "Unified social credit code",
        Kind::Uscc,
    ),
    req("name", "企业名称", "Enterprise name", Text),
    req("county", "县（市、区）", "County", Kind::County),
    req("industry", "行业", "Industry", Kind::Industry),
    req("scale", "规模", "Size", Kind::Scale),
    req("year", "年度", "Year", Year),
    col("land_mu", "用地面积（亩）", "Land (mu)", Number(true), Nr),
    col(
        "tax_wan",
        "实缴税金（万元）",
        "Tax paid (10k yuan)",
        Number(false),
        Tax,
    ),
    col(
        "revenue_wan",
        "主营业务收入（万元）",
        "Main business revenue (10k yuan)",
        Number(false),
        Stat,
    ),
    col(
        "value_added_wan",
        "工业增加值（万元）",
        "Industrial value added (10k yuan)",
        Number(false),
        Stat,
    ),
    col(
        "rnd_wan",
        "研发经费（万元）",
        "R&D spending (10k yuan)",
        Number(true),
        Stat,
    ),
    col(
        "energy_tce",
        "综合能耗（吨标准煤）",
        "Energy use (tce)",
        Number(true),
        Stat,
    ),
    col(
        "emission_t",
        "排污权（吨）",
        "Emission rights (t)",
        Number(true),
        Eco,
    ),
    col("no_emission", "确无排放", "No emissions", Bool, Eco),
    col(
        "employees",
        "年平均职工人数",
        "Average employees",
        Count,
        Stat,
    ),
    col(
        "years_in_production",
        "投产年限",
        "Years in production",
        Number(true),
        Cty,
    ),
    col(
        "years_since_upgrade",
        "升规年限",
        "Years above size",
        Number(true),
        Cty,
    ),
    col(
        "re_upgraded",
        "退规后再升规",
        "Back above size after dropping",
        Bool,
        Cty,
    ),
    col(
        "opt_in",
        "新企业自愿参评",
        "New enterprise opting in",
        Bool,
        Cty,
    ),
    col(
        "lessor_uscc",
        "出租方统一社会信用代码",
        "Lessor's credit code",
        OptUscc,
        Cty,
    ),
    col(
        "zero_revenue_tax_years",
        "连续无营收无税年数",
        "Years without revenue or tax",
        Count,
        Cty,
    ),
    col(
        "chain_head",
        "重点产业链头部企业",
        "Industry-chain leader",
        Bool,
        Cty,
    ),
    col(
        "national_rnd_center",
        "国家级研发中心",
        "National R&D centre",
        Bool,
        Cty,
    ),
    col("listed", "上市公司", "Listed company", Bool, Cty),
    col(
        "high_tech_valid",
        "有效期内高新技术企业",
        "High-tech enterprise (valid)",
        Bool,
        Cty,
    ),
    col("tech_sme", "科技型企业", "Tech SME", Bool, Cty),
    col(
        "key_supporting",
        "重点产业链关键配套企业",
        "Key chain supplier",
        Bool,
        Cty,
    ),
    col(
        "single_champion",
        "单项冠军",
        "Single-product champion",
        Bool,
        Cty,
    ),
    col("hidden_champion", "隐形冠军", "Hidden champion", Bool, Cty),
    col(
        "livelihood_key",
        "重点民生保障生产企业",
        "Key livelihood producer",
        Bool,
        Cty,
    ),
    col(
        "emergency_key",
        "重点应急保障生产企业",
        "Key emergency producer",
        Bool,
        Cty,
    ),
    col("military", "军工类企业", "Defence industry", Bool, Cty),
    col(
        "time_honored",
        "中华老字号",
        "China Time-honored Brand",
        Bool,
        Cty,
    ),
    col(
        "general_accidents",
        "一般生产安全事故（起）",
        "Ordinary safety accidents",
        Count,
        Cty,
    ),
    col(
        "larger_accidents",
        "较大及以上生产安全事故（起）",
        "Larger safety accidents",
        Count,
        Cty,
    ),
    col(
        "safety_penalties",
        "非事故类安全生产行政处罚（次）",
        "Safety penalties (non-accident)",
        Count,
        Cty,
    ),
    col(
        "major_env_incident",
        "重大突发环境事件",
        "Major environmental incident",
        Bool,
        Eco,
    ),
    col(
        "severe_dishonesty",
        "严重失信名单",
        "Serious dishonesty list",
        Bool,
        Cty,
    ),
    col("talent", "人才引育", "Talent programme", Kind::Talent, Cty),
    col(
        "postdoc",
        "博士后工作站",
        "Postdoctoral workstation",
        Kind::Tier,
        Cty,
    ),
    col(
        "rnd_institution",
        "研发机构",
        "R&D institution",
        Kind::Tier,
        Cty,
    ),
    col(
        "high_tech_recent",
        "近三年获评高新技术企业",
        "High-tech in the last three years",
        Bool,
        Cty,
    ),
    col(
        "quality_exposure",
        "质量问题曝光",
        "Quality problem exposed",
        Bool,
        Cty,
    ),
    col(
        "industry_leader",
        "行业领跑者",
        "Industry front-runner",
        Bool,
        Cty,
    ),
];

/// The column a header names (English name or Chinese alias; a BOM and
/// surrounding blanks are ignored).
pub fn column(header: &str) -> Option<&'static Column> {
    let h = header.trim_start_matches('\u{feff}').trim();
    COLUMNS.iter().find(|c| c.key == h || c.zh == h)
}

impl Column {
    /// A stored value in people's words (Chinese): names for the county,
    /// industry, scale and tiers, 是/否 for flags; numbers and text as they
    /// are. What cannot be read stays as typed.
    pub fn words(&self, value: &str) -> String {
        self.words_in(value, true)
    }

    /// [`Column::words`] in Chinese (`zh`) or English.
    pub fn words_in(&self, value: &str, zh: bool) -> String {
        macro_rules! pick {
            ($t:ty) => {
                <$t>::parse(value).map(|v| if zh { v.zh() } else { v.en() })
            };
        }
        let named = match self.kind {
            Kind::County => pick!(County),
            Kind::Industry => pick!(Industry),
            Kind::Scale => pick!(Scale),
            Kind::Talent => pick!(Talent),
            Kind::Tier => pick!(Tier),
            Kind::Bool => match (parse_bool(value), zh) {
                (Ok(true), true) => Some("是"),
                (Ok(false), true) => Some("否"),
                (Ok(true), false) => Some("yes"),
                (Ok(false), false) => Some("no"),
                (Err(_), _) => None,
            },
            _ => None,
        };
        named.map_or_else(|| value.to_string(), str::to_string)
    }

    /// The column's name in Chinese (`zh`) or English.
    pub fn label(&self, zh: bool) -> &'static str {
        if zh {
            self.zh
        } else {
            self.en
        }
    }
}

pub fn column_by_key(key: &str) -> Option<&'static Column> {
    COLUMNS.iter().find(|c| c.key == key)
}

/// A plain decimal (`-12`, `3.50`): no thousands separators, no exponent.
pub fn parse_decimal(text: &str) -> Result<f64, Words> {
    let t = text.trim();
    let body = t.strip_prefix('-').unwrap_or(t);
    let (int, frac) = match body.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (body, None),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(int) || frac.is_some_and(|f| !digits(f)) {
        return Err(Words::new(
            format!("“{t}”不是数字（应为普通小数，不带千分位或单位）"),
            format!(
                "\"{t}\" is not a number (a plain decimal, without thousands separators or units)"
            ),
        ));
    }
    let v = t
        .parse::<f64>()
        .map_err(|_| Words::new(format!("“{t}”不是数字"), format!("\"{t}\" is not a number")))?;
    // 400 digits parse to infinity: no figure of the scheme is that large,
    // and an infinite one would poison every sum it enters.
    if !v.is_finite() {
        return Err(Words::new(
            format!("“{}”超出可处理的数值范围", shorten(t)),
            format!("\"{}\" is too large a number", shorten(t)),
        ));
    }
    Ok(v)
}

/// A long cell shortened for a message.
fn shorten(t: &str) -> String {
    if t.chars().count() <= 24 {
        return t.to_string();
    }
    let head: String = t.chars().take(20).collect();
    format!("{head}…（共 {} 位）", t.chars().count())
}

pub fn parse_bool(text: &str) -> Result<bool, Words> {
    let t = text.trim();
    // What files hold, first; the rest compared without folding into a new
    // string: an import reads twenty of these per row.
    match t {
        "false" | "" => return Ok(false),
        "true" => return Ok(true),
        _ => {}
    }
    let is = |w: &str| t.eq_ignore_ascii_case(w);
    if t.is_empty() || is("false") || t == "0" || is("no") || t == "否" {
        Ok(false)
    } else if is("true") || t == "1" || is("yes") || t == "是" {
        Ok(true)
    } else {
        let t = t.to_ascii_lowercase();
        Err(Words::new(
            format!("“{t}”不是是/否（可填 true/false、1/0、yes/no、是/否）"),
            format!("\"{t}\" is not yes or no (true/false, 1/0, yes/no or 是/否)"),
        ))
    }
}

fn parse_count(text: &str) -> Result<u32, Words> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(0);
    }
    t.parse::<u32>().map_err(|_| {
        Words::new(
            format!("“{t}”不是非负整数"),
            format!("\"{t}\" is not a whole number of zero or more"),
        )
    })
}

fn enum_error(text: &str, allowed: &[&str]) -> Words {
    let t = text.trim();
    Words::new(
        format!("“{t}”不是有效取值（可选：{}）", allowed.join("、")),
        format!(
            "\"{t}\" is not one of the allowed values ({})",
            allowed.join(", ")
        ),
    )
}

/// Where a column's value goes in an [`Enterprise`], worked out once per
/// column rather than once per cell (a file of 200,000 rows has 8.8 million).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Target {
    Uscc,
    Name,
    County,
    Industry,
    Scale,
    Year,
    Lessor,
    Talent,
    Postdoc,
    RndInstitution,
    Employees,
    Number(usize),
    Count(usize),
    Bool(usize),
    Unknown,
}

fn target_of(c: &Column) -> Target {
    let pos = |keys: &[&str]| keys.iter().position(|k| *k == c.key);
    match (c.key, c.kind) {
        ("uscc", _) => Target::Uscc,
        ("name", _) => Target::Name,
        ("county", _) => Target::County,
        ("industry", _) => Target::Industry,
        ("scale", _) => Target::Scale,
        ("year", _) => Target::Year,
        ("lessor_uscc", _) => Target::Lessor,
        ("talent", _) => Target::Talent,
        ("postdoc", _) => Target::Postdoc,
        ("rnd_institution", _) => Target::RndInstitution,
        ("employees", _) => Target::Employees,
        (_, Number(_)) => pos(NUMBER_KEYS).map_or(Target::Unknown, Target::Number),
        (_, Count) => pos(COUNT_KEYS).map_or(Target::Unknown, Target::Count),
        (_, Bool) => pos(BOOL_KEYS).map_or(Target::Unknown, Target::Bool),
        _ => Target::Unknown,
    }
}

/// Sets one field of `e` from a cell's text, or says why it cannot.
pub fn set_field(e: &mut Enterprise, c: &Column, text: &str) -> Result<(), Words> {
    apply(e, c, target_of(c), text)
}

fn apply(e: &mut Enterprise, c: &Column, target: Target, text: &str) -> Result<(), Words> {
    let t = text.trim();
    if c.required && t.is_empty() {
        return Err(Words::new("必填，不能为空", "required; may not be empty"));
    }
    let uscc = |t: &str| Uscc::parse(t).map(String::from).map_err(|err| err.words());
    match target {
        Target::Uscc => e.uscc = uscc(t)?,
        Target::Name => e.name = t.to_string(),
        Target::County => {
            e.county = County::parse(t).ok_or_else(|| {
                enum_error(t, &County::ALL.iter().map(|c| c.code()).collect::<Vec<_>>())
            })?
        }
        Target::Industry => {
            e.industry = Industry::parse(t).ok_or_else(|| {
                enum_error(
                    t,
                    &Industry::ALL.iter().map(|c| c.code()).collect::<Vec<_>>(),
                )
            })?
        }
        Target::Scale => {
            e.scale =
                Scale::parse(t).ok_or_else(|| enum_error(t, &["above", "below", "规上", "规下"]))?
        }
        Target::Year => {
            e.year = t
                .parse::<i32>()
                .ok()
                .filter(|y| (1990..=2100).contains(y))
                .ok_or_else(|| {
                    Words::new(
                        format!("“{t}”不是有效年度"),
                        format!("\"{t}\" is not a valid year"),
                    )
                })?
        }
        Target::Lessor => e.lessor_uscc = if t.is_empty() { None } else { Some(uscc(t)?) },
        Target::Talent => {
            e.talent = if t.is_empty() {
                Talent::None
            } else {
                Talent::parse(t).ok_or_else(|| {
                    enum_error(t, &Talent::ALL.iter().map(|c| c.code()).collect::<Vec<_>>())
                })?
            }
        }
        Target::Postdoc | Target::RndInstitution => {
            let v = if t.is_empty() {
                Tier::None
            } else {
                Tier::parse(t).ok_or_else(|| enum_error(t, &["none", "national", "provincial"]))?
            };
            match target {
                Target::Postdoc => e.postdoc = v,
                _ => e.rnd_institution = v,
            }
        }
        Target::Number(i) => {
            let v = if t.is_empty() {
                None
            } else {
                let v = parse_decimal(t)?;
                if matches!(c.kind, Number(true)) && v < 0.0 {
                    return Err(Words::new(
                        format!("不能为负数（{t}）"),
                        format!("may not be negative ({t})"),
                    ));
                }
                Some(v)
            };
            *number_at(e, i) = v;
        }
        Target::Employees => {
            e.employees = if t.is_empty() {
                None
            } else {
                Some(f64::from(parse_count(t)?))
            };
        }
        Target::Count(i) => *count_at(e, i) = parse_count(t)?,
        Target::Bool(i) => *bool_at(e, i) = parse_bool(t)?,
        Target::Unknown => return Err(Words::new("未知字段", "unknown field")),
    }
    Ok(())
}

/// Whether a field holds nothing a record stores: empty, or the default
/// (`false`, `0`, `none`) that records leave out. Decided from the value,
/// without writing its text.
pub fn is_unset(e: &Enterprise, c: &Column) -> bool {
    match target_of(c) {
        Target::Lessor => e.lessor_uscc.is_none(),
        Target::Talent => e.talent == Talent::None,
        Target::Postdoc => e.postdoc == Tier::None,
        Target::RndInstitution => e.rnd_institution == Tier::None,
        Target::Employees => e.employees.is_none(),
        Target::Number(i) => number_get(e, i).is_none(),
        Target::Count(i) => count_get(e, i) == 0,
        Target::Bool(i) => !bool_get(e, i),
        Target::Name => e.name.is_empty(),
        Target::Uscc
        | Target::County
        | Target::Industry
        | Target::Scale
        | Target::Year
        | Target::Unknown => false,
    }
}

/// The text an export writes for a field; it re-imports to the same value.
pub fn field_text(e: &Enterprise, c: &Column) -> String {
    let num = |v: Option<f64>| v.map(|x| x.to_string()).unwrap_or_default();
    match (c.key, c.kind) {
        ("uscc", _) => e.uscc.clone(),
        ("name", _) => e.name.clone(),
        ("county", _) => e.county.code().into(),
        ("industry", _) => e.industry.code().into(),
        ("scale", _) => e.scale.code().into(),
        ("year", _) => e.year.to_string(),
        ("lessor_uscc", _) => e.lessor_uscc.clone().unwrap_or_default(),
        ("talent", _) => e.talent.code().into(),
        ("postdoc", _) => e.postdoc.code().into(),
        ("rnd_institution", _) => e.rnd_institution.code().into(),
        ("employees", _) => num(e.employees),
        (key, Number(_)) => num(number_value(e, key)),
        (key, Count) => count_value(e, key).to_string(),
        (key, Bool) => bool_value(e, key).to_string(),
        _ => String::new(),
    }
}

/// For each group of same-typed fields: their keys, the field at a
/// position (for parsing, by [`Target`]) and the value by key (for export).
macro_rules! slots {
    ($keys:ident, $at:ident, $get:ident, $value:ident, $t:ty, [$($f:ident),+]) => {
        const $keys: &[&str] = &[$(stringify!($f)),+];
        fn $get(e: &Enterprise, i: usize) -> $t {
            [$(&e.$f),+].into_iter().nth(i).cloned().unwrap_or_default()
        }
        fn $at(e: &mut Enterprise, i: usize) -> &mut $t {
            [$(&mut e.$f),+].into_iter().nth(i).expect("a position of this group")
        }
        pub fn $value(e: &Enterprise, key: &str) -> $t {
            match key { $(stringify!($f) => e.$f.clone(),)+ _ => Default::default() }
        }
    };
}

slots!(
    NUMBER_KEYS,
    number_at,
    number_get,
    number_value,
    Option<f64>,
    [
        land_mu,
        tax_wan,
        revenue_wan,
        value_added_wan,
        rnd_wan,
        energy_tce,
        emission_t,
        years_in_production,
        years_since_upgrade
    ]
);
slots!(
    COUNT_KEYS,
    count_at,
    count_get,
    count_value,
    u32,
    [
        zero_revenue_tax_years,
        general_accidents,
        larger_accidents,
        safety_penalties
    ]
);
slots!(
    BOOL_KEYS,
    bool_at,
    bool_get,
    bool_value,
    bool,
    [
        no_emission,
        re_upgraded,
        opt_in,
        chain_head,
        national_rnd_center,
        listed,
        high_tech_valid,
        tech_sme,
        key_supporting,
        single_champion,
        hidden_champion,
        livelihood_key,
        emergency_key,
        military,
        time_honored,
        major_env_incident,
        severe_dishonesty,
        high_tech_recent,
        quality_exposure,
        industry_leader
    ]
);

/// A cell that could not be read, with the column's name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    pub column: &'static str,
    pub reason: Words,
}

/// Checks a header row: every header known, none twice, the required present.
pub fn map_headers(headers: &[String]) -> Result<Vec<&'static Column>, Vec<Words>> {
    let mut cols = Vec::new();
    let mut errors = Vec::new();
    for h in headers {
        let h = h.trim();
        match column(h) {
            Some(c) if cols.contains(&c) => errors.push(Words::new(
                format!("列“{h}”重复（{}）", c.key),
                format!("Column “{h}” appears twice ({})", c.key),
            )),
            Some(c) => cols.push(c),
            None => errors.push(Words::new(
                format!("未知列“{h}”"),
                format!("Unknown column “{h}”"),
            )),
        }
    }
    for c in COLUMNS.iter().filter(|c| c.required) {
        if !cols.contains(&c) {
            errors.push(Words::new(
                format!("缺少必填列 {}（{}）", c.key, c.zh),
                format!("The required column {} ({}) is missing", c.key, c.en),
            ));
        }
    }
    if errors.is_empty() {
        Ok(cols)
    } else {
        Err(errors)
    }
}

/// Reads data rows against mapped headers; each column's destination is
/// worked out once, here, not once per cell.
#[derive(Clone, Debug)]
pub struct RowParser {
    columns: Vec<(&'static Column, Target)>,
    /// Whether the file has the years-since-upgrade column.
    upgrade_column: bool,
}

impl RowParser {
    pub fn new(columns: &[&'static Column]) -> RowParser {
        RowParser {
            columns: columns.iter().map(|c| (*c, target_of(c))).collect(),
            upgrade_column: columns.iter().any(|c| c.key == "years_since_upgrade"),
        }
    }

    /// One row's cells (text of any kind: strings from a workbook, slices
    /// of a CSV buffer), every bad cell collected.
    pub fn parse<S: AsRef<str>>(&self, cells: &[S]) -> Result<Enterprise, Vec<FieldError>> {
        let mut e = Enterprise::default();
        let mut errors = Vec::new();
        for (k, (c, target)) in self.columns.iter().enumerate() {
            let text = cells.get(k).map_or("", AsRef::as_ref);
            if let Err(reason) = apply(&mut e, c, *target, text) {
                errors.push(FieldError {
                    column: c.key,
                    reason,
                });
            }
        }
        if e.scale == Scale::Below && e.years_since_upgrade.is_some() && self.upgrade_column {
            // The format reserves this field for above-size rows; a value on a
            // below-size row would silently never count, so say so.
            errors.push(FieldError {
                column: "years_since_upgrade",
                reason: Words::new(
                    "规下企业不填升规年限（应为空）",
                    "Below-size enterprises leave the years since upgrade empty",
                ),
            });
        }
        let n = self.columns.len();
        if cells.len() > n && cells[n..].iter().any(|c| !c.as_ref().trim().is_empty()) {
            let m = cells.len();
            errors.push(FieldError {
                column: "",
                reason: Words::new(
                    format!("本行有 {m} 个单元格，多于表头的 {n} 列"),
                    format!("The row has {m} cells, more than the header's {n} columns"),
                ),
            });
        }
        if errors.is_empty() {
            Ok(e)
        } else {
            Err(errors)
        }
    }
}

/// Reads one data row against mapped headers, collecting every bad cell.
pub fn parse_row<S: AsRef<str>>(
    columns: &[&'static Column],
    cells: &[S],
) -> Result<Enterprise, Vec<FieldError>> {
    RowParser::new(columns).parse(cells)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `is_unset` says what the text says: empty or a default records
    /// leave out; and every field's text reads back to the same value.
    #[test]
    fn unset_fields_and_round_trips_agree_with_the_text() {
        for e in crate::synth::city(5, 2020, 200, 300) {
            for c in COLUMNS {
                let text = field_text(&e, c);
                let default = matches!(
                    (c.kind, text.as_str()),
                    (Kind::Bool, "false") | (Kind::Talent | Kind::Tier, "none")
                ) || (c.kind == Kind::Count && c.key != "employees" && text == "0");
                assert_eq!(
                    is_unset(&e, c),
                    text.is_empty() || default,
                    "{} {text}",
                    c.key
                );
                let mut back = e.clone();
                set_field(&mut back, c, &text).unwrap();
                assert_eq!(field_text(&back, c), text, "{}", c.key);
            }
        }
        assert_eq!(parse_bool(" Yes "), Ok(true));
        assert_eq!(parse_bool("否"), Ok(false));
        let no = parse_bool("TRUEISH").unwrap_err();
        assert!(no.zh.contains("“trueish”") && no.en.contains("\"trueish\" is not yes or no"));
    }

    #[test]
    fn only_finite_plain_decimals_are_numbers() {
        assert_eq!(parse_decimal("12.50"), Ok(12.5));
        assert_eq!(parse_decimal("-3"), Ok(-3.0));
        for bad in ["inf", "NaN", "-inf", "1e5", "1,000", "", "."] {
            assert!(parse_decimal(bad).is_err(), "{bad}");
        }
        let huge = "9".repeat(400);
        let err = parse_decimal(&huge).unwrap_err();
        assert!(err.zh.contains("超出") && err.zh.contains("400"), "{err}");
        assert!(err.en.contains("too large"), "{}", err.en);
        assert!(parse_decimal(&format!("0.{huge}")).is_ok());
    }
}

#[cfg(test)]
mod names {
    use super::COLUMNS;

    /// Every column has an English name for English pages: no Chinese in it,
    /// none shared by two columns.
    #[test]
    fn every_column_is_named_in_english() {
        let mut seen = std::collections::HashSet::new();
        for c in COLUMNS {
            assert!(!c.en.is_empty(), "{} has no English name", c.key);
            assert!(c.en.is_ascii(), "{}: {}", c.key, c.en);
            assert!(seen.insert(c.en), "{} named twice", c.en);
        }
    }
}
