//! Correctly rounded summation.
//!
//! Aggregates (city averages, county ratios, a lessor's tax with its
//! lessees') must not depend on the order the rows arrive in, or shuffling an
//! import could move a class. The sum is kept exactly, in a fixed-point
//! accumulator wide enough for every finite double, and rounded once, so
//! the result is the exact sum correctly rounded (half to even), whatever the
//! order. Only integer arithmetic touches the values, which WASM and native
//! perform identically; an addition costs a few integer operations, which
//! matters as a city grade adds 400,000 values.

pub fn fsum<I: IntoIterator<Item = f64>>(values: I) -> f64 {
    let mut s = ExactSum::default();
    for v in values {
        s.add(v);
    }
    s.value()
}

/// Chunks of 32 bits; chunk `k` weighs 2^(32k − 1074), so chunk 0 holds the
/// smallest subnormal and the top chunks the largest doubles with room for
/// carries.
const CHUNKS: usize = 67;
/// Additions between carry propagations: each adds < 2^32 to a chunk.
const ROOM: u32 = 1 << 30;

/// A running exact sum, for aggregates gathered in one pass over the rows
/// (several sums at once, no buffer of the values). It crosses JSON exactly
/// (the browser's preview continues a sum the server started): as its
/// non-zero chunks after carrying, the count, and the bits of any
/// non-finite part.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
#[serde(into = "Wire", try_from = "Wire")]
pub struct ExactSum {
    chunks: [i64; CHUNKS],
    /// Additions since the last carry propagation.
    pending: u32,
    count: usize,
    /// The IEEE sum of infinities and NaNs, which have no exact value.
    special: Option<f64>,
    /// Chunks below `low` are zero; from `high` up they are zero or carry
    /// only the sign (typical sums span a handful of chunks).
    low: usize,
    high: usize,
}

impl Default for ExactSum {
    fn default() -> Self {
        ExactSum {
            chunks: [0; CHUNKS],
            pending: 0,
            count: 0,
            special: None,
            low: CHUNKS,
            high: 0,
        }
    }
}

#[derive(serde::Serialize, serde::Deserialize)]
struct Wire {
    low: usize,
    chunks: Vec<i64>,
    count: usize,
    special: Option<u64>,
}

impl From<ExactSum> for Wire {
    fn from(mut s: ExactSum) -> Wire {
        s.carry();
        let (low, high) = if s.low < s.high {
            (s.low, s.high)
        } else {
            (0, 0)
        };
        Wire {
            low,
            chunks: s.chunks[low..high].to_vec(),
            count: s.count,
            special: s.special.map(f64::to_bits),
        }
    }
}

impl TryFrom<Wire> for ExactSum {
    type Error = String;

    fn try_from(w: Wire) -> Result<ExactSum, String> {
        let high = w.low + w.chunks.len();
        if high > CHUNKS {
            return Err(format!("exact sum of {high} chunks (at most {CHUNKS})"));
        }
        let mut s = ExactSum {
            count: w.count,
            special: w.special.map(f64::from_bits),
            ..ExactSum::default()
        };
        if !w.chunks.is_empty() {
            s.chunks[w.low..high].copy_from_slice(&w.chunks);
            s.low = w.low;
            s.high = high;
        }
        Ok(s)
    }
}

impl ExactSum {
    pub fn add(&mut self, value: f64) {
        self.count += 1;
        if !value.is_finite() {
            self.special = Some(self.special.map_or(value, |s| s + value));
            return;
        }
        let bits = value.to_bits();
        let exp = ((bits >> 52) & 0x7ff) as usize;
        let frac = bits & ((1u64 << 52) - 1);
        // value = mant × 2^(pos − 1074)
        let (mant, pos) = if exp == 0 {
            (frac, 0)
        } else {
            (frac | (1u64 << 52), exp - 1)
        };
        if mant == 0 {
            return;
        }
        let (k, shift) = (pos / 32, pos % 32);
        let v = u128::from(mant) << shift;
        let parts = [
            (v & 0xffff_ffff) as i64,
            ((v >> 32) & 0xffff_ffff) as i64,
            (v >> 64) as i64,
        ];
        let negative = bits >> 63 == 1;
        self.low = self.low.min(k);
        self.high = self.high.max(k + 3).min(CHUNKS);
        for (j, p) in parts.into_iter().enumerate() {
            if negative {
                self.chunks[k + j] -= p;
            } else {
                self.chunks[k + j] += p;
            }
        }
        self.pending += 1;
        if self.pending == ROOM {
            self.carry();
        }
    }

