//! Helpers shared by the native test files.

/// erf by Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7) in f64, for GELU's exact form:
/// independent of the 7.1.28 form the GELU kernel uses.
pub fn erf(x: f64) -> f64 {
    let t = 1.0 / (1.0 + 0.327_591_1 * x.abs());
    let poly = t
        * (0.254_829_592
            + t * (-0.284_496_736
                + t * (1.421_413_741 + t * (-1.453_152_027 + t * 1.061_405_429))));
    let y = 1.0 - poly * (-x * x).exp();
    if x >= 0.0 { y } else { -y }
}
