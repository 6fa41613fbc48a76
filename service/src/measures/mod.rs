//! 分类施策: the entitlement lists made from published versions ([`lists`]),
//! the differentiated-electricity procedure ([`electricity`]), the
//! remediation ledger ([`ledger`]). The types, shared with the browser, are
//! [`shared::measures`]'s, re-exported here.

pub use shared::measures::*;

pub mod electricity;
pub mod ledger;
pub mod lists;
