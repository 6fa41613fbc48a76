//! The 亩均 server as a library: [`Application`] builds the whole web app
//! on a database and an address, so the binary, the in-process tests and
//! anything else start exactly the same thing.

pub mod api;
pub mod application;
pub mod db;
pub mod error;
pub mod faults;
pub mod grade_cmd;
pub mod limits;
pub mod routes;

pub use application::{Application, Settings};
