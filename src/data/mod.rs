//! Datasets: built-in 2-D generators, train/test splits and minibatches.

mod batch;
mod points;
mod rng;

pub use batch::{Batch, Batcher};
pub use points::{DATA_RADIUS, Dataset, DatasetConfig, DatasetKind, EXTENT, Points, Task};
pub use rng::Rng;
