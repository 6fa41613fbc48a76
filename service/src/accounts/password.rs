//! A password someone chose, parsed once against the rules: at least
//! [`MIN_CHARS`] characters, at most [`MAX_CHARS`], not one of the common
//! passwords shipped in `common-passwords.txt`, not the user name, not one
//! character repeated. Checked wherever a person sets a password (their
//! own change, an account made at the console); the one-time passwords the
//! platform issues are random and long enough by construction.

use crate::{Result, ServiceError};
use std::collections::HashSet;
use std::sync::OnceLock;

pub const MIN_CHARS: usize = 10;
/// Argon2 hashes any length; a bound keeps a request's work bounded.
pub const MAX_CHARS: usize = 128;

const COMMON: &str = include_str!("common-passwords.txt");

fn common() -> &'static HashSet<String> {
    static SET: OnceLock<HashSet<String>> = OnceLock::new();
    SET.get_or_init(|| {
        COMMON
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(str::to_lowercase)
            .collect()
    })
}

/// Common passwords in the shipped list (for tests and the docs).
pub fn common_count() -> usize {
    common().len()
}

/// A password that passed the rules.
#[derive(Clone)]
pub struct Password(String);

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(…)")
    }
}

impl Password {
    /// Checks `raw` as the new password of `username`; the message says
    /// which rule it breaks.
    pub fn parse(raw: &str, username: &str) -> Result<Password> {
        let n = raw.chars().count();
        let bad = |zh: &str, en: &str| Err(ServiceError::invalid(zh, en));
        if n < MIN_CHARS {
            return bad(
                "密码至少 10 个字符",
                "A password has at least 10 characters",
            );
        }
        if n > MAX_CHARS {
            return bad(
                "密码最多 128 个字符",
                "A password has at most 128 characters",
            );
        }
        let lower = raw.to_lowercase();
        if common().contains(&lower) {
            return bad(
                "这个密码太常见，容易被猜中，请换一个",
                "This password is too common and easy to guess; choose another",
            );
        }
        let name = username.trim().to_lowercase();
        if !name.is_empty() && lower.contains(&name) {
            return bad(
                "密码不能包含用户名",
                "A password may not contain the user name",
            );
        }
        let mut chars = raw.chars();
        let first = chars.next();
        if chars.all(|c| Some(c) == first) {
            return bad(
                "密码不能是同一个字符的重复",
                "A password may not repeat one character",
            );
        }
        Ok(Password(raw.to_string()))
    }

    /// The demo's published password (README), which no rule can hold:
    /// the demo's accounts are public by design and never a city's.
    pub fn demo(raw: &str) -> Password {
        Password(raw.to_string())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(p: &str, user: &str) -> String {
        match Password::parse(p, user) {
            Err(ServiceError::Invalid(m)) => m.zh,
            other => panic!("{p:?} passed: {other:?}"),
        }
    }

    #[test]
    fn each_rule_has_its_message() {
        assert!(refused("short1", "x").contains("10 个字符"));
        assert!(refused(&"ab".repeat(65), "x").contains("128"));
        assert!(refused("Password123", "x").contains("常见"));
        assert!(refused("1234567890", "x").contains("常见"));
        assert!(refused("qwertyuiop", "x").contains("常见"));
        assert!(refused("my-nanhu01-pass", "nanhu01").contains("用户名"));
        assert!(refused("zzzzzzzzzzzz", "x").contains("重复"));
        assert!(Password::parse("湖边的风吹过了三月的石桥", "x").is_ok());
        assert!(Password::parse("river-Lamp-42-tea", "tax").is_ok());
    }

    #[test]
    fn the_shipped_list_is_loaded_whole() {
        // Every line of the file that is not a comment is in the set; a
        // line lost in parsing would make this fail.
        let lines = COMMON
            .lines()
            .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
            .count();
        assert!(lines > 500, "{lines}");
        assert_eq!(common_count(), lines);
    }
}
