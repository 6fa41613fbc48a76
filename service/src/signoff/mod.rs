//! Data sign-off (核实上报): the matrix, signing and reopening. The types,
//! shared with the browser, are [`shared::signoff`]'s, re-exported here.

pub use shared::signoff::*;

mod work;
pub use work::{complete, matrix, reopen, sign, sign_as, sign_each, Touched};
