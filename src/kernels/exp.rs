//! eˣ in f32 from arithmetic alone, so that a loop over it vectorises (`f32::exp` is a scalar
//! library call, and in WebAssembly there is no vector one).
//!
//! Cephes' expf: eˣ = 2ⁿ·eʳ with n = round(x·log₂e) and r = x − n·ln 2 (ln 2 split in two parts
//! so that r is exact), eʳ by a degree-7 polynomial on |r| ≤ ½ln 2, and 2ⁿ built from its bits.
//! Relative error within 2·10⁻⁷ over the whole f32 range (tests below, against f64).

const LOG2_E: f32 = std::f32::consts::LOG2_E;
/// ln 2 = LN2_HIGH + LN2_LOW, the first exact in few bits so that n·LN2_HIGH is exact.
const LN2_HIGH: f32 = 0.693_359_4;
const LN2_LOW: f32 = -2.121_944_4e-4;
/// e^MAX_INPUT is the largest value below f32::MAX that this returns; above it, +∞.
const MAX_INPUT: f32 = 88.72;
/// Below this eˣ is under f32's smallest normal number: 0 (as for −∞, a mask's value).
const MIN_INPUT: f32 = -87.33;

/// eˣ, with e^−∞ = 0, e^+∞ = +∞ and e^NaN = NaN.
#[inline(always)]
pub fn exp(x: f32) -> f32 {
    // Compare-and-select rather than `clamp`, which wasm lowers to `fminf`/`fmaxf` calls that stop
    // a loop vectorising; NaN passes through and is returned below.
    let low = if x > MIN_INPUT { x } else { MIN_INPUT };
    let clamped = if low < MAX_INPUT { low } else { MAX_INPUT };
    let n = (clamped * LOG2_E + 0.5).floor();
    let r = clamped - n * LN2_HIGH - n * LN2_LOW;
    let r2 = r * r;
    let p = ((((1.987_569_1e-4 * r + 1.398_2e-3) * r + 8.333_452e-3) * r + 4.166_579_6e-2) * r
        + 1.666_666_5e-1)
        * r
        + 0.5;
    let e_r = p * r2 + r + 1.0;
    // 2ⁿ from its exponent bits; n reaches 128 near the top of the range, past f32's largest
    // power of two, so there it is 2¹²⁷·2.
    let (n, twice) = if n > 127.0 { (n - 1.0, 2.0) } else { (n, 1.0) };
    let two_n = f32::from_bits(((n as i32 + 127) as u32) << 23);
    let value = e_r * two_n * twice;
    if x < MIN_INPUT {
        0.0
    } else if x > MAX_INPUT {
        f32::INFINITY
    } else if x.is_nan() {
        x
    } else {
        value
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_f64_exp_across_the_range() {
        let mut worst = 0.0f64;
        let mut x = -87.0f32;
        while x < 88.7 {
            let exact = (x as f64).exp();
            let relative = ((exp(x) as f64 - exact) / exact).abs();
            worst = worst.max(relative);
            x += 0.001_7;
        }
        assert!(worst < 2e-7, "worst relative error {worst:e}");
    }

    #[test]
    fn ends_and_special_values() {
        assert_eq!(exp(0.0), 1.0);
        assert_eq!(exp(f32::NEG_INFINITY), 0.0);
        assert_eq!(exp(-100.0), 0.0);
        assert_eq!(exp(f32::INFINITY), f32::INFINITY);
        assert_eq!(exp(100.0), f32::INFINITY);
        assert!(exp(f32::NAN).is_nan());
        assert!((exp(1.0) - std::f32::consts::E).abs() <= f32::EPSILON * 3.0);
    }
}
