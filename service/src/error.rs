//! The workflows' error is [`shared::error::ServiceError`], one type from
//! the database to the browser; here what only the server does with it: a
//! fault's detail goes to the log under a fresh id.

pub use shared::error::*;

/// The words a client may read of `e`: a fault's detail goes to the log
/// under a fresh id, and only the id is shown.
pub fn client_words(e: &ServiceError) -> grading::Words {
    match e {
        ServiceError::Internal(detail) => {
            let id = fault_id();
            tracing::error!(error_id = %id, "{detail}");
            grading::Words::new(
                format!("服务器内部错误（错误编号 {id}），请稍后再试"),
                format!("Server error (reference {id}); please try again later"),
            )
        }
        ServiceError::Invalid(w) | ServiceError::Busy(w) => w.clone(),
        // Refusals no import row meets (the import checks the actor
        // first): said as the Chinese.
        other => grading::Words::new(other.to_string(), other.to_string()),
    }
}

/// A short random id for one fault, logged with its details and shown to
/// the client, so a report to the help desk finds the log line.
pub fn fault_id() -> String {
    format!("{:08x}", rand::random::<u32>())
}
