//! What the views need from a model: the decision-boundary grid, projections, the network
//! diagram's units, and one head's attention step by step.

pub mod attention_steps;
mod boundary;
pub mod projection;
pub mod units;

pub use attention_steps::{AttentionSteps, attention_steps, cosine_similarity_matrix, is_masked};
pub use boundary::{EXTENT, boundary_grid, boundary_grid_over, boundary_points};
