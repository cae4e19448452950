//! Evaluation in chunks: a large test set goes through the model a chunk of rows at a time, so
//! that an evaluation never needs much more memory than a training batch (or a few MiB, where
//! that is more: `MLP_CHUNK_FLOOR`, `memory::EVAL_CHUNK_BYTES`); the chunks' results
//! are summed (or concatenated) on the device, so it is still one readback.

use burn::prelude::*;
use std::ops::Range;

/// The MLP evaluates at least this many rows at once: on WebGPU every chunk costs a few kernel
/// launches (the page's 50² boundary is then one pass), and 4,096 rows of the widest network
/// (256 units) are 4 MiB a layer, nothing beside the budget (the estimate counts them:
/// `memory::mlp`).
pub const MLP_CHUNK_FLOOR: usize = 4096;

/// The rows of an evaluation chunk of the MLP trained with batches of `batch` rows.
pub fn mlp_chunk(batch: usize) -> usize {
    batch.max(MLP_CHUNK_FLOOR)
}

/// 0..n cut into ranges of at most `rows` (the last may be shorter).
pub fn ranges(n: usize, rows: usize) -> impl Iterator<Item = Range<usize>> {
    let rows = rows.max(1);
    (0..n.div_ceil(rows)).map(move |i| i * rows..((i + 1) * rows).min(n))
}

/// Rows `range` of `x`.
pub fn rows<const D: usize>(x: &Tensor<D>, range: &Range<usize>) -> Tensor<D> {
    x.clone().narrow(0, range.start, range.len())
}

/// The mean over `n` items of `per_chunk`'s means, each chunk weighted by its share of the
/// items: `per_chunk(range)` is the mean of a chunk, [k]; the result is [k].
pub fn weighted_mean(
    n: usize,
    chunk: usize,
    per_chunk: impl Fn(Range<usize>) -> Tensor<1>,
) -> Tensor<1> {
    if n == 0 {
        return per_chunk(0..0);
    }
    ranges(n, chunk)
        .map(|r| {
            let share = r.len() as f64 / n as f64;
            per_chunk(r) * share
        })
        .reduce(|a, b| a + b)
        .expect("at least one row")
}

/// `f` of `x`'s rows in chunks of at most `chunk`, concatenated: as `f(x)`, one chunk's memory.
pub fn map_rows(x: Tensor<2>, chunk: usize, f: impl Fn(Tensor<2>) -> Tensor<2>) -> Tensor<2> {
    let n = x.dims()[0];
    if n <= chunk {
        return f(x);
    }
    Tensor::cat(ranges(n, chunk).map(|r| f(rows(&x, &r))).collect(), 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_cover_every_row_once() {
        let r: Vec<_> = ranges(10, 4).collect();
        assert_eq!(r, vec![0..4, 4..8, 8..10]);
        assert_eq!(ranges(3, 8).collect::<Vec<_>>(), vec![0..3]);
    }

    #[test]
    fn a_weighted_mean_of_chunks_is_the_mean() {
        let device = Device::flex();
        let x = Tensor::<1>::from_data([1.0f32, 2.0, 3.0, 4.0, 10.0], &device);
        let mean = weighted_mean(5, 2, |r| rows(&x, &r).mean()).into_scalar::<f32>();
        assert!((mean - 4.0).abs() < 1e-6, "{mean}");
    }
}
