//! What the platform says to people, in both of its languages.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A sentence the platform writes (a refusal, a notice) in Chinese and
/// English, made where the facts are known, so a page in either language
/// shows it whole. What people typed and names stay as written, inside
/// both. Displays as Chinese, the platform's first language.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Words {
    pub zh: String,
    pub en: String,
}

impl Words {
    pub fn new(zh: impl Into<String>, en: impl Into<String>) -> Words {
        Words {
            zh: zh.into(),
            en: en.into(),
        }
    }

    /// Several sentences as one: Chinese joined with "；", English with "; ".
    pub fn join<'a>(all: impl IntoIterator<Item = &'a Words>) -> Words {
        let (zh, en): (Vec<&str>, Vec<&str>) = all
            .into_iter()
            .map(|w| (w.zh.as_str(), w.en.as_str()))
            .unzip();
        Words::new(zh.join("；"), en.join("; "))
    }

    /// The text in Chinese (`zh`) or English.
    pub fn in_(&self, zh: bool) -> &str {
        if zh {
            &self.zh
        } else {
            &self.en
        }
    }
}

impl fmt::Display for Words {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.zh)
    }
}
