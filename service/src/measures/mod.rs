//! 分类施策: the classes applied. Each measure of the year's ruleset
//! (`grading::measures`) gives every graded enterprise a value by its
//! class; the units that apply a measure read its **entitlement list**,
//! made from a published version of the year (公示, never the working
//! state: an edit changes no list until a correction is published), with
//! the figures the unit needs as that version froze them, and what changed
//! since the version before (名单变更). The types are shared with the
//! browser; the lists are made on the server.

#[cfg(feature = "server")]
pub mod lists;

use serde::{Deserialize, Serialize};

/// A measure as a list page names it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MeasureInfo {
    pub key: String,
    pub topic_zh: String,
    pub topic_en: String,
    pub units: Vec<String>,
    /// The value per class (A first), in words with its unit.
    pub by_class_zh: [String; 4],
    pub by_class_en: [String; 4],
    /// The figures the list carries (record column keys) and their names.
    pub figures: Vec<(String, String)>,
}

/// One enterprise on a list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ListRow {
    pub uscc: String,
    pub name: String,
    pub county: String,
    pub industry: String,
    pub scale: String,
    pub class: String,
    pub leader: bool,
    /// The measure's number for it, where the measure has numbers.
    pub value: Option<f64>,
    pub text_zh: String,
    pub text_en: String,
    /// The figures, in the order of [`MeasureInfo::figures`], as typed.
    pub figures: Vec<String>,
}

/// An enterprise whose entry changed since the version before.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ListChange {
    pub uscc: String,
    pub name: String,
    pub county: String,
    /// Class and entitlement before (None: not on the list then).
    pub before_class: Option<String>,
    pub before: Option<String>,
    pub after_class: Option<String>,
    pub after: Option<String>,
}

/// A publication version a list can be made from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VersionRef {
    pub year: i32,
    pub version: i32,
    /// `publicity`, `correction` or `final`.
    pub kind: String,
    pub note: String,
    /// Beijing time.
    pub published_at: String,
}

/// One measure's list for one version, bounded to the reader's counties.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MeasureList {
    pub measure: MeasureInfo,
    pub version: VersionRef,
    /// Every version of the year (for the version picker), newest first.
    pub versions: Vec<VersionRef>,
    /// The county the list is bounded to (None: every county the reader covers).
    pub county: Option<String>,
    pub rows: Vec<ListRow>,
    /// Against the version before (empty for the first).
    pub changes: Vec<ListChange>,
    /// Counts per class A–D on this list.
    pub by_class: [u32; 4],
}

/// The measures a reader may open, and the published years.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MeasuresIndex {
    pub years: Vec<i32>,
    pub measures: Vec<MeasureInfo>,
    /// The one county the reader covers, when bound to one.
    pub county: Option<String>,
}

/// One row of `GET /api/v1/measures/{year}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ApiMeasureRow {
    pub uscc: String,
    pub name: String,
    /// County code.
    pub county: String,
    /// A, B, C or D.
    pub class: String,
    /// The measure's key (`land_use_tax`, `subsidy_coefficient` …).
    pub measure: String,
    /// The number, where the measure has numbers (a percentage, a
    /// coefficient, 万元).
    pub value: Option<f64>,
    /// The entitlement in words (Chinese), with its unit and any override.
    pub text: String,
    /// The publication version the row comes from.
    pub version: i32,
}

/// An industry leader (行业领跑者) as the public page lists it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Leader {
    pub uscc: String,
    pub name: String,
    /// County and industry codes (the page shows their names).
    pub county: String,
    pub industry: String,
    pub class: Option<String>,
}

/// A year's published leaders and the version they come from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Leaders {
    pub version: VersionRef,
    pub rows: Vec<Leader>,
}
