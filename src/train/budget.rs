//! The memory a model may take on its device, and the refusal of settings that would take more,
//! naming the setting to lower and the largest value of it that fits. Checked where the
//! trainers are built (`Trainer::with_source`, `SequenceTrainer::with_data`), so every path to a
//! model (the settings panel, a link, a model file, a user's file) passes through it.

use super::memory::{self, Estimate, MlpData, SequenceShape, human};
use crate::data::SequenceTask;
use crate::error::{Field, UserError, Wording};
use crate::model::{MAX_UNITS, MlpConfig};
use crate::settings::{DATA, MODEL, NETWORK, TRAINING, in_section};
use crate::{SequenceSettings, Settings, SettingsError};

static OVER_BUDGET: Wording = Wording::new(
    "over-budget",
    "this model needs {needed} for {what} ({part}); the budget on {device} is {budget}.",
);
static OVER_BUFFER: Wording = Wording::new(
    "over-buffer",
    "this model needs a buffer of {needed} ({part}); the largest buffer on {device} is {budget}.",
);
pub static ON_CPU: Wording = Wording::new("term-the-cpu", "the CPU");
pub static ON_WEBGPU: Wording = Wording::new("term-webgpu", "WebGPU");
static ONE_BATCH: Wording = Wording::new("term-one-batch", "one batch");
static ONE_EVALUATION: Wording = Wording::new("term-one-evaluation", "one evaluation");
static LARGEST_THAT_FITS: Wording = Wording::new(
    "largest-that-fits",
    "{reason} The largest {setting} that fits is {value}.",
);
static NONE_ALONE_MLP: Wording = Wording::new(
    "none-alone-mlp",
    "{reason} No batch size or number of units per layer alone makes it fit (the data takes {data} of it): lower several.",
);
static NONE_ALONE_TRANSFORMER: Wording = Wording::new(
    "none-alone-transformer",
    "{reason} No batch size or length or number of heads alone makes it fit (the data takes {data} of it): lower several.",
);
static UNITS_PER_LAYER: Wording = Wording::new("term-units-per-layer", "number of units per layer");
static LENGTH: Wording = Wording::new("term-length", "length");
static HEADS: Wording = Wording::new("term-heads", "number of heads");
static BATCH_SIZE: Wording = Wording::new("term-batch-size", "batch size");
use burn::prelude::Device;
use std::sync::atomic::{AtomicU64, Ordering};

const GIB: u64 = 1024 * 1024 * 1024;
const MIB: u64 = 1024 * 1024;

/// One model's share of the CPU's wasm memory. wasm32 addresses 4 GiB at most, and a tab seldom
/// gets that: memory grows in 64 KiB pages that must stay contiguous, `memory.grow` fails well
/// below 4 GiB once the tab's other allocations (JS heap, the 40 MB of wasm code, the events'
/// copies) are in the way, and a failed grow kills the instance. The page may also hold two
/// models at once (auto's timing builds a throwaway copy beside the model in force). 1 GiB per
/// model leaves room for both and the rest.
pub const CPU_BUDGET: u64 = GIB;

/// One model's share of the GPU. WebGPU tells no one how much memory the GPU has; integrated
/// GPUs (and SwiftShader, the headless tests' adapter) take it from the system's memory. 2 GiB
/// is what a laptop can lend a tab without swapping. A stated guess, not a measurement.
pub const WEBGPU_BUDGET: u64 = 2 * GIB;

/// The WebGPU spec's default `maxStorageBufferBindingSize`, what every adapter offers at least:
/// the largest buffer until `set_webgpu_buffer_limit` tells the device's own.
pub const WEBGPU_DEFAULT_BUFFER: u64 = 128 * MIB;

/// The allocator's overhead over the live bytes: a peak needs this much more memory than the
/// tensors alive at it. On the CPU, wasm's allocator never gives memory back and a step frees
/// and reallocates tensors of many sizes (fragmentation); cubecl's pools on WebGPU round each
/// buffer up to its page. A named margin, as a fraction: 5/4.
pub const ALLOCATOR_OVERHEAD: (u64, u64) = (5, 4);

/// The WebGPU device's largest buffer, set once it is created (0: not known).
static WEBGPU_BUFFER: AtomicU64 = AtomicU64::new(0);

