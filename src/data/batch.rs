//! Minibatches: a seeded shuffle of the train set each epoch, cut into batches.

use super::{Points, Rng, Task};
use burn::prelude::*;

/// A batch on the device: inputs [batch, width] and targets [batch, outputs] (one-hot classes,
/// or the regression target).
#[derive(Debug, Clone)]
pub struct Batch {
    pub x: Tensor<2>,
    pub y: Tensor<2>,
}

impl Batch {
    /// All of `points` as one batch.
    pub fn from_points(points: &Points, task: Task, device: &Device) -> Self {
        let idx: Vec<usize> = (0..points.len()).collect();
        Self::select(points, &idx, task, device)
    }

    /// The rows `idx` of `points`, built on the host and written to the device once.
    pub fn select(points: &Points, idx: &[usize], task: Task, device: &Device) -> Self {
        let n = idx.len();
        let width = points.width();
        let mut x = Vec::with_capacity(width * n);
        for &i in idx {
            x.extend_from_slice(&points.x[width * i..width * (i + 1)]);
        }
        let outputs = task.outputs();
        let mut y = vec![0.0f32; n * outputs];
        for (row, &i) in idx.iter().enumerate() {
            match task {
                Task::Classification { .. } => y[row * outputs + points.y[i] as usize] = 1.0,
                Task::Regression => y[row] = points.y[i],
            }
        }
        Self {
            x: Tensor::from_data(TensorData::new(x, [n, width]), device),
            y: Tensor::from_data(TensorData::new(y, [n, outputs]), device),
        }
    }
}

/// Hands out shuffled index batches; reshuffles when an epoch is used up.
#[derive(Debug, Clone)]
pub struct Batcher {
    order: Vec<usize>,
    cursor: usize,
    batch_size: usize,
    rng: Rng,
}

impl Batcher {
    /// `batch_size` is clamped to the number of points.
    pub fn new(len: usize, batch_size: usize, seed: u64) -> Self {
        let mut rng = Rng::new(seed);
        let mut order: Vec<usize> = (0..len).collect();
        rng.shuffle(&mut order);
        Self {
            order,
            cursor: 0,
            batch_size: batch_size.clamp(1, len.max(1)),
            rng,
        }
    }

    pub fn batch_size(&self) -> usize {
        self.batch_size
    }

    /// Later batches have `batch_size` examples (clamped as in `new`); the order goes on.
    pub fn set_batch_size(&mut self, batch_size: usize) {
        self.batch_size = batch_size.clamp(1, self.order.len().max(1));
    }

    pub fn next_indices(&mut self) -> Vec<usize> {
        if self.cursor + self.batch_size > self.order.len() {
            self.rng.shuffle(&mut self.order);
            self.cursor = 0;
        }
        let batch = self.order[self.cursor..self.cursor + self.batch_size].to_vec();
        self.cursor += self.batch_size;
        batch
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_epoch_visits_every_point_once() {
        let mut b = Batcher::new(12, 4, 1);
        let mut seen: Vec<usize> = (0..3).flat_map(|_| b.next_indices()).collect();
        seen.sort();
        assert_eq!(seen, (0..12).collect::<Vec<_>>());
        assert_eq!(Batcher::new(5, 64, 1).batch_size(), 5);
    }

    #[test]
    fn targets_are_one_hot_for_classes() {
        let points = Points {
            x: vec![0.0, 1.0, 2.0, 3.0],
            y: vec![1.0, 0.0],
        };
        let b = Batch::select(
            &points,
            &[1, 0],
            Task::Classification { classes: 3 },
            &Device::flex(),
        );
        assert_eq!(
            b.x.into_data().try_to_vec::<f32>().unwrap(),
            vec![2.0, 3.0, 0.0, 1.0]
        );
        assert_eq!(
            b.y.into_data().try_to_vec::<f32>().unwrap(),
            vec![1.0, 0.0, 0.0, 0.0, 1.0, 0.0]
        );
    }
}
