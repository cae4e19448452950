//! GELU(x) = x·Φ(x), Φ the standard normal CDF: the exact (erf) GELU, not GPT-2's tanh
//! approximation (which differs from it by up to 5·10⁻⁴).
//!
//! On the CPU the erf is Abramowitz & Stegun 7.1.28: for z ≥ 0,
//!   erf(z) = 1 − (1 + a₁z + a₂z² + … + a₆z⁶)⁻¹⁶,  |error| ≤ 3·10⁻⁷,
//! arithmetic only, so the loop vectorises (Burn's flex `gelu` calls the scalar `libm` erf per
//! element, and its backward erf and exp again). Values are within 10⁻⁶ and slopes within 2·10⁻⁶
//! of the exact ones (tests/kernels.rs, against an independent f64 erf). The slope is computed in
//! the same loop and kept for the backward pass, which is then one multiplication.

use super::{Route, Tracked, flex, record, values};
use burn::backend::autodiff::checkpoint::base::Checkpointer;
use burn::backend::autodiff::grads::Gradients;
use burn::backend::autodiff::ops::{Backward, Ops, unary};
use burn::backend::flex::FlexTensor;
use burn::backend::{AutodiffBackend, Flex};
use burn::prelude::*;

/// A&S 7.1.28's a₁..a₆ divided by √2^i, so that the polynomial takes |x| rather than |x|/√2.
const COEFFICIENTS: [f32; 6] = [
    (0.070_523_078_4 / std::f64::consts::SQRT_2) as f32,
    (0.042_282_012_3 / 2.0) as f32,
    (0.009_270_527_2 / (2.0 * std::f64::consts::SQRT_2)) as f32,
    (0.000_152_014_3 / 4.0) as f32,
    (0.000_276_567_2 / (4.0 * std::f64::consts::SQRT_2)) as f32,
    (0.000_043_063_8 / 8.0) as f32,
];

/// Past |x| = 10, erf(|x|/√2) is 1 in f32; clamping there keeps the polynomial's powers finite.
const SATURATED: f32 = 10.0;

/// GELU(x) = x·Φ(x) = ½·x·(1 + erf(x/√2)) elementwise.
pub fn gelu<const D: usize>(x: Tensor<D>) -> Tensor<D> {
    match super::route(x) {
        Route::Tracked(x) => {
            let input = Tracked::inner(x.clone());
            let (value, slope) = gelu_and_slope(&values(&input));
            let shape = input.layout().shape().clone();
            let slope = flex(slope, shape.clone());
            record(GeluBackward, [&x], slope, flex(value, shape))
        }
        Route::Plain(x) => {
            let (value, _) = gelu_and_slope(&values(&x));
            Tensor::from_primitive::<Flex>(flex(value, x.layout().shape().clone()))
        }
        Route::Elsewhere(x) => burn::tensor::activation::gelu(x),
    }
}

/// GELU(x) and GELU'(x) = Φ(x) + x·φ(x) for each x.
fn gelu_and_slope(xs: &[f32]) -> (Vec<f32>, Vec<f32>) {
    let [c1, c2, c3, c4, c5, c6] = COEFFICIENTS;
    // Written once each below, so not zeroed first (a memset of both, ~1% of a step).
    let (mut value, mut slope) = (Vec::with_capacity(xs.len()), Vec::with_capacity(xs.len()));
    let outputs = value
        .spare_capacity_mut()
        .iter_mut()
        .zip(slope.spare_capacity_mut());
    for (&x, (v, s)) in xs.iter().zip(outputs) {
        // (`f32::min` would be a `fminf` call in wasm, which stops the loop vectorising.)
        let z = if x.abs() < SATURATED {
            x.abs()
        } else {
            SATURATED
        };
        // p(z) = 1 + c₁z + … + c₆z⁶ and p'(z), by Horner.
        let p = (((((c6 * z + c5) * z + c4) * z + c3) * z + c2) * z + c1) * z + 1.0;
        let p_slope =
            ((((6.0 * c6 * z + 5.0 * c5) * z + 4.0 * c4) * z + 3.0 * c3) * z + 2.0 * c2) * z + c1;
        // E(z) = erf(z/√2) = 1 − p⁻¹⁶ and E'(z) = 16·p⁻¹⁷·p'(z), by four squarings of 1/p.
        let inverse = 1.0 / p;
        let inverse_2 = inverse * inverse;
        let inverse_4 = inverse_2 * inverse_2;
        let inverse_8 = inverse_4 * inverse_4;
        let inverse_16 = inverse_8 * inverse_8;
        let erf = (1.0 - inverse_16).copysign(x); // erf(x/√2), odd in x
        // even in x; 0 where z was clamped (x·E' would otherwise grow with x there)
        let erf_slope = if x.abs() < SATURATED {
            16.0 * inverse_16 * inverse * p_slope
        } else {
            0.0
        };
        let cdf = 0.5 * (1.0 + erf);
        v.write(x * cdf);
        s.write(cdf + 0.5 * x * erf_slope);
    }
    // SAFETY: the loop wrote every one of the first xs.len() elements of both.
    unsafe {
        value.set_len(xs.len());
        slope.set_len(xs.len());
    }
    (value, slope)
}

/// d/dx GELU = the slope kept from the forward pass.
#[derive(Debug)]
struct GeluBackward;

impl Backward<Flex, 1> for GeluBackward {
    type State = FlexTensor;

    fn backward(self, ops: Ops<FlexTensor, 1>, grads: &mut Gradients, _: &mut Checkpointer) {
        let slope = ops.state;
        unary::<Flex, _>(ops.parents, ops.node, grads, |grad| {
            let product = values(&grad)
                .iter()
                .zip(values(&slope).iter())
                .map(|(g, s)| g * s)
                .collect();
            flex(product, slope.layout().shape().clone())
        });
    }
}
