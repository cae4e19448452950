//! The transformer MLP's GELU, x·Φ(x) with Φ the standard normal CDF, computed from elementwise
//! arithmetic only.
//!
//! Why not `burn::tensor::activation::gelu`: on the CPU backend (flex) that is one pass, but one
//! that calls the scalar `libm` erf per element, and its backward calls erf and exp again; in the
//! wasm build (no vectorised erf or exp there) they were about half of the reversal transformer's
//! training step. Additions, multiplications, divisions and clamps run as SIMD passes instead.
//!
//! The erf is Abramowitz & Stegun 7.1.28: for z ≥ 0,
//!   erf(z) = 1 − (1 + a₁z + a₂z² + … + a₆z⁶)⁻¹⁶,  |error| ≤ 3·10⁻⁷,
//! so this is the exact (erf) GELU to within f32 rounding: |difference| < 10⁻⁶ in value and
//! < 2·10⁻⁶ in slope (tests/model.rs pins both against an independent f64 erf). It is not the
//! tanh approximation (GPT-2's), which differs from the exact GELU by up to 5·10⁻⁴.
//!
//! The slope is computed alongside the value rather than left to autodiff, which would record
//! and differentiate each of the ~40 operations; see `with_slope`.

use burn::prelude::*;

/// A&S 7.1.28's a₁..a₆ divided by √2^i, so that the polynomial takes |x| rather than |x|/√2.
const COEFFICIENTS: [f64; 6] = [
    0.070_523_078_4 / std::f64::consts::SQRT_2,
    0.042_282_012_3 / 2.0,
    0.009_270_527_2 / (2.0 * std::f64::consts::SQRT_2),
    0.000_152_014_3 / 4.0,
    0.000_276_567_2 / (4.0 * std::f64::consts::SQRT_2),
    0.000_043_063_8 / 8.0,
];

/// Past |x| = 10, erf(|x|/√2) is 1 in f32; clamping there keeps the polynomial's powers finite.
const SATURATED: f64 = 10.0;

/// Added to |x| before dividing by it, so that x = 0 gives 0/TINY; too small to change any other |x|.
const TINY: f64 = 1e-30;

/// GELU(x) = x·Φ(x) = ½·x·(1 + erf(x/√2)) elementwise.
pub fn gelu<const D: usize>(x: Tensor<D>) -> Tensor<D> {
    let plain = x.clone().detach();
    let magnitude = plain.clone().abs();
    let z = magnitude.clone().clamp_max(SATURATED);

    // p(z) = 1 + c₁z + … + c₆z⁶ and p'(z), by Horner.
    let [c1, c2, c3, c4, c5, c6] = COEFFICIENTS;
    let mut p = z.clone() * c6;
    for c in [c5, c4, c3, c2, c1] {
        p = (p + c) * z.clone();
    }
    let p = p + 1.0;
    let mut p_slope = z.clone() * (6.0 * c6);
    for (k, c) in [(5.0, c5), (4.0, c4), (3.0, c3), (2.0, c2)] {
        p_slope = (p_slope + k * c) * z.clone();
    }
    let p_slope = p_slope + c1;

    // E(z) = erf(z/√2) = 1 − p⁻¹⁶ and E'(z) = 16·p⁻¹⁷·p'(z), by four squarings of 1/p.
    let inverse = p.recip();
    let mut inverse_16 = inverse.clone();
    for _ in 0..4 {
        inverse_16 = inverse_16.clone() * inverse_16;
    }
    let erf_of_magnitude = inverse_16.clone().neg() + 1.0;
    let erf_slope = inverse_16 * inverse * p_slope * 16.0;

    // erf(x/√2) = x·E(|x|)/|x|: flex's `sign` is a slow scalar pass, a division is not.
    // GELU = x·Φ(x); GELU' = Φ(x) + ½·x·E'(|x|), as E' is even.
    let erf = plain.clone() * (erf_of_magnitude / (magnitude + TINY));
    let cdf = (erf + 1.0) * 0.5;
    let value = plain.clone() * cdf.clone();
    let slope = plain * erf_slope * 0.5 + cdf;
    with_slope(x, value, slope)
}

/// `value`, computed from `x` outside the autodiff graph, given d(value)/dx = `slope` elementwise.
///
/// x − detach(x) is zero, but its gradient with respect to x is one, so
/// value + (x − detach(x))·slope equals `value` and backpropagates grad·slope: three recorded
/// operations, and one multiplication backward, however many the value and slope took.
/// Without autodiff (evaluation) the correction is zero times `slope`.
fn with_slope<const D: usize>(x: Tensor<D>, value: Tensor<D>, slope: Tensor<D>) -> Tensor<D> {
    let zero = x.clone() - x.detach();
    value + zero * slope.detach()
}
