//! Projections of what a model has learned to 2-D, for the projection view: which vectors
//! (`Source`), PCA on their device, cosine neighbours, labels, and keeping successive frames
//! aligned. UMAP and t-SNE run in the page's projection worker (www/projection-worker.js).

mod align;
mod labels;
mod neighbours;
mod pca;

pub use align::{align_signs, procrustes};
pub use labels::{Colouring, PointLabels, position_labels, test_point_labels, token_labels};
pub use neighbours::{Neighbour, cosine_neighbours, cosine_similarities, top_k};
pub use pca::{Pca, VARIANCE_SHOWN, centred_covariance, pca, symmetric_eigen};

/// The view stays interactive up to this many points; sources are cut to it.
pub const MAX_POINTS: usize = 10_000;

/// Which vectors to project.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// The last hidden layer of the MLP, one vector per test point.
    Hidden,
    /// The token embedding table, one vector per vocabulary entry.
    Embedding,
    /// The output of transformer block `n` (0-based), one vector per position of the test sequences.
    Block(usize),
}

impl Source {
    /// "hidden", "embedding", or "block" with its index.
    pub fn parse(name: &str, block: usize) -> Result<Self, String> {
        match name {
            "hidden" => Ok(Source::Hidden),
            "embedding" => Ok(Source::Embedding),
            "block" => Ok(Source::Block(block)),
            other => Err(format!(
                "unknown projection source '{other}': use 'hidden', 'embedding' or 'block'"
            )),
        }
    }
}
