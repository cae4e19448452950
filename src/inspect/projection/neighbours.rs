//! The k nearest neighbours of one point by cosine similarity, in the space the vectors live
//! in (not in the projection, which distorts distances).

use crate::train::read_floats;
use burn::prelude::*;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Neighbour {
    pub index: usize,
    pub similarity: f32,
}

/// Cosine similarity of row `index` of `x` [n, d] with every row, [n], on x's device.
/// A zero row has similarity 0 with everything.
pub fn cosine_similarities(x: Tensor<2>, index: usize) -> Result<Tensor<1>, String> {
    let [n, d] = x.dims();
    if index >= n {
        return Err(format!("there is no point {index}: the projection has {n}"));
    }
    let norms = x
        .clone()
        .powf_scalar(2.0)
        .sum_dim(1)
        .sqrt()
        .clamp_min(1e-12); // [n, 1]
    let unit = x / norms; // [n, d]
    let query = unit.clone().slice([index..index + 1, 0..d]); // [1, d]
    Ok(unit.matmul(query.transpose()).reshape([n])) // [n]
}

/// The `k` rows most similar to row `index` (itself left out), most similar first.
/// Reads back the n similarities (small) and ranks them on the host: a sort on the device
/// would read back synchronously on some backends, which traps in the browser.
pub async fn cosine_neighbours(
    x: Tensor<2>,
    index: usize,
    k: usize,
) -> Result<Vec<Neighbour>, String> {
    let similarities = read_floats(cosine_similarities(x, index)?).await?;
    Ok(top_k(&similarities, index, k))
}

/// The `k` largest values (NaN last), leaving out position `exclude`; ties by index.
pub fn top_k(values: &[f32], exclude: usize, k: usize) -> Vec<Neighbour> {
    let mut ranked: Vec<Neighbour> = values
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != exclude)
        .map(|(index, similarity)| Neighbour {
            index,
            similarity: *similarity,
        })
        .collect();
    let key = |s: f32| if s.is_nan() { f32::NEG_INFINITY } else { s };
    ranked.sort_by(|a, b| {
        key(b.similarity)
            .total_cmp(&key(a.similarity))
            .then(a.index.cmp(&b.index))
    });
    ranked.truncate(k);
    ranked
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn top_k_leaves_out_the_point_itself() {
        let top = top_k(&[1.0, 0.5, 0.9, f32::NAN, 0.9], 0, 3);
        let order: Vec<usize> = top.iter().map(|n| n.index).collect();
        assert_eq!(order, vec![2, 4, 1]);
    }

    #[test]
    fn a_point_past_the_end_is_an_error() {
        let x = Tensor::<2>::ones([3, 2], &Device::flex());
        let err = cosine_similarities(x, 3).unwrap_err();
        assert_eq!(err, "there is no point 3: the projection has 3");
    }
}
