//! The workflows' error is [`shared::error::ServiceError`], one type from
//! the database to the browser; here what only the server does with it: a
//! fault's detail goes to the log under a fresh id.

pub use shared::error::*;

/// `e` as a client may read it: an internal fault's detail goes to the
/// log under a fresh id and only the id is sent ([`ServiceError::Fault`]);
/// messages are cut to a bounded length.
pub fn for_client(e: ServiceError) -> ServiceError {
    match e {
        ServiceError::Internal(detail) => {
            let id = fault_id();
            tracing::error!(error_id = %id, "{detail}");
            ServiceError::Fault(id)
        }
        other => other.bounded(),
    }
}

/// The words a client may read of `e` (see [`for_client`]).
pub fn client_words(e: &ServiceError) -> grading::Words {
    for_client(e.clone()).words()
}

/// A short random id for one fault, logged with its details and shown to
/// the client, so a report to the help desk finds the log line.
pub fn fault_id() -> String {
    format!("{:08x}", rand::random::<u32>())
}