/// Records the WebGPU device's limit on one buffer: the smaller of its `maxBufferSize` and
/// `maxStorageBufferBindingSize` (every tensor is a storage buffer).
pub fn set_webgpu_buffer_limit(bytes: u64) {
    WEBGPU_BUFFER.store(bytes, Ordering::Relaxed);
}

/// What a model may take on one device.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Budget {
    /// "the CPU", "WebGPU": where the message says the budget is.
    pub device: &'static Wording,
    pub total: u64,
    /// The largest single tensor, where the device has such a limit.
    pub largest_buffer: Option<u64>,
}

impl Budget {
    pub const CPU: Budget = Budget {
        device: &ON_CPU,
        total: CPU_BUDGET,
        largest_buffer: None,
    };

    pub fn webgpu() -> Budget {
        let known = WEBGPU_BUFFER.load(Ordering::Relaxed);
        Budget {
            device: &ON_WEBGPU,
            total: WEBGPU_BUDGET,
            largest_buffer: Some(if known == 0 {
                WEBGPU_DEFAULT_BUFFER
            } else {
                known
            }),
        }
    }

    /// The budget of `device`: the CPU's for flex, WebGPU's for any other.
    pub fn of(device: &Device) -> Budget {
        if crate::kernels::is_tracked_flex(&device.clone().autodiff()) {
            Budget::CPU
        } else {
            Budget::webgpu()
        }
    }

    /// The bytes `estimate` needs here, with the allocator's overhead.
    pub fn needed(estimate: &Estimate) -> u64 {
        estimate.peak() * ALLOCATOR_OVERHEAD.0 / ALLOCATOR_OVERHEAD.1
    }

    fn fits(&self, estimate: &Estimate) -> bool {
        Self::needed(estimate) <= self.total
            && self
                .largest_buffer
                .is_none_or(|limit| estimate.largest_tensor.bytes <= limit)
    }

    /// Why `estimate` does not fit, or None when it does.
    fn overrun(&self, estimate: &Estimate) -> Option<UserError> {
        let needed = Self::needed(estimate);
        if needed > self.total {
            let what = if estimate.train >= estimate.eval {
                &ONE_BATCH
            } else {
                &ONE_EVALUATION
            };
            return Some(UserError::new(
                &OVER_BUDGET,
                [
                    ("needed", human(needed).into()),
                    ("what", what.into()),
                    (
                        "part",
                        Field::Error(Box::new(estimate.largest_part.what.clone())),
                    ),
                    ("device", self.device.into()),
                    ("budget", human(self.total).into()),
                ],
            ));
        }
        let limit = self.largest_buffer?;
        (estimate.largest_tensor.bytes > limit).then(|| {
            UserError::new(
                &OVER_BUFFER,
                [
                    ("needed", human(estimate.largest_tensor.bytes).into()),
                    (
                        "part",
                        Field::Error(Box::new(estimate.largest_tensor.what.clone())),
                    ),
                    ("device", self.device.into()),
                    ("budget", human(limit).into()),
                ],
            )
        })
    }
}

/// One setting the refusal may name: its section and name in the message, its value, and how to
/// set it.
struct Knob<S> {
    section: &'static Wording,
    name: &'static Wording,
    value: usize,
    /// Whether the settings with this value are valid, where lowering alone may break them
    /// (heads must divide d_model; brackets need an even length).
    valid: fn(&S, usize) -> bool,
    set: fn(&mut S, usize),
}

