//! The threaded build's products (issue 20, item 4): C's rows split into blocks, each block's
//! product the single-threaded 4×8-tile kernel's (`product::tiled`) on a worker of rayon's pool.
//! Every element of C is summed in the same order as on one thread, so the results are the
//! same bit for bit. Small products stay on one thread: handing a block to another worker costs
//! microseconds, more than the whole product of the default spiral MLP.

use super::product::{Matrix, tiled};
use rayon::prelude::*;

/// Multiply-adds below which a product stays on one thread (the char LM's 2048×128 by 128×128
/// is 33 M; the default spiral's 64×8 by 8×8, 4 K).
const PARALLEL_MACS: usize = 1 << 18;

/// `tiled`, on every thread of the pool where the product is large enough to pay.
pub fn product_on_threads(
    a: Matrix,
    b: Matrix,
    bias: Option<&[f32]>,
    c: &mut [f32],
    scratch: &mut Vec<f32>,
) {
    let (m, k, n) = (a.rows, a.cols, b.cols);
    let threads = rayon::current_num_threads();
    if threads < 2 || n == 0 || m < 8 || m.saturating_mul(k).saturating_mul(n) < PARALLEL_MACS {
        return tiled(a, b, bias, c, scratch);
    }
    // Two blocks a thread, whole tiles of 4 rows each, so that an uneven one evens out.
    let block = m.div_ceil(2 * threads).next_multiple_of(4);
    c.par_chunks_mut(block * n)
        .enumerate()
        .for_each(|(i, c_rows)| {
            let rows = Matrix {
                values: &a.values[i * block * a.row_stride..],
                rows: c_rows.len() / n,
                ..a
            };
            tiled(rows, b, bias, c_rows, &mut Vec::new());
        });
}
