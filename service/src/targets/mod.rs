//! Policy targets: the shipped catalogue ([`catalogue`]), the figures
//! measured from the platform's own data ([`measured`]), the dashboard,
//! details and bulletin ([`read`]), actuals and edits ([`write`]). The
//! types, shared with the browser, are [`shared::targets`]'s, re-exported
//! here.

pub use shared::targets::*;

pub mod catalogue;
pub mod measured;
pub mod read;
pub mod write;
