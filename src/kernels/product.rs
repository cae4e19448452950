//! C = A·B (+ a bias on every row of C), every matrix product of CPU training (the linear layers'
//! and attention's, forward and backward), on matrices given as strided views so that a
//! transpose is only a different stride.
//!
//! Why not the `gemm` crate, which burn-flex calls: its wasm micro-kernel keeps a 12×4 tile of
//! sums, twelve 128-bit registers, plus operands; V8 gives wasm sixteen, keeps one for itself and
//! spills the rest to the stack inside the inner loop (seen in `node --print-wasm-code`). The tile
//! here is 4×8, eight sums: for the reversal transformer's products (512×32 by 32×32 and the like)
//! it runs at ~50 GFLOP/s in Node against the crate's ~30, and needs no packing of A. Each row
//! of a tile's sums is stored straight into C: through a buffer and a copy (a `memory.copy`
//! call in wasm) it cost a fifth of the reversal transformer's step in Chromium, mostly in
//! attention's 8×8 products. Natively the crate's AVX/FMA kernels are faster than anything
//! written here, so it keeps that job.

/// A matrix whose element (i, j) is `values[i * row_stride + j * col_stride]`.
#[derive(Clone, Copy)]
pub struct Matrix<'a> {
    pub values: &'a [f32],
    pub rows: usize,
    pub cols: usize,
    pub row_stride: usize,
    pub col_stride: usize,
}

impl<'a> Matrix<'a> {
    /// `values` read as `rows` rows of `cols`, one after another.
    pub fn row_major(values: &'a [f32], rows: usize, cols: usize) -> Self {
        assert_eq!(values.len(), rows * cols, "a {rows}×{cols} matrix");
        Self {
            values,
            rows,
            cols,
            row_stride: cols,
            col_stride: 1,
        }
    }

    /// The same values read as the transpose.
    pub fn transposed(self) -> Self {
        Self {
            rows: self.cols,
            cols: self.rows,
            row_stride: self.col_stride,
            col_stride: self.row_stride,
            ..self
        }
    }
}

/// A·B, plus `bias` (B's column count long) on every row: row-major, A's rows × B's columns.
pub fn product(a: Matrix, b: Matrix, bias: Option<&[f32]>) -> Vec<f32> {
    let mut c = vec![0.0; a.rows * b.cols];
    product_into(a, b, bias, &mut c, &mut Vec::new());
    c
}

