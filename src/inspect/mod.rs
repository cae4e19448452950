//! What the views need from a model: the decision-boundary grid and projections.

mod boundary;
pub mod projection;

pub use boundary::{EXTENT, boundary_grid, boundary_grid_over, boundary_points};
