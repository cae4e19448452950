//! What the views need from a model: the decision-boundary grid, projections and the network
//! diagram's units.

mod boundary;
pub mod projection;
pub mod units;

pub use boundary::{EXTENT, boundary_grid, boundary_grid_over, boundary_points};