/// `product` into `c` (row-major, A's rows × B's columns), with `scratch` for copying B where it
/// must be (kept by a caller with many products to do).
pub fn product_into(
    a: Matrix,
    b: Matrix,
    bias: Option<&[f32]>,
    c: &mut [f32],
    scratch: &mut Vec<f32>,
) {
    assert_eq!(a.cols, b.rows, "A's columns against B's rows");
    assert_eq!(c.len(), a.rows * b.cols, "C is A's rows × B's columns");
    if let Some(bias) = bias {
        assert_eq!(bias.len(), b.cols, "one bias per column");
    }
    #[cfg(all(target_arch = "wasm32", kindling_threads))]
    super::parallel::product_on_threads(a, b, bias, c, scratch);
    #[cfg(all(target_arch = "wasm32", not(kindling_threads)))]
    tiled(a, b, bias, c, scratch);
    #[cfg(not(target_arch = "wasm32"))]
    {
        let _ = scratch;
        with_gemm_crate(a, b, bias, c);
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn with_gemm_crate(a: Matrix, b: Matrix, bias: Option<&[f32]>, c: &mut [f32]) {
    let (m, k, n) = (a.rows, a.cols, b.cols);
    if m == 0 || n == 0 {
        return;
    }
    if let Some(bias) = bias {
        c.chunks_exact_mut(n)
            .for_each(|row| row.copy_from_slice(bias));
    }
    if k == 0 {
        if bias.is_none() {
            c.fill(0.0);
        }
        return;
    }
    // c ← 1·c + 1·(a·b), reading c (the bias) only where there is one.
    unsafe {
        gemm::gemm(
            m,
            n,
            k,
            c.as_mut_ptr(),
            1,
            n as isize,
            bias.is_some(),
            a.values.as_ptr(),
            a.col_stride as isize,
            a.row_stride as isize,
            b.values.as_ptr(),
            b.col_stride as isize,
            b.row_stride as isize,
            1.0,
            1.0,
            false,
            false,
            false,
            gemm::Parallelism::None,
        );
    }
}

/// Columns of C computed together: two 4-lane vectors.
const PANEL: usize = 8;
/// Rows of C computed together: with `PANEL`, eight vectors of running sums, which with B's two
/// vectors and one of A stay in registers.
const ROWS: usize = 4;

/// The 4×8-tile product into `c` (see the module's comment). Compiled everywhere so that the
/// native tests check its tiling, packing and edges; used in the wasm build.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
pub fn tiled(a: Matrix, b: Matrix, bias: Option<&[f32]>, c: &mut [f32], scratch: &mut Vec<f32>) {
    let (m, k, n) = (a.rows, a.cols, b.cols);
    assert_eq!(a.cols, b.rows, "A's columns against B's rows");
    assert_eq!(c.len(), m * n, "C is A's rows × B's columns");
    if m == 0 || n == 0 {
        return;
    }
    if k == 0 {
        match bias {
            Some(bias) => c
                .chunks_exact_mut(n)
                .for_each(|row| row.copy_from_slice(bias)),
            None => c.fill(0.0),
        }
        return;
    }
    // B is read a row of a panel (8 numbers) at a time. Where its rows are contiguous and whole
    // panels wide it is read in place; otherwise (a transpose, a ragged last panel) it is first
    // copied into panels of 8 columns, zero-padded, each k rows long.
    let in_place = b.col_stride == 1 && n % PANEL == 0;
    let (b_values, b_row_stride, panel_stride) = if in_place {
        (b.values, b.row_stride, PANEL)
    } else {
        pack(b, scratch);
        (&scratch[..], PANEL, k * PANEL)
    };
    let whole_rows = m / ROWS * ROWS;
    for (panel, first_col) in (0..n).step_by(PANEL).enumerate() {
        let width = PANEL.min(n - first_col);
        let mut start = [0.0; PANEL];
        if let Some(bias) = bias {
            start[..width].copy_from_slice(&bias[first_col..first_col + width]);
        }
        let tile = Tile {
            b: &b_values[panel * panel_stride..],
            b_row_stride,
            k,
            start,
            width,
        };
        // Panel by panel, so the panel of B stays in the cache while A's rows go past.
        for row in (0..whole_rows).step_by(ROWS) {
            tile.run::<ROWS>(a, row, &mut c[row * n + first_col..], n);
        }
        for row in whole_rows..m {
            tile.run::<1>(a, row, &mut c[row * n + first_col..], n);
        }
    }
}

/// B into `packed` as panels of `PANEL` columns, each `k` rows of `PANEL` numbers, zero-padded
/// on the right.
fn pack(b: Matrix, packed: &mut Vec<f32>) {
    let (k, n) = (b.rows, b.cols);
    packed.clear();
    packed.resize(n.div_ceil(PANEL) * k * PANEL, 0.0);
    for (panel, out) in packed.chunks_exact_mut(k * PANEL).enumerate() {
        let first_col = panel * PANEL;
        let width = PANEL.min(n - first_col);
        for (row, out) in out.chunks_exact_mut(PANEL).enumerate() {
            let start = row * b.row_stride + first_col * b.col_stride;
            for (j, v) in out[..width].iter_mut().enumerate() {
                *v = b.values[start + j * b.col_stride];
            }
        }
    }
}

/// One panel of B and what goes with it.
struct Tile<'a> {
    /// B's panel from its first row; row `r` starts at `r * b_row_stride`.
    b: &'a [f32],
    b_row_stride: usize,
    k: usize,
    /// Where the sums start: the bias of these columns, or 0.
    start: [f32; PANEL],
    /// Columns of C this panel fills (the last one can be narrower than `PANEL`).
    width: usize,
}

impl Tile<'_> {
    /// Rows `row..row + R` of C in this panel's columns, into `c` (C from that row and column on,
    /// rows `c_stride` apart).
    #[inline(always)]
    fn run<const R: usize>(&self, a: Matrix, row: usize, c: &mut [f32], c_stride: usize) {
        // (k ≥ 1 here.)
        assert!((self.k - 1) * self.b_row_stride + PANEL <= self.b.len());
        assert!((row + R - 1) * a.row_stride + (self.k - 1) * a.col_stride < a.values.len());
        assert!(c.len() >= (R - 1) * c_stride + self.width);
        let start = [lanes::load(&self.start[..4]), lanes::load(&self.start[4..])];
        let mut sums = [start; R];
        // Bounds were checked above for the whole loop; inside it, unchecked reads keep the
        // loop to loads, multiplies and adds.
        unsafe {
            let a_at = a.values.as_ptr().add(row * a.row_stride);
            let b_at = self.b.as_ptr();
            for p in 0..self.k {
                let b_row = b_at.add(p * self.b_row_stride);
                let b0 = lanes::load_ptr(b_row);
                let b1 = lanes::load_ptr(b_row.add(4));
                let a_col = a_at.add(p * a.col_stride);
                for (r, sum) in sums.iter_mut().enumerate() {
                    let x = lanes::splat_ptr(a_col.add(r * a.row_stride));
                    sum[0] = lanes::add(sum[0], lanes::mul(x, b0));
                    sum[1] = lanes::add(sum[1], lanes::mul(x, b1));
                }
            }
        }
        for (r, sum) in sums.iter().enumerate() {
            let row = &mut c[r * c_stride..r * c_stride + self.width];
            if row.len() == PANEL {
                lanes::store(&mut row[..4], sum[0]);
                lanes::store(&mut row[4..], sum[1]);
            } else {
                // The last panel, narrower: all eight lanes into a buffer, then the columns C has.
                let mut out = [0.0f32; PANEL];
                lanes::store(&mut out[..4], sum[0]);
                lanes::store(&mut out[4..], sum[1]);
                row.copy_from_slice(&out[..row.len()]);
            }
        }
    }
}

