//! Public disclosure (公示): opening, finalising and correcting a year's
//! published versions ([`publish`]), and the public reads served from those
//! immutable versions ([`read`]). The types, shared with the browser, are
//! [`shared::disclosure`]'s, re-exported here.

pub use shared::disclosure::*;

pub mod publish;
pub mod read;
