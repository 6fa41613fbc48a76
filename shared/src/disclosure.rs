//! Public disclosure (公示), after 嘉政办发〔2021〕5号 §三(三): "建立纠偏与公示机制，
//! 定期…公示企业绩效综合评价等次等信息，接受社会监督". A year goes
//! draft → 公示 (a publicity window) → 定档 (final); opening the window
//! freezes a numbered, immutable snapshot of the year's grades, and every
//! later change a citizen may see is a new version with a correction notice
//! (更正公告). The working state officials edit is never what the public
//! reads.
//!
//! What is public of an enterprise: name, USCC, county, industry, scale,
//! status, final class and the version it was published in; a score only
//! when the publication says so. Never a figure, a rank or a reason code.

use serde::{Deserialize, Serialize};

/// Why something made from a year's published results cannot be had yet.
pub fn not_published(year: i32) -> grading::Words {
    grading::Words::new(
        format!("{year} 年度评价结果尚未公示"),
        format!("The {year} results are not published yet"),
    )
}

/// Where a year's publication stands: open for objections in its publicity
/// window (公示中), or final (已定档).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PublicationStatus {
    Window,
    Final,
}

impl PublicationStatus {
    pub fn code(self) -> &'static str {
        match self {
            PublicationStatus::Window => "window",
            PublicationStatus::Final => "final",
        }
    }

    /// A stored status; only a window is ever stored besides `final`.
    pub fn stored(s: &str) -> PublicationStatus {
        if s == "window" {
            PublicationStatus::Window
        } else {
            PublicationStatus::Final
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            PublicationStatus::Window => "公示中",
            PublicationStatus::Final => "已定档",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            PublicationStatus::Window => "Open for objections",
            PublicationStatus::Final => "Final",
        }
    }
}

/// A publication as lists of publications show it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PublicationSummary {
    pub year: i32,
    pub status: PublicationStatus,
    pub window_start: String,
    pub window_end: String,
    pub latest_version: i32,
    /// Correction notices published (有更正).
    pub corrections: u32,
    pub published_at: String,
}

/// One version of a publication.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VersionInfo {
    pub version: i32,
    /// `publicity` (公示), `final` (定档) or `correction` (更正).
    pub kind: String,
    pub published_at: String,
    pub note: String,
    /// The note in English where the platform wrote it (an official's note
    /// is shown as written).
    pub note_en: String,
    pub rows: u32,
    pub changes: u32,
}

/// The notice of a publication and its versions.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notice {
    pub year: i32,
    pub status: PublicationStatus,
    pub window_start: String,
    pub window_end: String,
    pub contact_phone: String,
    pub contact_address: String,
    pub notice: String,
    pub objection: String,
    pub show_scores: bool,
    pub versions: Vec<VersionInfo>,
}

/// One enterprise as a version of a publication shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PublicRow {
    pub uscc: String,
    pub name: String,
    #[schema(value_type = String)]
    pub county: grading::County,
    #[schema(value_type = String)]
    pub industry: grading::Industry,
    #[schema(value_type = String)]
    pub scale: grading::Scale,
    #[schema(value_type = String, example = "graded")]
    pub status: grading::Status,
    #[schema(value_type = Option<String>)]
    pub class: Option<grading::Class>,
    /// The version in which this row was published as it stands.
    pub version: i32,
    /// Only when the publication shows scores.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<f64>,
}

/// A version's whole list, as the open data API serves it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PublishedList {
    pub year: i32,
    /// The version served (the latest unless one was asked for).
    pub version: i32,
    pub status: PublicationStatus,
    pub rows: Vec<PublicRow>,
}

/// Filters of a publication's list (URL query parameters).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PublicQuery {
    pub version: Option<i32>,
    pub q: Option<String>,
    pub county: Option<String>,
    pub industry: Option<String>,
    pub scale: Option<String>,
    pub class: Option<String>,
    pub page: Option<u64>,
}

/// Class counts of a group (a county, a cohort): A, B, C, D, and the
/// enterprises not graded (exempt, merged, excluded).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Distribution {
    pub key: String,
    pub classes: [u32; 4],
    pub not_graded: u32,
}

/// A page of a publication.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PublicPage {
    pub notice: Notice,
    pub version: i32,
    pub by_county: Vec<Distribution>,
    /// Above-size per industry, and below-size as one group.
    pub by_cohort: Vec<Distribution>,
    pub total: u64,
    pub page: u64,
    pub pages: u64,
    pub rows: Vec<PublicRow>,
}

pub const PUBLIC_PER_PAGE: u64 = 50;

/// A class or status a version changed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeRow {
    pub uscc: String,
    pub name: String,
    pub county: grading::County,
    pub before_status: Option<grading::Status>,
    pub before_class: Option<grading::Class>,
    pub after_status: Option<grading::Status>,
    pub after_class: Option<grading::Class>,
    /// `data`: its own figures were corrected; `rerank`: others' were.
    pub cause: String,
}

/// A correction notice (更正公告): a version and what it changed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Correction {
    pub year: i32,
    pub info: VersionInfo,
    pub changes: Vec<ChangeRow>,
}

/// An enterprise's public card: its latest published row of every year.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EnterpriseCard {
    pub uscc: String,
    pub name: String,
    pub years: Vec<CardYear>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CardYear {
    pub year: i32,
    /// The publication's state: `window` or `final`.
    pub publication: PublicationStatus,
    pub row: PublicRow,
}

/// What the administrator fills in to open a year's publicity window.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WindowForm {
    pub year: i32,
    /// `YYYY-MM-DD`.
    pub start: String,
    pub end: String,
    pub phone: String,
    pub address: String,
    pub notice: String,
    pub objection: String,
    #[serde(default)]
    pub show_scores: bool,
    /// Why the window opens before every county and department has
    /// confirmed the year's data (核实上报); recorded in the audit trail.
    #[serde(default)]
    pub override_reason: String,
}

/// The administrator's view of every graded year and its publication.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminYear {
    pub year: i32,
    pub publication: Option<Notice>,
    /// Enterprises whose class or status in the working state differs from
    /// the latest published version: what a correction would publish.
    pub pending_changes: u32,
    /// The window is over, so the year may be finalized (定档) now.
    pub may_finalize: bool,
    /// 核实上报: every county and department has confirmed the year's data.
    pub signed_off: bool,
    /// Those that have not (or changed since), in words.
    pub unsigned: Vec<grading::Words>,
}
