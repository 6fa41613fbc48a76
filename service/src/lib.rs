//! The domain workflows of 亩均, between the pages and routes that call
//! them and the database they keep. Every workflow takes the services
//! handle ([`Services`]) and an explicit [`Actor`]; what that actor may read
//! or write is decided in one module, [`authz`]. Records change along one
//! path, [`records::write`]: form saves, imports, seeding and (next)
//! accepted appeals all go through it.
//!
//! The types pages and server functions exchange, roles, the actor, the
//! authorization rules and the error are the `shared` crate's (the browser
//! builds it, not this one); each area here re-exports its types, so a
//! workflow and what it returns are found at one path.

pub mod accounts;
pub mod appeals;
pub mod clock;
pub mod counties;
pub mod cpu;
pub mod dataio;
pub mod disclosure;
pub mod error;
pub mod exports;
pub mod imports;
pub mod integrity;
pub mod kept;
pub mod live;
pub mod measures;
pub mod overview;
pub mod portal;
pub mod rate;
pub mod records;
pub mod reports;
pub mod rulesets;
pub mod seed;
mod services;
pub mod signals;
pub mod signoff;
pub mod store;
pub mod targets;
pub mod workspace;
pub mod writes;

pub use services::{Config, Services};
pub use shared::{actor, authz, enrollment};
pub use shared::{parse_uscc, ServiceError};
pub use shared::{Actor, Role, UserInfo};

pub type Result<T, E = ServiceError> = std::result::Result<T, E>;
