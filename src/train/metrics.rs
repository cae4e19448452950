//! Test metrics beyond the loss: a confusion matrix with per-class precision and recall for
//! classification; RMSE, MAE and R² for regression. Computed on the host from outputs read back
//! once.

use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ClassificationMetrics {
    pub classes: Vec<String>,
    pub accuracy: f32,
    /// confusion[actual][predicted]: rows counted.
    pub confusion: Vec<Vec<usize>>,
    /// Of the rows predicted as the class, the share that are; `None` when none is predicted.
    pub precision: Vec<Option<f32>>,
    /// Of the rows of the class, the share predicted as it; `None` when the class has no rows.
    pub recall: Vec<Option<f32>>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RegressionMetrics {
    pub rmse: f32,
    pub mae: f32,
    /// 1 - SS_res / SS_tot; 0 for a model that predicts the mean, negative when worse.
    pub r2: f32,
}

/// Rows of logits [n, classes] (row-major) -> the argmax class of each.
pub fn argmax_rows(logits: &[f32], classes: usize) -> Vec<usize> {
    logits
        .chunks(classes)
        .map(|row| {
            row.iter()
                .enumerate()
                .fold((0, f32::NEG_INFINITY), |best, (i, v)| {
                    if *v > best.1 { (i, *v) } else { best }
                })
                .0
        })
        .collect()
}

pub fn classification_metrics(
    predicted: &[usize],
    actual: &[usize],
    classes: Vec<String>,
) -> ClassificationMetrics {
    let k = classes.len();
    let mut confusion = vec![vec![0usize; k]; k];
    for (p, a) in predicted.iter().zip(actual) {
        confusion[*a][*p] += 1;
    }
    let right: usize = (0..k).map(|c| confusion[c][c]).sum();
    let ratio = |num: usize, den: usize| (den > 0).then(|| num as f32 / den as f32);
    let precision = (0..k)
        .map(|c| ratio(confusion[c][c], (0..k).map(|a| confusion[a][c]).sum()))
        .collect();
    let recall = (0..k)
        .map(|c| ratio(confusion[c][c], confusion[c].iter().sum()))
        .collect();
    ClassificationMetrics {
        classes,
        accuracy: ratio(right, actual.len()).unwrap_or(0.0),
        confusion,
        precision,
        recall,
    }
}

pub fn regression_metrics(predicted: &[f32], actual: &[f32]) -> RegressionMetrics {
    let n = actual.len().max(1) as f64;
    let mean = actual.iter().map(|v| *v as f64).sum::<f64>() / n;
    let (mut se, mut ae, mut tot) = (0.0f64, 0.0f64, 0.0f64);
    for (p, a) in predicted.iter().zip(actual) {
        let e = (*p - *a) as f64;
        se += e * e;
        ae += e.abs();
        tot += (*a as f64 - mean).powi(2);
    }
    RegressionMetrics {
        rmse: (se / n).sqrt() as f32,
        mae: (ae / n) as f32,
        r2: if tot > 0.0 {
            (1.0 - se / tot) as f32
        } else {
            0.0
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn confusion_precision_recall_by_hand() {
        // actual:    a a a b b c
        // predicted: a a b b a c
        let m = classification_metrics(
            &[0, 0, 1, 1, 0, 2],
            &[0, 0, 0, 1, 1, 2],
            vec!["a".into(), "b".into(), "c".into()],
        );
        assert_eq!(m.confusion, [[2, 1, 0], [1, 1, 0], [0, 0, 1]]);
        assert_eq!(m.accuracy, 4.0 / 6.0);
        assert_eq!(m.precision, [Some(2.0 / 3.0), Some(0.5), Some(1.0)]);
        assert_eq!(m.recall, [Some(2.0 / 3.0), Some(0.5), Some(1.0)]);
        let none = classification_metrics(&[0, 0], &[0, 0], vec!["a".into(), "b".into()]);
        assert_eq!((none.precision[1], none.recall[1]), (None, None));
    }

    #[test]
    fn regression_metrics_by_hand() {
        let m = regression_metrics(&[1.0, 2.0, 5.0], &[1.0, 3.0, 3.0]);
        assert!((m.rmse - (5.0f32 / 3.0).sqrt()).abs() < 1e-6);
        assert!((m.mae - 1.0).abs() < 1e-6);
        // mean 7/3; SS_tot = 16/9 + 4/9 + 4/9 = 24/9; SS_res = 5
        assert!((m.r2 - (1.0 - 5.0 / (24.0 / 9.0))).abs() < 1e-5);
        assert_eq!(argmax_rows(&[0.1, 0.9, 3.0, -1.0], 2), [1, 0]);
    }
}
