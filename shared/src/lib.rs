//! What the browser shares with the server, in one small crate both build:
//! the DTOs pages and server functions exchange (one module per area, named
//! as the service's areas are), roles and the [`Actor`], the authorization
//! rules ([`authz`]: the server enforces them, a page uses them to grey out
//! what the server would refuse), and the workflows' error. No database, no
//! IO. `service` re-exports each module under its area, so a workflow and
//! the types it returns are found at one path on the server.

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

pub use actor::{Actor, Role, UserInfo};
pub use error::{parse_uscc, ServiceError};

pub type Result<T, E = ServiceError> = std::result::Result<T, E>;
