//! The seeded train/test split of a table's rows (and of a text's sequences), stratified by
//! class where there are classes.

use crate::data::Rng;

/// A seeded split of `labels.len()` rows into (train, test) indices; per class when `classes`
/// is given (stratified: each class keeps its share in both parts). `Err(rows)` when fewer than
/// 2 rows are given: one to train, one to test.
pub(crate) fn split(
    labels: &[f64],
    classes: Option<usize>,
    test_fraction: f32,
    seed: u64,
) -> Result<(Vec<usize>, Vec<usize>), usize> {
    let n = labels.len();
    if n < 2 {
        return Err(n);
    }
    let mut rng = Rng::new(seed);
    let groups: Vec<Vec<usize>> = match classes {
        Some(k) => {
            let mut g = vec![Vec::new(); k];
            for (i, y) in labels.iter().enumerate() {
                g[*y as usize].push(i);
            }
            g
        }
        None => vec![(0..n).collect()],
    };
    let (mut train, mut test) = (Vec::new(), Vec::new());
    for mut g in groups {
        rng.shuffle(&mut g);
        let k = if g.len() < 2 {
            0
        } else {
            ((g.len() as f32 * test_fraction).round() as usize).clamp(1, g.len() - 1)
        };
        test.extend_from_slice(&g[..k]);
        train.extend_from_slice(&g[k..]);
    }
    if test.is_empty() {
        let moved = train.pop().expect("n >= 2");
        test.push(moved);
    }
    // In file order: reading the rows in order is several times faster on a large table than
    // jumping about it (the batcher shuffles the train rows anyway).
    train.sort_unstable();
    test.sort_unstable();
    Ok((train, test))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stratified_split_keeps_class_shares() {
        let labels: Vec<f64> = (0..100).map(|i| if i < 80 { 0.0 } else { 1.0 }).collect();
        let (train, test) = split(&labels, Some(2), 0.25, 3).unwrap();
        assert_eq!((train.len(), test.len()), (75, 25));
        let ones = test.iter().filter(|&&i| labels[i] == 1.0).count();
        assert_eq!(ones, 5);
        let mut all: Vec<usize> = train.iter().chain(&test).copied().collect();
        all.sort();
        assert_eq!(all, (0..100).collect::<Vec<_>>());
    }
}