    /// How many values were added.
    pub fn count(&self) -> usize {
        self.count
    }

    /// Leaves every chunk below `high - 1` in [0, 2^32); chunk `high - 1`
    /// (the top one, when `high` = `CHUNKS`) carries the sign. Carries
    /// move up by at most a chunk per 2^31 additions, so `high` grows by one.
    fn carry(&mut self) {
        if self.low >= self.high {
            return;
        }
        self.high = (self.high + 1).min(CHUNKS);
        for k in self.low..self.high - 1 {
            let c = self.chunks[k] >> 32;
            self.chunks[k] -= c << 32;
            self.chunks[k + 1] += c;
        }
        self.pending = 0;
    }

    /// The exact sum, correctly rounded.
    pub fn value(&self) -> f64 {
        if let Some(s) = self.special {
            return s;
        }
        let mut acc = self.clone();
        acc.carry();
        let negative = acc.low < acc.high && acc.chunks[acc.high - 1] < 0;
        if negative {
            for c in acc.chunks[acc.low..acc.high].iter_mut() {
                *c = -*c;
            }
            acc.carry();
        }
        let Some(top) = acc.chunks.iter().rposition(|&c| c != 0) else {
            return 0.0;
        };
        // The top three chunks (at most 96 significant bits), whatever is
        // below them only as a sticky bit.
        let low = top.saturating_sub(2);
        let mut window: u128 = 0;
        for k in (low..=top).rev() {
            window = (window << 32) | acc.chunks[k] as u128;
        }
        let sticky = acc.chunks[..low].iter().any(|&c| c != 0);
        let nbits = 128 - window.leading_zeros() as usize;
        let magnitude = if nbits <= 53 && !sticky && low == 0 {
            // Below 2^53 units of 2^-1074 the sum is exact, and these bits
            // are its encoding (subnormal, or the first normal binade).
            f64::from_bits(window as u64)
        } else {
            let shift = nbits.saturating_sub(53);
            let mut mant = (window >> shift) as u64;
            if shift > 0 {
                let rest = window & ((1u128 << shift) - 1);
                let half = 1u128 << (shift - 1);
                if rest > half || (rest == half && (sticky || mant & 1 == 1)) {
                    mant += 1;
                }
            }
            // The lowest kept bit weighs 2^(lowest − 1074): biased exponent
            // lowest + 1 for a 53-bit mantissa (a rounding carry to 2^53
            // lands in the exponent by itself).
            let lowest = 32 * low + shift;
            if lowest + 1 >= 2047 {
                f64::INFINITY
            } else {
                let bits = ((lowest as u64) << 52) + mant;
                if bits >= 0x7ff0_0000_0000_0000 {
                    f64::INFINITY
                } else {
                    f64::from_bits(bits)
                }
            }
        };
        if negative {
            -magnitude
        } else {
            magnitude
        }
    }
}

#[cfg(test)]
mod tests {
    use super::fsum;

    /// Shewchuk's exact summation (Python's `math.fsum`), the reference the
    /// accumulator must equal to the bit.
    fn reference(values: &[f64]) -> f64 {
        let mut partials: Vec<f64> = Vec::new();
        for &v in values {
            let mut x = v;
            let mut kept = 0;
            for j in 0..partials.len() {
                let mut y = partials[j];
                if x.abs() < y.abs() {
                    std::mem::swap(&mut x, &mut y);
                }
                let hi = x + y;
                let lo = y - (hi - x);
                if lo != 0.0 {
                    partials[kept] = lo;
                    kept += 1;
                }
                x = hi;
            }
            partials.truncate(kept);
            partials.push(x);
        }
        let Some((&top, _)) = partials.split_last() else {
            return 0.0;
        };
        let mut n = partials.len() - 1;
        let (mut hi, mut lo) = (top, 0.0);
        while n > 0 {
            let x = hi;
            n -= 1;
            let y = partials[n];
            hi = x + y;
            lo = y - (hi - x);
            if lo != 0.0 {
                break;
            }
        }
        if n > 0 && ((lo < 0.0 && partials[n - 1] < 0.0) || (lo > 0.0 && partials[n - 1] > 0.0)) {
            let y = lo * 2.0;
            let x = hi + y;
            if y == x - hi {
                hi = x;
            }
        }
        hi
    }

