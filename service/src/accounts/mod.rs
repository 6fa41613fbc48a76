//! Accounts and sessions: who is asking, proven by a session token.

pub mod enterprises;
pub mod password;
pub mod proxy;
pub mod sessions;
pub mod throttle;
pub mod users;

pub use password::Password;
pub use proxy::Transport;
pub use sessions::{
    actor_for_token, end_all, hash_password, login, logout, purge, session_alive, token_hash,
    verify_password, Session,
};
pub use throttle::LoginLimiter;
pub use users::{add_user, list_users, user_info, NewUser};
