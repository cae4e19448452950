//! What the views need from a model: the decision-boundary grid.

mod boundary;

pub use boundary::{EXTENT, boundary_grid};