/// The largest value in 1..=knob.value with which `fits` holds (fits is monotone in each knob).
fn largest_fitting<S: Clone>(
    settings: &S,
    knob: &Knob<S>,
    fits: &dyn Fn(&S) -> bool,
) -> Option<usize> {
    let valid_and_fits = |v: usize| {
        let mut s = settings.clone();
        (knob.set)(&mut s, v);
        (knob.valid)(&s, v) && fits(&s)
    };
    // Binary search for the largest v that fits, then step down past values that are invalid.
    let (mut lo, mut hi) = (0usize, knob.value);
    while lo < hi {
        let mid = lo + (hi - lo).div_ceil(2);
        let mut s = settings.clone();
        (knob.set)(&mut s, mid);
        if fits(&s) {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    (1..=lo).rev().find(|v| valid_and_fits(*v))
}

/// The refusal of `settings` if `estimate_of` them exceeds `budget`, naming the first of `knobs`
/// that can be lowered to fit, and its largest fitting value.
fn refuse<S: Clone>(
    settings: &S,
    budget: &Budget,
    estimate_of: &dyn Fn(&S) -> Estimate,
    knobs: &[Knob<S>],
    none_alone: &'static Wording,
) -> Result<(), SettingsError> {
    let estimate = estimate_of(settings);
    let Some(why) = budget.overrun(&estimate) else {
        return Ok(());
    };
    let fits = |s: &S| budget.fits(&estimate_of(s));
    for knob in knobs {
        if let Some(v) = largest_fitting(settings, knob, &fits) {
            let mut e = UserError::wrapping(&LARGEST_THAT_FITS, why);
            e.fields
                .extend([("setting", knob.name.into()), ("value", Field::plain(v))]);
            return Err(in_section(knob.section)(e));
        }
    }
    let mut e = UserError::wrapping(none_alone, why);
    e.fields.push(("data", human(estimate.data).into()));
    Err(in_section(knobs[0].section)(e))
}

/// Refuses an MLP (`settings`, on data of `data`'s size) that would need more than `budget`.
pub fn check_mlp(
    settings: &Settings,
    data: &MlpData,
    budget: &Budget,
) -> Result<(), SettingsError> {
    let estimate_of = |s: &Settings| memory::mlp(&s.model, &s.train, data);
    let widest = settings
        .model
        .hidden
        .iter()
        .map(|l| l.units)
        .max()
        .unwrap_or(0);
    let knobs = [
        batch_knob(
            settings.train.batch_size,
            data.train_rows,
            |s: &mut Settings, v| s.train.batch_size = v,
        ),
        Knob {
            section: &NETWORK,
            name: &UNITS_PER_LAYER,
            value: widest.min(MAX_UNITS),
            valid: |_, _| true,
            set: |s: &mut Settings, v| cap_units(&mut s.model, v),
        },
    ];
    refuse(settings, budget, &estimate_of, &knobs, &NONE_ALONE_MLP)
}

/// Refuses a transformer (`settings`, on sequences of `shape`) that would need more than `budget`.
pub fn check_transformer(
    settings: &SequenceSettings,
    shape: &SequenceShape,
    budget: &Budget,
) -> Result<(), SettingsError> {
    let estimate_of = |s: &SequenceSettings| {
        let mut shape = *shape;
        shape.length = s.data.length;
        shape.targets = if shape.targets == 1 { 1 } else { s.data.length };
        memory::transformer(&s.model, &s.train, &shape)
    };
    // The data's length is the settings' when they made it; an uploaded text's is its own.
    let mut settings = settings.clone();
    settings.data.length = shape.length;
    let knobs = [
        batch_knob(
            settings.train.batch_size,
            shape.train,
            |s: &mut SequenceSettings, v| s.train.batch_size = v,
        ),
        Knob {
            section: &DATA,
            name: &LENGTH,
            value: shape.length,
            valid: |s, v| v >= 2 && (s.data.task != SequenceTask::Brackets || v % 2 == 0),
            set: |s, v| s.data.length = v,
        },
        Knob {
            section: &MODEL,
            name: &HEADS,
            value: settings.model.heads,
            valid: |s, v| s.model.d_model.is_multiple_of(v),
            set: |s, v| s.model.heads = v,
        },
    ];
    refuse(
        &settings,
        budget,
        &estimate_of,
        &knobs,
        &NONE_ALONE_TRANSFORMER,
    )
}

/// The batch size, as far as it matters: a batch larger than the train set takes all of it.
fn batch_knob<S>(batch_size: usize, train_len: usize, set: fn(&mut S, usize)) -> Knob<S> {
    Knob {
        section: &TRAINING,
        name: &BATCH_SIZE,
        value: memory::effective_batch(batch_size, train_len),
        valid: |_, _| true,
        set,
    }
}

/// Every hidden layer at most `units` wide.
fn cap_units(model: &mut MlpConfig, units: usize) {
    for layer in &mut model.hidden {
        layer.units = layer.units.min(units);
    }
}
