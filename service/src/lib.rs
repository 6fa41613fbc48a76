//! The domain workflows of 亩均, between the pages and routes that call
//! them and the database they keep. Every workflow takes the services
//! handle ([`Services`]) and an explicit [`Actor`]; what that actor may read
//! or write is decided in one module, [`authz`]. Records change along one
//! path, [`records::write`]: form saves, imports, seeding and (next)
//! accepted appeals all go through it.
//!
//! Without the `server` feature (the browser's build) only the types remain:
//! the DTOs pages and server functions exchange, roles, and the
//! authorization rules a page uses to grey out what the server would refuse.

pub mod actor;
pub mod appeals;
pub mod authz;
pub mod counties;
pub mod disclosure;
pub mod enrollment;
pub mod error;
pub mod imports;
pub mod measures;
pub mod overview;
pub mod portal;
pub mod reports;
pub mod rulesets;
pub mod signoff;
pub mod targets;
pub mod workspace;

#[cfg(feature = "server")]
pub mod accounts;
#[cfg(feature = "server")]
pub mod clock;
#[cfg(feature = "server")]
pub mod cpu;
#[cfg(feature = "server")]
pub mod dataio;
#[cfg(feature = "server")]
pub mod exports;
#[cfg(feature = "server")]
pub mod integrity;
#[cfg(feature = "server")]
pub mod kept;
#[cfg(feature = "server")]
pub mod live;
#[cfg(feature = "server")]
pub mod rate;
#[cfg(feature = "server")]
pub mod records;
#[cfg(feature = "server")]
pub mod seed;
#[cfg(feature = "server")]
mod services;
#[cfg(feature = "server")]
pub mod signals;
#[cfg(feature = "server")]
pub mod store;

pub use actor::{Actor, Role, UserInfo};
pub use error::{parse_uscc, ServiceError};
#[cfg(feature = "server")]
pub use services::{Config, Services};

pub type Result<T, E = ServiceError> = std::result::Result<T, E>;
