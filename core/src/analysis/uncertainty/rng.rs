//! Random numbers keyed by (seed, matrix, row, factor): every replication and every input factor
//! has its own stream, so results do not depend on threads or on how replications are split.
//!
//! The generator is xoshiro256++ (Blackman and Vigna), its state filled by SplitMix64 from a key
//! hashed out of the seed, the matrix (`A` = 0, `B` = 1), the row and the factor. Transcendental
//! functions come from the `libm` crate, so draws are bit-for-bit the same on every platform,
//! WebAssembly included.

/// SplitMix64's finaliser (Stafford's mix 13).
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

const GOLDEN: u64 = 0x9e37_79b9_7f4a_7c15;

/// A xoshiro256++ stream.
#[derive(Debug, Clone)]
pub(crate) struct Stream {
    s: [u64; 4],
}

impl Stream {
    /// The stream of `factor` in row `row` of matrix `matrix` under `seed`.
    pub fn new(seed: u64, matrix: u64, row: u64, factor: u64) -> Stream {
        let mut key = mix(seed.wrapping_add(GOLDEN));
        key = mix(key ^ row.wrapping_mul(0xd1b5_4a32_d192_ed03));
        key = mix(key ^ (matrix << 32 | (factor & 0xffff_ffff)).wrapping_mul(0xaef1_7502_108e_f2d9));
        let mut s = [0u64; 4];
        for word in &mut s {
            key = key.wrapping_add(GOLDEN);
            *word = mix(key);
        }
        Stream { s }
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        let s = &mut self.s;
        let result = s[0].wrapping_add(s[3]).rotate_left(23).wrapping_add(s[0]);
        let t = s[1] << 17;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = s[3].rotate_left(45);
        result
    }

    /// Uniform in `[0, 1)`, a multiple of 2⁻⁵³.
    pub fn uniform(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / 9_007_199_254_740_992.0)
    }

    /// Uniform in `(0, 1)`.
    fn open(&mut self) -> f64 {
        ((self.next_u64() >> 11) as f64 + 0.5) * (1.0 / 9_007_199_254_740_992.0)
    }

    /// One of `count` choices, each equally likely (`count` > 0).
    pub fn choose(&mut self, count: usize) -> usize {
        let k = (self.uniform() * count as f64) as usize;
        k.min(count.saturating_sub(1))
    }

    /// Standard normal (Marsaglia's polar method, one value per accepted pair).
    pub fn normal(&mut self) -> f64 {
        loop {
            let u = 2.0 * self.uniform() - 1.0;
            let v = 2.0 * self.uniform() - 1.0;
            let s = u * u + v * v;
            if s > 0.0 && s < 1.0 {
                return u * libm::sqrt(-2.0 * libm::log(s) / s);
            }
        }
    }

    /// Gamma(shape, 1) by Marsaglia and Tsang; `shape` > 0.
    pub fn gamma(&mut self, shape: f64) -> f64 {
        if shape < 1.0 {
            let g = self.gamma(shape + 1.0);
            return g * libm::pow(self.open(), 1.0 / shape);
        }
        let d = shape - 1.0 / 3.0;
        let c = 1.0 / libm::sqrt(9.0 * d);
        loop {
            let x = self.normal();
            let v = 1.0 + c * x;
            if v <= 0.0 {
                continue;
            }
            let v = v * v * v;
            let u = self.open();
            let x2 = x * x;
            if u < 1.0 - 0.0331 * x2 * x2 || libm::log(u) < 0.5 * x2 + d * (1.0 - v + libm::log(v)) {
                return d * v;
            }
        }
    }

    /// Beta(a, b) as X/(X + Y) with X ~ Gamma(a), Y ~ Gamma(b).
    pub fn beta(&mut self, a: f64, b: f64) -> f64 {
        let x = self.gamma(a);
        let y = self.gamma(b);
        if x + y > 0.0 {
            x / (x + y)
        } else {
            a / (a + b)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streams_are_keyed_and_repeatable() {
        let a: Vec<u64> = (0..4).map({
            let mut s = Stream::new(1, 0, 5, 2);
            move |_| s.next_u64()
        }).collect();
        let mut again = Stream::new(1, 0, 5, 2);
        assert_eq!(a, (0..4).map(|_| again.next_u64()).collect::<Vec<_>>());
        assert_ne!(Stream::new(1, 0, 5, 2).next_u64(), Stream::new(1, 0, 6, 2).next_u64());
        assert_ne!(Stream::new(1, 0, 5, 2).next_u64(), Stream::new(1, 1, 5, 2).next_u64());
        assert_ne!(Stream::new(1, 0, 5, 2).next_u64(), Stream::new(2, 0, 5, 2).next_u64());
    }

    #[test]
    fn moments_are_right() {
        let mut s = Stream::new(42, 0, 0, 0);
        let n = 200_000;
        let (mut u, mut z, mut z2, mut g, mut b) = (0.0, 0.0, 0.0, 0.0, 0.0);
        for _ in 0..n {
            u += s.uniform();
            let x = s.normal();
            z += x;
            z2 += x * x;
            g += s.gamma(0.5) + s.gamma(3.0);
            b += s.beta(2.0, 6.0);
        }
        let n = n as f64;
        assert!((u / n - 0.5).abs() < 0.005);
        assert!((z / n).abs() < 0.01 && (z2 / n - 1.0).abs() < 0.02);
        assert!((g / n - 3.5).abs() < 0.03, "{}", g / n);
        assert!((b / n - 0.25).abs() < 0.005);
    }
}