    #[test]
    fn equals_the_reference_to_the_bit() {
        // A small deterministic generator: mixed signs, magnitudes from
        // subnormal to huge, exact cancellations and ties.
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for case in 0..3000 {
            let n = (next() % 40) as usize;
            let mut v: Vec<f64> = (0..n)
                .map(|_| {
                    let r = next();
                    match r % 6 {
                        0 => f64::from_bits(r >> 12), // subnormal or tiny
                        1 => (r % 1_000_000) as f64 / 100.0,
                        2 => -((r % 1_000_000) as f64) / 100.0,
                        3 => f64::from_bits(next() & 0x7fef_ffff_ffff_ffff), // any finite positive
                        4 => -f64::from_bits(next() & 0x7fef_ffff_ffff_ffff),
                        _ => (r % 7) as f64 * 2f64.powi((r % 200) as i32 - 100),
                    }
                })
                .collect();
            if case % 3 == 0 && !v.is_empty() {
                let neg: Vec<f64> = v.iter().map(|x| -x * 0.5).collect();
                v.extend(neg.iter().chain(neg.iter()));
            }
            let (got, want) = (fsum(v.iter().copied()), reference(&v));
            assert!(
                got.to_bits() == want.to_bits() || (got.is_infinite() && want.is_nan()),
                "case {case}: {got:e} vs {want:e} for {v:?}"
            );
        }
        // Ties: half-way cases round to even.
        let ulp = f64::EPSILON;
        assert_eq!(fsum([1.0, ulp / 2.0]), 1.0);
        assert_eq!(fsum([1.0 + ulp, ulp / 2.0]), 1.0 + 2.0 * ulp);
        assert_eq!(fsum([1.0, ulp / 2.0, 1e-300]), 1.0 + ulp);
        assert_eq!(fsum([f64::MAX, f64::MAX, -f64::MAX]), f64::MAX);
        assert_eq!(fsum([-0.1, -0.2]), -0.30000000000000004);
    }

    #[test]
    fn exact_where_naive_is_not() {
        let v = [0.1; 10];
        assert_ne!(v.iter().sum::<f64>(), 1.0);
        assert_eq!(fsum(v), 1.0);
        assert_eq!(fsum([1e100, 1.0, -1e100, 1e-100]), 1.0);
        assert_eq!(fsum([]), 0.0);
    }

    #[test]
    fn order_does_not_matter() {
        let mut v: Vec<f64> = (1..500)
            .map(|i| (i as f64) * 0.37 + 1.0 / (i as f64))
            .collect();
        let forward = fsum(v.iter().copied());
        v.reverse();
        assert_eq!(fsum(v.iter().copied()).to_bits(), forward.to_bits());
        v.sort_by(|a, b| (a * 7.0 % 3.0).total_cmp(&(b * 7.0 % 3.0)));
        assert_eq!(fsum(v.iter().copied()).to_bits(), forward.to_bits());
    }

    #[test]
    fn a_sum_continued_after_json_is_the_sum() {
        use super::ExactSum;
        let values: Vec<f64> = (1..3000)
            .map(|i| {
                let x = (i as f64) * 0.731 + 1.0 / (i as f64);
                if i % 7 == 0 {
                    -x * 1e6
                } else if i % 11 == 0 {
                    x * 1e-9
                } else {
                    x
                }
            })
            .collect();
        for cut in [0, 1, 17, 1500, 2998] {
            let mut s = ExactSum::default();
            for &v in &values[..cut] {
                s.add(v);
            }
            let json = serde_json::to_string(&s).unwrap();
            let mut back: ExactSum = serde_json::from_str(&json).unwrap();
            assert_eq!(back.value().to_bits(), s.value().to_bits());
            for &v in &values[cut..] {
                back.add(v);
            }
            assert_eq!(back.count(), values.len());
            assert_eq!(
                back.value().to_bits(),
                fsum(values.iter().copied()).to_bits()
            );
        }
        assert!(serde_json::from_str::<ExactSum>(
            r#"{"low":60,"chunks":[1,2,3,4,5,6,7,8],"count":1,"special":null}"#
        )
        .is_err());
    }
}
