//! Importing a spreadsheet: checking it into a preview and committing it
//! through the one write path with progress ([`jobs`]), on the rows the
//! reader produced ([`pipeline`]). The types, shared with the browser, are
//! [`shared::imports`]'s, re-exported here.

pub use shared::imports::*;

pub mod jobs;
pub mod pipeline;

/// A previewed import whose record moved before the commit: nothing of it
/// is written.
pub(crate) fn moved_since_preview(year: i32, version: i32) -> crate::ServiceError {
    crate::ServiceError::invalid(
        format!("{year} 年度的记录（第 {version} 版）在预览之后已被修改，本次导入未写入；请重新上传预览后再提交。"),
        format!("The {year} record (version {version}) changed after the preview; nothing was imported. Upload it again to preview, then commit."),
    )
}
