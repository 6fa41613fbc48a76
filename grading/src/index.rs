//! Row positions by USCC for one year's records.

use crate::input::Enterprise;

/// Row positions by USCC. The keys stay in the rows: no copy of 200,000
/// strings, one hash of each.
///
/// The rows a grade starts with go into a table laid out by hash bucket in
/// two linear passes (count, then place): 200,000 inserts into a hash table
/// cost more than scoring the city, as each lands at a random place in a
/// table larger than the cache. Rows added later (`upsert` of a new
/// enterprise) go into a small hash table beside it.
#[derive(Clone, Debug, Default)]
pub(crate) struct UsccIndex {
    /// Bucket of a hash: its top bits.
    shift: u32,
    /// Bucket `b` holds `entries[starts[b]..starts[b + 1]]`.
    starts: Vec<u32>,
    /// (hash, row); a removed row is `u32::MAX`.
    entries: Vec<(u64, u32)>,
    extra: hashbrown::HashTable<usize>,
}

pub(crate) fn hash_uscc(s: &str) -> u64 {
    use std::hash::BuildHasher;
    // Fx mixes into the high bits weakly; the multiply spreads them.
    rustc_hash::FxBuildHasher
        .hash_one(s)
        .wrapping_mul(0x9e37_79b9_7f4a_7c15)
}

impl UsccIndex {
    /// Indexes `rows[..hashes.len()]` (`hashes[i]` = `hash_uscc` of row i).
    /// On duplicate USCCs, returns the first row (in row order) whose USCC
    /// an earlier row already has.
    pub(crate) fn build(rows: &[Enterprise], hashes: &[u64]) -> Result<UsccIndex, usize> {
        let n = hashes.len();
        let bits = (usize::BITS - n.max(1).leading_zeros()).max(1);
        let shift = 64 - bits;
        let buckets = 1usize << bits;
        let mut starts = vec![0u32; buckets + 1];
        for &h in hashes {
            starts[(h >> shift) as usize + 1] += 1;
        }
        for b in 0..buckets {
            starts[b + 1] += starts[b];
        }
        let mut next: Vec<u32> = starts[..buckets].to_vec();
        let mut entries = vec![(0u64, 0u32); n];
        for (i, &h) in hashes.iter().enumerate() {
            let b = (h >> shift) as usize;
            entries[next[b] as usize] = (h, i as u32);
            next[b] += 1;
        }
        // Rows were placed in row order, so within a bucket the later of two
        // equal keys comes second.
        let mut duplicate: Option<usize> = None;
        for b in 0..buckets {
            let bucket = &entries[starts[b] as usize..starts[b + 1] as usize];
            for (k, &(h, i)) in bucket.iter().enumerate().skip(1) {
                let i = i as usize;
                let earlier = bucket[..k]
                    .iter()
                    .any(|&(h2, j)| h2 == h && rows[j as usize].uscc == rows[i].uscc);
                if earlier && duplicate.is_none_or(|d| i < d) {
                    duplicate = Some(i);
                }
            }
        }
        match duplicate {
            Some(i) => Err(i),
            None => Ok(UsccIndex {
                shift,
                starts,
                entries,
                extra: hashbrown::HashTable::new(),
            }),
        }
    }

    fn bucket(&self, h: u64) -> &[(u64, u32)] {
        match self.starts.len() {
            0 => &[],
            _ => {
                let b = (h >> self.shift) as usize;
                &self.entries[self.starts[b] as usize..self.starts[b + 1] as usize]
            }
        }
    }

    pub(crate) fn get(&self, rows: &[Enterprise], key: &str) -> Option<usize> {
        let h = hash_uscc(key);
        self.bucket(h)
            .iter()
            .find(|&&(h2, i)| h2 == h && i != u32::MAX && rows[i as usize].uscc == key)
            .map(|&(_, i)| i as usize)
            .or_else(|| self.extra.find(h, |&i| rows[i].uscc == key).copied())
    }

    /// Adds row `i`; on a duplicate USCC returns the row that has it.
    pub(crate) fn insert(&mut self, rows: &[Enterprise], i: usize) -> Result<(), usize> {
        let key = rows[i].uscc.as_str();
        if let Some(j) = self.get(rows, key) {
            return Err(j);
        }
        self.extra
            .insert_unique(hash_uscc(key), i, |&j| hash_uscc(&rows[j].uscc));
        Ok(())
    }

    pub(crate) fn remove(&mut self, rows: &[Enterprise], key: &str) {
        let h = hash_uscc(key);
        if let Ok(o) = self.extra.find_entry(h, |&i| rows[i].uscc == key) {
            o.remove();
            return;
        }
        if self.starts.is_empty() {
            return;
        }
        let b = (h >> self.shift) as usize;
        let range = self.starts[b] as usize..self.starts[b + 1] as usize;
        if let Some(e) = self.entries[range]
            .iter_mut()
            .find(|e| e.0 == h && e.1 != u32::MAX && rows[e.1 as usize].uscc == key)
        {
            e.1 = u32::MAX;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::synth;

    #[test]
    fn the_index_finds_every_row_and_the_first_duplicate() {
        let mut rows = synth::city(3, 2020, 300, 700);
        let hashes: Vec<u64> = rows.iter().map(|r| hash_uscc(&r.uscc)).collect();
        let mut index = UsccIndex::build(&rows, &hashes).expect("no duplicates");
        for (i, r) in rows.iter().enumerate() {
            assert_eq!(index.get(&rows, &r.uscc), Some(i));
        }
        assert_eq!(index.get(&rows, "91330400MA2XXXXXXX"), None);
        // A row added later, found, refused twice, removed.
        let mut extra = rows[0].clone();
        extra.uscc = synth::uscc_for(crate::County::Haining, 99_999);
        rows.push(extra);
        let last = rows.len() - 1;
        assert_eq!(index.insert(&rows, last), Ok(()));
        assert_eq!(index.get(&rows, &rows[last].uscc), Some(last));
        assert_eq!(index.insert(&rows, last), Err(last));
        index.remove(&rows, &rows[last].uscc.clone());
        assert_eq!(index.get(&rows, &rows[last].uscc), None);
        index.remove(&rows, &rows[5].uscc.clone());
        assert_eq!(index.get(&rows, &rows[5].uscc), None);

        // Duplicates: the first row (in row order) that repeats an earlier one.
        let mut dup = synth::city(3, 2020, 300, 700);
        dup[900].uscc = dup[10].uscc.clone();
        dup[400].uscc = dup[600].uscc.clone();
        let hashes: Vec<u64> = dup.iter().map(|r| hash_uscc(&r.uscc)).collect();
        assert_eq!(UsccIndex::build(&dup, &hashes).err(), Some(600));
    }
}
