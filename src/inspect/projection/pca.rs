//! Principal component analysis on the device that holds the vectors: centre them and form the
//! d×d covariance with one matmul there, read back only that matrix, find its eigenvectors on
//! the host (cyclic Jacobi, d ≤ a few hundred), then project on the device and read back the
//! [n, components] coordinates.

use crate::train::read_floats;
use burn::prelude::*;
use serde::Serialize;

/// Explained-variance ratios are reported for this many leading components at most.
pub const VARIANCE_SHOWN: usize = 10;

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Pca {
    /// Row-major [points, components].
    pub coords: Vec<f32>,
    pub components: usize,
    /// Unit principal axes, row-major [components, dims], strongest first.
    pub axes: Vec<f32>,
    /// Fraction of the total variance along each of the leading axes (up to VARIANCE_SHOWN).
    pub explained: Vec<f32>,
}

/// Centred data [n, d] and its covariance [d, d] (divided by n − 1), on x's device.
pub fn centred_covariance(x: Tensor<2>) -> (Tensor<2>, Tensor<2>) {
    let [n, _] = x.dims();
    let centred = x.clone() - x.mean_dim(0); // [n, d]
    let covariance = centred
        .clone()
        .transpose()
        .matmul(centred.clone())
        .div_scalar(n.saturating_sub(1).max(1) as f32); // [d, d]
    (centred, covariance)
}

/// The first `components` principal components of the rows of `x` [n, d]: two async reads
/// (d×d, then n×components). Each axis's sign is fixed so its largest coefficient is
/// positive, so the same data always gives the same picture.
pub async fn pca(x: Tensor<2>, components: usize) -> Result<Pca, String> {
    let [n, d] = x.dims();
    if n < 2 || d == 0 {
        return Err(format!(
            "a projection needs at least 2 points with 1 value each, got {n} × {d}"
        ));
    }
    let device = x.device();
    let (centred, covariance) = centred_covariance(x);
    let covariance: Vec<f64> = read_floats(covariance)
        .await?
        .into_iter()
        .map(f64::from)
        .collect();
    let (values, vectors) = symmetric_eigen(&covariance, d);
    let total: f64 = values.iter().map(|v| v.max(0.0)).sum();
    let explained = values
        .iter()
        .take(VARIANCE_SHOWN)
        .map(|v| {
            if total > 0.0 {
                (v.max(0.0) / total) as f32
            } else {
                0.0
            }
        })
        .collect();

    let k = components.min(d);
    let mut axes = vec![0.0f32; k * d];
    for c in 0..k {
        let column = |i: usize| vectors[i * d + c];
        let largest = (0..d)
            .max_by(|a, b| column(*a).abs().total_cmp(&column(*b).abs()))
            .expect("d > 0");
        let sign = if column(largest) < 0.0 { -1.0 } else { 1.0 };
        for i in 0..d {
            axes[c * d + i] = (sign * column(i)) as f32;
        }
    }
    // Fewer dimensions than components: the missing axes are zero.
    let mut projection = vec![0.0f32; d * components];
    for c in 0..k {
        for i in 0..d {
            projection[i * components + c] = axes[c * d + i];
        }
    }
    let projection = Tensor::<2>::from_data(TensorData::new(projection, [d, components]), &device);
    let coords = read_floats(centred.matmul(projection)).await?; // [n, components]
    Ok(Pca {
        coords,
        components,
        axes,
        explained,
    })
}

/// Eigen-decomposition of a symmetric d×d matrix (row-major) by cyclic Jacobi rotations:
/// (eigenvalues descending, eigenvectors as the columns of a row-major d×d matrix).
pub fn symmetric_eigen(matrix: &[f64], d: usize) -> (Vec<f64>, Vec<f64>) {
    let mut a = matrix.to_vec();
    let mut v = vec![0.0f64; d * d];
    for i in 0..d {
        v[i * d + i] = 1.0;
    }
    let scale: f64 = a.iter().map(|x| x * x).sum::<f64>().sqrt();
    for _sweep in 0..100 {
        let off: f64 = (0..d)
            .flat_map(|i| (0..d).filter(move |j| *j != i).map(move |j| (i, j)))
            .map(|(i, j)| a[i * d + j] * a[i * d + j])
            .sum::<f64>()
            .sqrt();
        if off <= 1e-12 * scale || scale == 0.0 {
            break;
        }
        for p in 0..d {
            for q in p + 1..d {
                let apq = a[p * d + q];
                if apq.abs() <= 1e-300 {
                    continue;
                }
                // The rotation that zeroes a[p][q] (Golub & Van Loan, algorithm 8.4.1).
                let theta = (a[q * d + q] - a[p * d + p]) / (2.0 * apq);
                let t = theta.signum() / (theta.abs() + (theta * theta + 1.0).sqrt());
                let t = if theta == 0.0 { 1.0 } else { t };
                let c = 1.0 / (t * t + 1.0).sqrt();
                let s = t * c;
                for k in 0..d {
                    let (akp, akq) = (a[k * d + p], a[k * d + q]);
                    a[k * d + p] = c * akp - s * akq;
                    a[k * d + q] = s * akp + c * akq;
                }
                for k in 0..d {
                    let (apk, aqk) = (a[p * d + k], a[q * d + k]);
                    a[p * d + k] = c * apk - s * aqk;
                    a[q * d + k] = s * apk + c * aqk;
                }
                for k in 0..d {
                    let (vkp, vkq) = (v[k * d + p], v[k * d + q]);
                    v[k * d + p] = c * vkp - s * vkq;
                    v[k * d + q] = s * vkp + c * vkq;
                }
            }
        }
    }
    let mut order: Vec<usize> = (0..d).collect();
    order.sort_by(|i, j| a[j * d + j].total_cmp(&a[i * d + i]));
    let values = order.iter().map(|i| a[i * d + i]).collect();
    let mut vectors = vec![0.0f64; d * d];
    for (c, from) in order.iter().enumerate() {
        for r in 0..d {
            vectors[r * d + c] = v[r * d + from];
        }
    }
    (values, vectors)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jacobi_diagonalises_a_symmetric_matrix() {
        // eigenvalues 3 and 1, axes (1, 1)/√2 and (1, −1)/√2
        let (values, vectors) = symmetric_eigen(&[2.0, 1.0, 1.0, 2.0], 2);
        assert!((values[0] - 3.0).abs() < 1e-12 && (values[1] - 1.0).abs() < 1e-12);
        let h = std::f64::consts::FRAC_1_SQRT_2;
        assert!((vectors[0].abs() - h).abs() < 1e-12 && (vectors[2].abs() - h).abs() < 1e-12);
        assert!(
            (vectors[0] - vectors[2]).abs() < 1e-12,
            "first axis along (1, 1)"
        );
    }

    #[test]
    fn the_covariance_has_the_data_shape() {
        let x = Tensor::<2>::ones([5, 3], &Device::flex());
        let (centred, covariance) = centred_covariance(x);
        assert_eq!(centred.dims(), [5, 3]);
        assert_eq!(covariance.dims(), [3, 3]);
    }
}
