//! Jiaxing's clock (UTC+8): the dates and times people read. Stored
//! timestamps stay in UTC.

use chrono::{DateTime, NaiveDate, Utc};

/// Today in Jiaxing: publicity windows, appeal deadlines, the targets' month.
pub fn today() -> NaiveDate {
    date(Utc::now())
}

/// A stored time as shown on a page (`2021-03-05 14:30`, local time).
pub fn minute(t: DateTime<Utc>) -> String {
    (t + chrono::Duration::hours(8))
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

/// A stored time to the second, local time (`2021-03-05 14:30:07`).
pub fn second(t: DateTime<Utc>) -> String {
    (t + chrono::Duration::hours(8))
        .format("%Y-%m-%d %H:%M:%S")
        .to_string()
}

/// The local date of a stored time.
pub fn date(t: DateTime<Utc>) -> NaiveDate {
    (t + chrono::Duration::hours(8)).date_naive()
}

/// A date typed as year-month-day; `field` names it in Chinese and English.
pub fn parse_date((field, field_en): (&str, &str), text: &str) -> crate::Result<NaiveDate> {
    let text = text.trim();
    NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| {
        crate::ServiceError::invalid(
            format!("{field}“{text}”不是日期（年-月-日）"),
            format!("The {field_en} “{text}” is not a date (year-month-day)"),
        )
    })
}
