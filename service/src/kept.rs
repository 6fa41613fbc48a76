//! Published versions' data kept in memory between readers. A version never
//! changes once published, so what was read from the database stays true;
//! but each holds a whole city's rows, and corrections add versions all
//! year, so only the versions read most recently are kept.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};

/// Versions kept per kind of data: the latest of each of the years people
/// read, and the one before it (an entitlement list compares the two).
pub const VERSIONS_KEPT: usize = 12;

/// The data and the tick it was last read at.
type Entry<V> = (Arc<V>, AtomicU64);

/// (year, version) → data, at most [`VERSIONS_KEPT`]; the one read longest
/// ago goes first.
pub struct Kept<V> {
    map: RwLock<HashMap<(i32, i32), Entry<V>>>,
    clock: AtomicU64,
}

impl<V> Default for Kept<V> {
    fn default() -> Self {
        Kept {
            map: RwLock::default(),
            clock: AtomicU64::new(0),
        }
    }
}

impl<V> Kept<V> {
    fn tick(&self) -> u64 {
        self.clock.fetch_add(1, Ordering::Relaxed)
    }

    pub fn get(&self, key: (i32, i32)) -> Option<Arc<V>> {
        let m = self.map.read().ok()?;
        let (v, read_at) = m.get(&key)?;
        read_at.store(self.tick(), Ordering::Relaxed);
        Some(v.clone())
    }

    pub fn put(&self, key: (i32, i32), v: Arc<V>) {
        let Ok(mut m) = self.map.write() else {
            return;
        };
        if m.len() >= VERSIONS_KEPT && !m.contains_key(&key) {
            let oldest = m
                .iter()
                .min_by_key(|(_, (_, at))| at.load(Ordering::Relaxed))
                .map(|(k, _)| *k);
            if let Some(k) = oldest {
                m.remove(&k);
            }
        }
        m.insert(key, (v, AtomicU64::new(self.tick())));
    }

    pub fn len(&self) -> usize {
        self.map.read().map_or(0, |m| m.len())
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn at_most_the_versions_kept_and_the_one_read_longest_ago_goes() {
        let kept = Kept::default();
        let n = VERSIONS_KEPT as i32;
        for v in 1..=n {
            kept.put((2020, v), Arc::new(v));
        }
        // Version 1 is read again: version 2 is now the one read longest ago.
        assert_eq!(kept.get((2020, 1)).as_deref(), Some(&1));
        kept.put((2020, n + 1), Arc::new(n + 1));
        assert_eq!(kept.len(), VERSIONS_KEPT);
        assert!(kept.get((2020, 2)).is_none());
        assert_eq!(kept.get((2020, 1)).as_deref(), Some(&1));
        assert_eq!(kept.get((2020, n + 1)).as_deref(), Some(&(n + 1)));
        // Putting a key that is kept replaces it without dropping another.
        kept.put((2020, 1), Arc::new(100));
        assert_eq!(kept.len(), VERSIONS_KEPT);
        assert_eq!(kept.get((2020, 1)).as_deref(), Some(&100));
    }
}