/// Four f32 lanes: WebAssembly SIMD in the wasm build, an array elsewhere (for the tests).
#[cfg(target_arch = "wasm32")]
mod lanes {
    use core::arch::wasm32::*;
    pub type Lanes = v128;

    #[inline(always)]
    pub fn load(values: &[f32]) -> Lanes {
        assert!(values.len() >= 4);
        unsafe { v128_load(values.as_ptr() as *const v128) }
    }
    /// # Safety
    /// Four f32 readable at `at`.
    #[inline(always)]
    pub unsafe fn load_ptr(at: *const f32) -> Lanes {
        unsafe { v128_load(at as *const v128) }
    }
    /// # Safety
    /// One f32 readable at `at`.
    #[inline(always)]
    pub unsafe fn splat_ptr(at: *const f32) -> Lanes {
        unsafe { v128_load32_splat(at as *const u32) }
    }
    #[inline(always)]
    pub fn add(a: Lanes, b: Lanes) -> Lanes {
        f32x4_add(a, b)
    }
    #[inline(always)]
    pub fn mul(a: Lanes, b: Lanes) -> Lanes {
        f32x4_mul(a, b)
    }
    #[inline(always)]
    pub fn store(out: &mut [f32], v: Lanes) {
        assert!(out.len() >= 4);
        unsafe { v128_store(out.as_mut_ptr() as *mut v128, v) }
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod lanes {
    pub type Lanes = [f32; 4];

    pub fn load(values: &[f32]) -> Lanes {
        values[..4].try_into().unwrap()
    }
    /// # Safety
    /// Four f32 readable at `at`.
    pub unsafe fn load_ptr(at: *const f32) -> Lanes {
        unsafe { [*at, *at.add(1), *at.add(2), *at.add(3)] }
    }
    /// # Safety
    /// One f32 readable at `at`.
    pub unsafe fn splat_ptr(at: *const f32) -> Lanes {
        [unsafe { *at }; 4]
    }
    pub fn add(a: Lanes, b: Lanes) -> Lanes {
        std::array::from_fn(|i| a[i] + b[i])
    }
    pub fn mul(a: Lanes, b: Lanes) -> Lanes {
        std::array::from_fn(|i| a[i] * b[i])
    }
    pub fn store(out: &mut [f32], v: Lanes) {
        out[..4].copy_from_slice(&v);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(n: usize, seed: u32) -> Vec<f32> {
        let mut s = seed;
        (0..n)
            .map(|_| {
                s = s.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
                (s >> 8) as f32 / 16_777_216.0 - 0.5
            })
            .collect()
    }

    fn naive(a: Matrix, b: Matrix, bias: Option<&[f32]>) -> Vec<f32> {
        let at = |m: &Matrix, i: usize, j: usize| m.values[i * m.row_stride + j * m.col_stride];
        let mut c = vec![0.0; a.rows * b.cols];
        for i in 0..a.rows {
            for j in 0..b.cols {
                let sum: f64 = (0..a.cols)
                    .map(|p| at(&a, i, p) as f64 * at(&b, p, j) as f64)
                    .sum();
                c[i * b.cols + j] = sum as f32 + bias.map_or(0.0, |b| b[j]);
            }
        }
        c
    }

    /// Every path: whole and ragged rows and panels, B in place, packed and transposed, A
    /// transposed, with and without a bias, an empty inner dimension.
    #[test]
    fn products_match_a_plain_sum_for_every_shape_and_layout() {
        for (m, k, n) in [
            (1, 1, 1),
            (4, 3, 8),
            (5, 7, 3),
            (9, 16, 16),
            (13, 0, 9),
            (32, 65, 24),
            (3, 5, 17),
        ] {
            for a_transposed in [false, true] {
                for b_transposed in [false, true] {
                    let a_values = values(m * k, 1);
                    let b_values = values(k * n, 2);
                    let bias_values = values(n, 3);
                    let a = if a_transposed {
                        Matrix::row_major(&a_values, k, m).transposed()
                    } else {
                        Matrix::row_major(&a_values, m, k)
                    };
                    let b = if b_transposed {
                        Matrix::row_major(&b_values, n, k).transposed()
                    } else {
                        Matrix::row_major(&b_values, k, n)
                    };
                    for bias in [None, Some(&bias_values[..])] {
                        let expected = naive(a, b, bias);
                        // NaN first: every number of C must be written.
                        let mut by_tiles = vec![f32::NAN; m * n];
                        tiled(a, b, bias, &mut by_tiles, &mut Vec::new());
                        for (name, got) in [("tiled", by_tiles), ("product", product(a, b, bias))] {
                            let worst = got
                                .iter()
                                .zip(&expected)
                                .map(|(g, e)| (g - e).abs())
                                .fold(0.0, f32::max);
                            assert!(
                                got.len() == expected.len() && worst < 1e-5,
                                "{name} {m}×{k}·{k}×{n} (A transposed {a_transposed}, B transposed {b_transposed}, bias {}): off by {worst}",
                                bias.is_some()
                            );
                        }
                    }
                }
            }
        }
    }
}
