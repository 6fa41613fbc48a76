//! Enterprise records change along one path, [`write`]: the workspace form
//! ([`save`]), imports, demo seeding and (next) accepted appeals all hand it
//! drafts. In one transaction it takes the year (serialising writers across
//! server processes), checks each draft against the version its writer
//! read, asks [`crate::authz::check_write`], writes the records and one
//! audit entry per changed field, regrades and writes the results, and
//! tells the other processes (a notice delivered as it commits); after the
//! commit it pushes to every open screen.

mod save;
mod write;

pub use save::{save, save_from};
pub use write::{write, Batch, Draft, Origin, Progress, Regrading, Written};
