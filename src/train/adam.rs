//! Adam (Kingma & Ba, 2015) exactly as Burn's `Adam` computes it, with the update of a parameter
//! on the CPU backend as one loop.
//!
//! Why: Burn's Adam is about a dozen tensor operations per parameter and step (scale, add, square,
//! sqrt, divide, subtract, each allocating), and a transformer has two dozen parameters, many of
//! them a few dozen numbers long: 6% of the reversal transformer's step in the wasm build went
//! there. Anywhere but flex (WebGPU) this defers to Burn's `Adam`; the state is
//! Burn's `AdamState` either way, so the two can take over from each other.

use crate::kernels::{flex_of, values};
use burn::backend::Flex;
use burn::backend::flex::FlexTensor;
use burn::optim::decay::WeightDecayConfig;
use burn::optim::{Adam, AdamConfig, AdamState, AdaptiveMomentumState, LearningRate, Optimizer};
use burn::prelude::*;

/// Burn's defaults for Adam.
const BETA_1: f32 = 0.9;
const BETA_2: f32 = 0.999;
const EPSILON: f32 = 1e-5;

#[derive(Clone)]
pub struct FusedAdam {
    /// The same optimiser for other backends.
    burn: Adam,
    /// L2 penalty added to the gradient, as Burn's `WeightDecay`.
    weight_decay: Option<f32>,
}

impl FusedAdam {
    pub fn new(weight_decay: Option<f32>) -> Self {
        let config = AdamConfig::new()
            .with_beta_1(BETA_1)
            .with_beta_2(BETA_2)
            .with_epsilon(EPSILON)
            .with_weight_decay(weight_decay.map(WeightDecayConfig::new));
        Self {
            burn: config.build(),
            weight_decay,
        }
    }
}

impl Optimizer for FusedAdam {
    type State<const D: usize> = AdamState<D>;

    fn step<const D: usize>(
        &self,
        lr: LearningRate,
        tensor: Tensor<D>,
        grad: Tensor<D>,
        state: Option<AdamState<D>>,
    ) -> (Tensor<D>, Option<AdamState<D>>) {
        let shape = tensor.shape();
        let moments = state.as_ref().map(|s| {
            let m = &s.momentum;
            (
                flex_of(m.moment_1.clone()),
                flex_of(m.moment_2.clone()),
                m.time,
            )
        });
        let (param, grad, moments, time) =
            match (flex_of(tensor.clone()), flex_of(grad.clone()), moments) {
                (Some(p), Some(g), None) => (p, g, None, 1),
                (Some(p), Some(g), Some((Some(m), Some(v), time))) => {
                    (p, g, Some((m, v)), time + 1)
                }
                _ => return self.burn.step(lr, tensor, grad, state),
            };
        let (updated, moment_1, moment_2) = self.update(lr, time, &param, &grad, moments);
        let tensor = |values: Vec<f32>| {
            Tensor::<D>::from_primitive::<Flex>(FlexTensor::from_data(TensorData::new(
                values,
                shape.clone(),
            )))
        };
        let momentum = AdaptiveMomentumState::new(time, tensor(moment_1), tensor(moment_2));
        (tensor(updated), Some(AdamState::new(momentum)))
    }

    fn to_device<const D: usize>(state: AdamState<D>, device: &Device) -> AdamState<D> {
        Adam::to_device(state, device)
    }
}

impl FusedAdam {
    /// One Adam step of a parameter: the parameter and both moments after it, with Burn's
    /// arithmetic (the bias corrections folded into one factor and into ε).
    fn update(
        &self,
        lr: LearningRate,
        time: usize,
        param: &FlexTensor,
        grad: &FlexTensor,
        moments: Option<(FlexTensor, FlexTensor)>,
    ) -> (Vec<f32>, Vec<f32>, Vec<f32>) {
        let param = values(param);
        let grad = values(grad);
        let n = param.len();
        let (mut moment_1, mut moment_2) = match moments {
            Some((m, v)) => (values(&m).into_owned(), values(&v).into_owned()),
            None => (vec![0.0; n], vec![0.0; n]),
        };
        let (beta_1, beta_2) = (BETA_1 as f64, BETA_2 as f64);
        let bias_2_sqrt = (1.0 - beta_2.powi(time as i32)).sqrt();
        let factor = (bias_2_sqrt / (1.0 - beta_1.powi(time as i32))) as f32;
        let epsilon = (EPSILON as f64 * bias_2_sqrt) as f32;
        let (keep_1, keep_2) = (BETA_1, BETA_2);
        let (take_1, take_2) = ((1.0 - beta_1) as f32, (1.0 - beta_2) as f32);
        let (lr, decay) = (lr as f32, self.weight_decay.unwrap_or(0.0));
        let mut updated = vec![0.0; n];
        // Iterators rather than indices, so that no bounds check stops the loop vectorising.
        let state = moment_1.iter_mut().zip(moment_2.iter_mut());
        let rows = param
            .iter()
            .zip(grad.iter())
            .zip(updated.iter_mut())
            .zip(state);
        for (((p, g), u), (m, v)) in rows {
            let g = g + decay * p;
            *m = *m * keep_1 + g * take_1;
            *v = *v * keep_2 + g * g * take_2;
            *u = p - *m * factor / (v.sqrt() + epsilon) * lr;
        }
        (updated, moment_1, moment_2)
    }
}
