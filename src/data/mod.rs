//! Datasets: built-in 2-D generators and sequence tasks, tables and text a user uploads
//! (`table`), train/test splits and minibatches.

mod batch;
mod points;
mod rng;
pub mod samples;
mod sequences;
pub mod table;
pub mod text;
mod typed_text;

pub use batch::{Batch, Batcher};
pub use points::{DATA_RADIUS, Dataset, DatasetConfig, DatasetKind, EXTENT, Points, Task};
pub use rng::Rng;
pub use sequences::{
    CORPUS, Example, SequenceData, SequenceDataConfig, SequenceKind, SequenceTask, is_balanced,
};
pub use typed_text::{TypedText, typed_text};
