//! Public, aggregate figures: how many enterprises of each county fell into
//! each class in the latest publication. Counts only, never an enterprise's
//! figures, so anyone may see them.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CountyClasses {
    pub county: String,
    /// Graded enterprises per final class A, B, C, D.
    pub classes: [u32; 4],
    pub exempt: u32,
    pub merged: u32,
    pub excluded: u32,
}

impl CountyClasses {
    pub fn graded(&self) -> u32 {
        self.classes.iter().sum()
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Overview {
    pub year: Option<i32>,
    /// The publication version counted, and its state.
    pub version: Option<i32>,
    pub status: Option<crate::disclosure::PublicationStatus>,
    pub counties: Vec<CountyClasses>,
}
