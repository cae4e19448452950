//! The input plane sampled on a grid, for drawing the model's output as a heatmap.

use burn::prelude::*;

pub use crate::data::EXTENT;

/// Cell centres of a `resolution` x `resolution` grid over `EXTENT`, [resolution^2, 2].
/// Row-major from the top: row 0 is y = ymax (the top of a canvas), column 0 is x = xmin.
pub fn boundary_grid(resolution: usize, device: &Device) -> Tensor<2> {
    boundary_grid_over(resolution, EXTENT, device)
}

/// As `boundary_grid`, over `extent` [xmin, xmax, ymin, ymax] (a table's two inputs).
pub fn boundary_grid_over(resolution: usize, extent: [f32; 4], device: &Device) -> Tensor<2> {
    let xy = boundary_points(resolution, extent);
    Tensor::from_data(TensorData::new(xy, [resolution * resolution, 2]), device)
}

/// The grid's cell centres on the host, [resolution² * 2], in `boundary_grid`'s order (the
/// input features are taken of them before they go to the device).
pub fn boundary_points(resolution: usize, extent: [f32; 4]) -> Vec<f32> {
    let [xmin, xmax, ymin, ymax] = extent;
    let cell = |lo: f32, hi: f32, i: usize| lo + (hi - lo) * (i as f32 + 0.5) / resolution as f32;
    let mut xy = Vec::with_capacity(2 * resolution * resolution);
    for row in 0..resolution {
        let y = cell(ymax, ymin, row);
        for col in 0..resolution {
            xy.extend([cell(xmin, xmax, col), y]);
        }
    }
    xy
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grid_runs_left_to_right_top_to_bottom() {
        let g = boundary_grid(2, &Device::flex())
            .into_data()
            .try_to_vec::<f32>()
            .unwrap();
        let [xmin, xmax, ymin, ymax] = EXTENT;
        let q = |lo: f32, hi: f32| (lo + (hi - lo) * 0.25, lo + (hi - lo) * 0.75);
        let (x0, x1) = q(xmin, xmax);
        let (y_top, y_bottom) = q(ymax, ymin);
        assert_eq!(g, vec![x0, y_top, x1, y_top, x0, y_bottom, x1, y_bottom]);
    }
}
