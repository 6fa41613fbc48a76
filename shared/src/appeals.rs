//! Appeals (申诉): an enterprise contests figures or flags of a year while
//! its publicity window is open; each contested item goes to whoever
//! provided it ("谁提供、谁核对、谁负责"), the county sees the whole appeal;
//! an accepted item is written through the one write path (the audit names
//! the appeal), and when the last item is decided the appeal closes and, if
//! the year is published, a correction version is published. The types are
//! shared with the browser; the workflows run on the server.

use serde::{Deserialize, Serialize};

/// Evidence limits (issue: PDF, JPEG, PNG; 10 MB each; 5 per appeal).
pub const MAX_FILE_BYTES: usize = 10 * 1024 * 1024;
pub const MAX_FILES: usize = 5;
pub const MAX_ITEMS: usize = 20;
pub const MAX_EXPLANATION: usize = 5000;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AppealStatus {
    Filed,
    Reviewing,
    Corrected,
    Partly,
    Rejected,
    Withdrawn,
}

impl AppealStatus {
    pub const ALL: [AppealStatus; 6] = [
        AppealStatus::Filed,
        AppealStatus::Reviewing,
        AppealStatus::Corrected,
        AppealStatus::Partly,
        AppealStatus::Rejected,
        AppealStatus::Withdrawn,
    ];

    pub fn code(self) -> &'static str {
        match self {
            AppealStatus::Filed => "filed",
            AppealStatus::Reviewing => "reviewing",
            AppealStatus::Corrected => "corrected",
            AppealStatus::Partly => "partly",
            AppealStatus::Rejected => "rejected",
            AppealStatus::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(s: &str) -> Option<AppealStatus> {
        AppealStatus::ALL.into_iter().find(|a| a.code() == s)
    }

    pub fn zh(self) -> &'static str {
        match self {
            AppealStatus::Filed => "待受理",
            AppealStatus::Reviewing => "核实中",
            AppealStatus::Corrected => "已更正",
            AppealStatus::Partly => "部分更正",
            AppealStatus::Rejected => "不予更正",
            AppealStatus::Withdrawn => "已撤回",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            AppealStatus::Filed => "Awaiting review",
            AppealStatus::Reviewing => "Under review",
            AppealStatus::Corrected => "Corrected",
            AppealStatus::Partly => "Partly corrected",
            AppealStatus::Rejected => "Not corrected",
            AppealStatus::Withdrawn => "Withdrawn",
        }
    }

    /// Still to be decided.
    pub fn is_open(self) -> bool {
        matches!(self, AppealStatus::Filed | AppealStatus::Reviewing)
    }

    /// A stored status (an unknown one reads as filed, still open).
    pub fn stored(s: &str) -> AppealStatus {
        AppealStatus::parse(s).unwrap_or(AppealStatus::Filed)
    }
}

/// Where one contested item stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemStatus {
    Pending,
    Accepted,
    Rejected,
}

impl ItemStatus {
    pub const ALL: [ItemStatus; 3] = [
        ItemStatus::Pending,
        ItemStatus::Accepted,
        ItemStatus::Rejected,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ItemStatus::Pending => "pending",
            ItemStatus::Accepted => "accepted",
            ItemStatus::Rejected => "rejected",
        }
    }

    /// A stored status; anything else reads as still pending.
    pub fn parse(s: &str) -> ItemStatus {
        ItemStatus::ALL
            .into_iter()
            .find(|i| i.code() == s)
            .unwrap_or(ItemStatus::Pending)
    }
}

/// A row of a queue or of the enterprise's list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AppealSummary {
    pub id: i32,
    pub receipt: String,
    pub uscc: String,
    pub name: String,
    pub county: grading::County,
    pub year: i32,
    pub status: AppealStatus,
    pub filed_at: String,
    pub deadline: String,
    /// Open past its deadline.
    pub overdue: bool,
    pub items: u32,
    /// Items still waiting for this reader's decision.
    pub waiting_for_me: u32,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ItemView {
    pub id: i32,
    pub field: String,
    pub current: Option<String>,
    pub claimed: String,
    /// Department code, or `county`.
    pub reviewer: String,
    pub status: ItemStatus,
    pub decided_value: Option<String>,
    pub reason: Option<String>,
    pub decided_by: Option<String>,
    pub decided_at: Option<String>,
    /// The reader may decide it now.
    pub mine: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EvidenceFile {
    pub token: String,
    pub name: String,
    pub mime: String,
    pub size: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TimelineEvent {
    pub at: String,
    pub by: String,
    pub kind: String,
    pub note: String,
    pub note_en: String,
}

/// What the engine makes of the claimed values (all items accepted as
/// claimed) against the year's current grades.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Projection {
    pub current_class: Option<grading::Class>,
    pub current_score: Option<f64>,
    pub claimed_class: Option<grading::Class>,
    pub claimed_score: Option<f64>,
    pub claimed_status: String,
    pub claimed_status_en: String,
    /// Why the claimed values cannot be graded, if they cannot.
    pub error: Option<grading::Words>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AppealDetail {
    pub summary: AppealSummary,
    pub explanation: String,
    pub items: Vec<ItemView>,
    pub files: Vec<EvidenceFile>,
    pub timeline: Vec<TimelineEvent>,
    pub outcome: Option<String>,
    pub outcome_en: Option<String>,
    pub class_before: Option<grading::Class>,
    pub class_after: Option<grading::Class>,
    pub correction_version: Option<i32>,
    pub projection: Option<Projection>,
    /// The reader is the enterprise and the appeal is still open.
    pub may_withdraw: bool,
    /// The reader registers it as under review (待受理 → 核实中).
    pub may_take: bool,
}

/// An in-app notice to the enterprise.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NoticeView {
    pub id: i32,
    pub at: String,
    pub text: String,
    pub text_en: String,
    pub read: bool,
    pub appeal_id: Option<i32>,
}

/// Adds `days` working days (Monday to Friday) to `from`: the review
/// deadline. Public holidays are not known to the platform; the
/// administrator reopens or the county extends by hand around them.
pub fn add_working_days(from: chrono::NaiveDate, days: u32) -> chrono::NaiveDate {
    use chrono::Datelike;
    let mut d = from;
    let mut left = days;
    while left > 0 {
        d = d.succ_opt().unwrap_or(d);
        if d.weekday().number_from_monday() <= 5 {
            left -= 1;
        }
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    #[test]
    fn working_days_skip_weekends() {
        let fri = NaiveDate::from_ymd_opt(2026, 11, 27).unwrap();
        assert_eq!(
            add_working_days(fri, 1),
            NaiveDate::from_ymd_opt(2026, 11, 30).unwrap()
        );
        assert_eq!(
            add_working_days(fri, 10),
            NaiveDate::from_ymd_opt(2026, 12, 11).unwrap()
        );
        let sat = NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
        assert_eq!(
            add_working_days(sat, 1),
            NaiveDate::from_ymd_opt(2026, 11, 30).unwrap()
        );
        assert_eq!(add_working_days(fri, 0), fri);
    }
}
