//! Correctly rounded summation.
//!
//! Aggregates (city averages, county ratios, a lessor's tax with its
//! lessees') must not depend on the order the rows arrive in, or shuffling an
//! import could move a class. Shewchuk's algorithm keeps the exact sum as
//! non-overlapping partials and rounds once, so the result is the exact sum
//! correctly rounded, whatever the order, and uses only IEEE additions, which
//! WASM and native perform identically.

pub fn fsum<I: IntoIterator<Item = f64>>(values: I) -> f64 {
    let mut s = ExactSum::default();
    for v in values {
        s.add(v);
    }
    s.value()
}

/// A running exact sum, for aggregates gathered in one pass over the rows
/// (several sums at once, no buffer of the values).
#[derive(Clone, Debug, Default)]
pub struct ExactSum {
    partials: Vec<f64>,
    count: usize,
}

impl ExactSum {
    pub fn add(&mut self, value: f64) {
        self.count += 1;
        let partials = &mut self.partials;
        let mut x = value;
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

    /// How many values were added.
    pub fn count(&self) -> usize {
        self.count
    }

    /// The exact sum, correctly rounded.
    pub fn value(&self) -> f64 {
        round_partials(&self.partials)
    }
}

/// Sums the partials from the largest down, with the half-even correction
/// for a result that lies exactly between two doubles.
fn round_partials(partials: &[f64]) -> f64 {
    let Some((&top, rest)) = partials.split_last() else {
        return 0.0;
    };
    let mut n = rest.len();
    let mut hi = top;
    let mut lo = 0.0;
    while n > 0 {
        let x = hi;
        n -= 1;
        let y = partials[n];
        hi = x + y;
        let yr = hi - x;
        lo = y - yr;
        if lo != 0.0 {
            break;
        }
    }
    if n > 0 && ((lo < 0.0 && partials[n - 1] < 0.0) || (lo > 0.0 && partials[n - 1] > 0.0)) {
        let y = lo * 2.0;
        let x = hi + y;
        let yr = x - hi;
        if y == yr {
            hi = x;
        }
    }
    hi
}

#[cfg(test)]
mod tests {
    use super::fsum;

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
}
