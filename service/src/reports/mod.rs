//! The annual analysis report (年度分析报告), its two editions and its workbook.
//! The types, shared with the browser, are [`shared::reports`]'s,
//! re-exported here.

pub use shared::reports::*;

mod annual;
pub use annual::{annual, download, report_xlsx, years};
