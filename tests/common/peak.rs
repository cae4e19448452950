//! A counting global allocator (the system's, wrapped): the bytes live now and their peak, to
//! measure what building a trainer, a few steps and an evaluation really allocate on the CPU,
//! against `kindling::train::memory`'s estimate. Included by tests/memory.rs and
//! examples/memory_budget.rs (`#[path]`), each a binary of its own: the allocator counts every
//! thread, so a measurement must run alone in its binary.

use burn::prelude::*;
use futures_lite::future::block_on;
use kindling::train::{Learning, SequenceTrainer, Trainer, read_floats};
use kindling::{SequenceSettings, Settings};
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

pub struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn grew(bytes: usize) {
    let live = LIVE.fetch_add(bytes, Ordering::Relaxed) + bytes;
    PEAK.fetch_max(live, Ordering::Relaxed);
}

// SAFETY: every call goes to `System` unchanged; the counters only observe sizes.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
            grew(new_size);
        }
        p
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// The peak of live bytes while `f` runs, above those live when it started.
pub fn peak_of<T>(f: impl FnOnce() -> T) -> (T, usize) {
    let start = LIVE.load(Ordering::Relaxed);
    PEAK.store(start, Ordering::Relaxed);
    let out = f();
    (out, PEAK.load(Ordering::Relaxed) - start)
}

/// `steps` training steps with their losses read, and one evaluation read.
fn exercise(learner: &mut dyn Learning, steps: usize) {
    for _ in 0..steps {
        learner.train(1);
        let losses = learner.take_losses().expect("a step was taken");
        block_on(read_floats(losses)).expect("losses read");
    }
    block_on(read_floats(learner.evaluate())).expect("evaluation read");
}

/// The peak bytes of building the MLP of `settings` on the CPU, `steps` steps and an evaluation.
pub fn mlp_peak(settings: &Settings, steps: usize) -> usize {
    peak_of(|| {
        let mut trainer = Trainer::new(settings, &Device::flex()).expect("settings fit");
        exercise(&mut trainer, steps);
    })
    .1
}

/// As `mlp_peak`, for the transformer of `settings`.
pub fn transformer_peak(settings: &SequenceSettings, steps: usize) -> usize {
    peak_of(|| {
        let mut trainer = SequenceTrainer::new(settings, &Device::flex()).expect("settings fit");
        exercise(&mut trainer, steps);
    })
    .1
}

/// The default transformer with this shape: the configurations the measurements range over.
pub fn transformer(
    d_model: usize,
    heads: usize,
    layers: usize,
    length: usize,
    batch: usize,
) -> SequenceSettings {
    let mut s = SequenceSettings::default();
    s.model.d_model = d_model;
    s.model.heads = heads;
    s.model.layers = layers;
    s.data.length = length;
    s.train.batch_size = batch;
    s
}
