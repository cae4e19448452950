//! Keeping successive frames of a projection in the same orientation, so points move smoothly
//! instead of flipping: sign fixing for PCA (each axis may only change sign) and orthogonal
//! Procrustes for UMAP and t-SNE (any rotation or reflection, with translation and scale).
//! Frames are row-major [points, 2].

/// Flips each axis of `next` whose coordinates run against those of `previous` (negative
/// inner product over the points). A frame is never flipped against itself. Frames of other
/// sizes are left as they are.
pub fn align_signs(previous: &[f32], next: &mut [f32], dims: usize) {
    if previous.len() != next.len() || dims == 0 {
        return;
    }
    for axis in 0..dims {
        let agreement: f64 = previous
            .iter()
            .zip(next.iter())
            .skip(axis)
            .step_by(dims)
            .map(|(p, n)| f64::from(*p) * f64::from(*n))
            .sum();
        if agreement < 0.0 {
            next.iter_mut()
                .skip(axis)
                .step_by(dims)
                .for_each(|v| *v = -*v);
        }
    }
}

/// `next` moved onto `previous` as well as a rotation or reflection, a uniform scale and a
/// translation allow (least squares; Schönemann's orthogonal Procrustes in 2-D, closed form).
/// Frames of other sizes, and degenerate ones, come back unchanged.
pub fn procrustes(previous: &[f32], next: &[f32]) -> Vec<f32> {
    let n = next.len() / 2;
    if previous.len() != next.len() || n < 2 {
        return next.to_vec();
    }
    let centre = |frame: &[f32]| {
        let (mut x, mut y) = (0.0f64, 0.0f64);
        for p in frame.chunks_exact(2) {
            x += f64::from(p[0]);
            y += f64::from(p[1]);
        }
        (x / n as f64, y / n as f64)
    };
    let (px, py) = centre(previous);
    let (nx, ny) = centre(next);
    // m = Xᵀ Y with X the centred new frame and Y the centred previous one; |X|².
    let (mut m00, mut m01, mut m10, mut m11, mut norm) = (0.0f64, 0.0, 0.0, 0.0, 0.0);
    for (a, b) in next.chunks_exact(2).zip(previous.chunks_exact(2)) {
        let (x0, x1) = (f64::from(a[0]) - nx, f64::from(a[1]) - ny);
        let (y0, y1) = (f64::from(b[0]) - px, f64::from(b[1]) - py);
        m00 += x0 * y0;
        m01 += x0 * y1;
        m10 += x1 * y0;
        m11 += x1 * y1;
        norm += x0 * x0 + x1 * x1;
    }
    if norm <= f64::EPSILON {
        return next.to_vec();
    }
    // Maximise tr(Rᵀ m) over rotations R = [[c, -s], [s, c]] and reflections [[c, s], [s, -c]].
    let rotation = ((m00 + m11).hypot(m10 - m01), (m10 - m01).atan2(m00 + m11));
    let reflection = ((m00 - m11).hypot(m10 + m01), (m10 + m01).atan2(m00 - m11));
    let (fit, r) = if reflection.0 > rotation.0 {
        let (s, c) = reflection.1.sin_cos();
        (reflection.0, [[c, s], [s, -c]])
    } else {
        let (s, c) = rotation.1.sin_cos();
        (rotation.0, [[c, -s], [s, c]])
    };
    let scale = fit / norm;
    next.chunks_exact(2)
        .flat_map(|a| {
            let (x0, x1) = (f64::from(a[0]) - nx, f64::from(a[1]) - ny);
            // row vector times R
            let y0 = (x0 * r[0][0] + x1 * r[1][0]) * scale + px;
            let y1 = (x0 * r[0][1] + x1 * r[1][1]) * scale + py;
            [y0 as f32, y1 as f32]
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const FRAME: [f32; 8] = [1.0, 0.0, 0.0, 2.0, -1.0, 0.5, 0.3, -1.5];

    #[test]
    fn a_frame_is_never_flipped_against_itself() {
        let mut next = FRAME;
        align_signs(&FRAME, &mut next, 2);
        assert_eq!(next, FRAME);
        let same = procrustes(&FRAME, &FRAME);
        assert!(
            same.iter().zip(FRAME).all(|(a, b)| (a - b).abs() < 1e-6),
            "{same:?}"
        );
    }

    #[test]
    fn flipped_axes_are_flipped_back() {
        let mut next: Vec<f32> = FRAME.chunks(2).flat_map(|p| [-p[0], p[1]]).collect();
        align_signs(&FRAME, &mut next, 2);
        assert_eq!(next, FRAME.to_vec());
    }

    #[test]
    fn frames_of_another_size_are_left_alone() {
        let mut next = [1.0, 2.0];
        align_signs(&FRAME, &mut next, 2);
        assert_eq!(next, [1.0, 2.0]);
        assert_eq!(procrustes(&FRAME, &[1.0, 2.0]), vec![1.0, 2.0]);
    }
}
