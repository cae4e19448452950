//! One head's attention step by step, softmax(Q Kᵀ / √d_k + mask) V, from that head's Q, K and V
//! alone (read back once): the scores, the scaled scores, the mask, the weights and the output
//! of every query. Pure functions on slices, so the native tests and the page derive the same
//! numbers from the same readback. Sums run in f64: the rounding left is f32's, below 1e-6.

/// Every step of one head for every query of one sequence; matrices are [length, length]
/// (query row, key column), vectors [length, d_head].
#[derive(Debug, Clone, PartialEq)]
pub struct AttentionSteps {
    /// q_i · k_j
    pub scores: Vec<f32>,
    /// q_i · k_j / √d_k, before the mask
    pub scaled: Vec<f32>,
    /// softmax over the keys the mask leaves; 0 where it hides the key
    pub weights: Vec<f32>,
    /// Σ_j w_ij v_j: the head's context at each query, [length, d_head]
    pub output: Vec<f32>,
}

/// Whether a causal mask hides key `key` from query `query` (a key after the query).
pub fn is_masked(causal: bool, query: usize, key: usize) -> bool {
    causal && key > query
}

/// The steps from `qkv` = [3, length, d_head] (q, then k, then v, each row a position).
pub fn attention_steps(qkv: &[f32], length: usize, d_head: usize, causal: bool) -> AttentionSteps {
    assert_eq!(
        qkv.len(),
        3 * length * d_head,
        "qkv should be [3, length, d_head]"
    );
    let row = |part: usize, i: usize| &qkv[(part * length + i) * d_head..][..d_head];
    let scale = (d_head as f64).sqrt();
    let mut scores = vec![0.0f32; length * length];
    let mut scaled = vec![0.0f32; length * length];
    let mut weights = vec![0.0f32; length * length];
    let mut output = vec![0.0f32; length * d_head];
    for i in 0..length {
        let dots: Vec<f64> = (0..length).map(|j| dot(row(0, i), row(1, j))).collect();
        let visible = |j: usize| !is_masked(causal, i, j);
        let max = (0..length)
            .filter(|&j| visible(j))
            .map(|j| dots[j] / scale)
            .fold(f64::NEG_INFINITY, f64::max);
        let exps: Vec<f64> = (0..length)
            .map(|j| {
                if visible(j) {
                    (dots[j] / scale - max).exp()
                } else {
                    0.0
                }
            })
            .collect();
        let total: f64 = exps.iter().sum();
        let mut context = vec![0.0f64; d_head];
        for j in 0..length {
            let w = exps[j] / total;
            scores[i * length + j] = dots[j] as f32;
            scaled[i * length + j] = (dots[j] / scale) as f32;
            weights[i * length + j] = w as f32;
            for (c, v) in context.iter_mut().zip(row(2, j)) {
                *c += w * f64::from(*v);
            }
        }
        for (o, c) in output[i * d_head..][..d_head].iter_mut().zip(context) {
            *o = c as f32;
        }
    }
    AttentionSteps {
        scores,
        scaled,
        weights,
        output,
    }
}

fn dot(a: &[f32], b: &[f32]) -> f64 {
    a.iter()
        .zip(b)
        .map(|(x, y)| f64::from(*x) * f64::from(*y))
        .sum()
}

/// cos(a_i, a_j) of every pair of rows of `rows` [count, dims], [count, count]: symmetric, with
/// ones on the diagonal (a zero row is similar to nothing, itself included: 0).
pub fn cosine_similarity_matrix(rows: &[f32], count: usize, dims: usize) -> Vec<f32> {
    assert_eq!(rows.len(), count * dims, "rows should be [count, dims]");
    let row = |i: usize| &rows[i * dims..][..dims];
    let norms: Vec<f64> = (0..count).map(|i| dot(row(i), row(i)).sqrt()).collect();
    let mut similarity = vec![0.0f32; count * count];
    for i in 0..count {
        for j in i..count {
            let cos = if norms[i] > 0.0 && norms[j] > 0.0 {
                if i == j {
                    1.0
                } else {
                    dot(row(i), row(j)) / (norms[i] * norms[j])
                }
            } else {
                0.0
            };
            similarity[i * count + j] = cos as f32;
            similarity[j * count + i] = cos as f32;
        }
    }
    similarity
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hand_worked_head() {
        // length 2, d_head 1: q = [1, 2], k = [3, 4], v = [5, 6]
        let steps = attention_steps(&[1.0, 2.0, 3.0, 4.0, 5.0, 6.0], 2, 1, true);
        assert_eq!(steps.scores, vec![3.0, 4.0, 6.0, 8.0]);
        assert_eq!(steps.scaled, steps.scores); // √1
        assert_eq!(steps.weights[..2], [1.0, 0.0]); // the first query sees only itself
        let w = 1.0 / (1.0 + (-2.0f64).exp());
        assert!((f64::from(steps.weights[3]) - w).abs() < 1e-7);
        assert!((f64::from(steps.output[1]) - (5.0 * (1.0 - w) + 6.0 * w)).abs() < 1e-6);
        assert_eq!(steps.output[0], 5.0);
    }

    #[test]
    fn the_cosine_of_a_hand_computation() {
        let m = cosine_similarity_matrix(&[1.0, 0.0, 1.0, 1.0, 0.0, 0.0], 3, 2);
        let half = std::f32::consts::FRAC_1_SQRT_2;
        assert_eq!(m[0], 1.0);
        assert!((m[1] - half).abs() < 1e-7 && m[1] == m[3]);
        assert_eq!(m[8], 0.0); // the zero row
    }
}
