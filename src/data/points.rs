//! The built-in 2-D datasets (after TensorFlow Playground): four classification sets and two
//! regression sets, generated from a seed and split into train and test.

use super::Rng;
use serde::{Deserialize, Serialize};
use std::f32::consts::PI;

use crate::error::{UserError, Wording};
use crate::settings::out_of_range;

static POINTS: Wording = Wording::new(
    "points-range",
    "number of points must be 10-{max}, got {value}",
);
static TEST_FRACTION: Wording = Wording::new(
    "points-test-fraction",
    "test fraction must be 0.1-{max}, got {value}",
);
static NOISE: Wording = Wording::new("noise-range", "noise must be 0-{max}, got {value}");
static CLUSTERS: Wording = Wording::new(
    "clusters-classes",
    "Gaussian clusters take 2-{max} classes, got {value}",
);

/// Half-width of the square the points live in; the decision-boundary view shows a little more.
pub const DATA_RADIUS: f32 = 1.0;
/// The input plane drawn by the views: [xmin, xmax, ymin, ymax].
pub const EXTENT: [f32; 4] = [-1.25, 1.25, -1.25, 1.25];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum DatasetKind {
    Spiral,
    Circles,
    Xor,
    Gaussian,
    /// Regression: a tilted plane, y = (x1 + x2) / 2.
    Plane,
    /// Regression: a Gaussian bump at the origin.
    Bump,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct DatasetConfig {
    pub kind: DatasetKind,
    /// Number of classes; only Gaussian clusters use it (2-4).
    pub classes: usize,
    /// 0..1, as a fraction of the data's scale.
    pub noise: f32,
    /// Train + test points.
    pub points: usize,
    pub test_fraction: f32,
    pub seed: u64,
}

impl Default for DatasetConfig {
    fn default() -> Self {
        Self {
            kind: DatasetKind::Spiral,
            classes: 2,
            noise: 0.1,
            points: 600,
            test_fraction: 0.5,
            seed: 1,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum Task {
    Classification { classes: usize },
    Regression,
}

impl Task {
    /// Width of the model's output layer.
    pub fn outputs(self) -> usize {
        match self {
            Task::Classification { classes } => classes,
            Task::Regression => 1,
        }
    }
}

/// Points with their labels: `x` is [n, width] row-major (width 2 in the plane), `y` holds a class index
/// (as f32) or a regression target.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Points {
    pub x: Vec<f32>,
    pub y: Vec<f32>,
}

impl Points {
    pub fn len(&self) -> usize {
        self.y.len()
    }

    pub fn is_empty(&self) -> bool {
        self.y.is_empty()
    }

    /// Inputs per point: 2 in the plane; any number for an uploaded table.
    pub fn width(&self) -> usize {
        if self.y.is_empty() {
            2
        } else {
            self.x.len() / self.y.len()
        }
    }

    fn push(&mut self, x1: f32, x2: f32, y: f32) {
        self.x.extend([x1, x2]);
        self.y.push(y);
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Dataset {
    pub task: Task,
    pub train: Points,
    pub test: Points,
}

impl DatasetConfig {
    pub fn validate(&self) -> Result<(), UserError> {
        if !(10..=5000).contains(&self.points) {
            return Err(out_of_range(&POINTS, 5000, self.points));
        }
        if !(0.1..=0.9).contains(&self.test_fraction) {
            return Err(out_of_range(&TEST_FRACTION, 0.9, self.test_fraction));
        }
        if !(0.0..=1.0).contains(&self.noise) {
            return Err(out_of_range(&NOISE, 1, self.noise));
        }
        if self.kind == DatasetKind::Gaussian && !(2..=4).contains(&self.classes) {
            return Err(out_of_range(&CLUSTERS, 4, self.classes));
        }
        Ok(())
    }

    pub fn task(&self) -> Task {
        match self.kind {
            DatasetKind::Spiral | DatasetKind::Circles | DatasetKind::Xor => {
                Task::Classification { classes: 2 }
            }
            DatasetKind::Gaussian => Task::Classification {
                classes: self.classes,
            },
            DatasetKind::Plane | DatasetKind::Bump => Task::Regression,
        }
    }

    /// Generates all points, then moves a shuffled `test_fraction` of them to the test set.
    pub fn generate(&self) -> Result<Dataset, UserError> {
        self.validate()?;
        let mut rng = Rng::new(self.seed);
        let all = match self.kind {
            DatasetKind::Spiral => spiral(self.points, self.noise, &mut rng),
            DatasetKind::Circles => circles(self.points, self.noise, &mut rng),
            DatasetKind::Xor => xor(self.points, self.noise, &mut rng),
            DatasetKind::Gaussian => gaussian(self.points, self.classes, self.noise, &mut rng),
            DatasetKind::Plane => {
                regression(self.points, self.noise, &mut rng, |a, b| (a + b) / 2.0)
            }
            DatasetKind::Bump => regression(self.points, self.noise, &mut rng, |a, b| {
                (-(a * a + b * b) / 0.18).exp()
            }),
        };
        let mut order: Vec<usize> = (0..all.len()).collect();
        rng.shuffle(&mut order);
        let n_test =
            ((all.len() as f32 * self.test_fraction).round() as usize).clamp(1, all.len() - 1);
        let (mut train, mut test) = (Points::default(), Points::default());
        for (rank, &i) in order.iter().enumerate() {
            let into = if rank < n_test { &mut test } else { &mut train };
            into.push(all.x[2 * i], all.x[2 * i + 1], all.y[i]);
        }
        Ok(Dataset {
            task: self.task(),
            train,
            test,
        })
    }
}

/// Two interleaved arms, 1.75 turns each.
fn spiral(n: usize, noise: f32, rng: &mut Rng) -> Points {
    let mut p = Points::default();
    let per_class = n / 2;
    for class in 0..2 {
        let count = if class == 0 { per_class } else { n - per_class };
        for i in 0..count {
            let r = i as f32 / count as f32 * DATA_RADIUS;
            let t = 1.75 * 2.0 * PI * i as f32 / count as f32 + class as f32 * PI;
            let jitter = noise * 0.15;
            p.push(
                r * t.sin() + jitter * rng.normal(),
                r * t.cos() + jitter * rng.normal(),
                class as f32,
            );
        }
    }
    p
}

/// A disc (class 0) inside a ring (class 1).
fn circles(n: usize, noise: f32, rng: &mut Rng) -> Points {
    let mut p = Points::default();
    for i in 0..n {
        let class = i % 2;
        let r = if class == 0 {
            rng.range(0.0, 0.5)
        } else {
            rng.range(0.7, 1.0)
        } * DATA_RADIUS;
        let angle = rng.range(0.0, 2.0 * PI);
        let jitter = noise * 0.2;
        p.push(
            r * angle.sin() + jitter * rng.normal(),
            r * angle.cos() + jitter * rng.normal(),
            class as f32,
        );
    }
    p
}

/// Quadrants: class 0 where x1 and x2 share a sign. Labels come from the clean point; noise
/// moves the point after.
fn xor(n: usize, noise: f32, rng: &mut Rng) -> Points {
    let mut p = Points::default();
    let pad = 0.05;
    for _ in 0..n {
        let mut a = rng.range(-DATA_RADIUS, DATA_RADIUS);
        let mut b = rng.range(-DATA_RADIUS, DATA_RADIUS);
        a += if a > 0.0 { pad } else { -pad };
        b += if b > 0.0 { pad } else { -pad };
        let class = if a * b > 0.0 { 0.0 } else { 1.0 };
        let jitter = noise * 0.2;
        p.push(a + jitter * rng.normal(), b + jitter * rng.normal(), class);
    }
    p
}

/// One isotropic cluster per class, centres evenly spaced on a circle.
fn gaussian(n: usize, classes: usize, noise: f32, rng: &mut Rng) -> Points {
    let mut p = Points::default();
    let spread = 0.1 + 0.3 * noise;
    for i in 0..n {
        let class = i % classes;
        let angle = 2.0 * PI * class as f32 / classes as f32 + PI / 4.0;
        let (cx, cy) = (0.6 * angle.cos(), 0.6 * angle.sin());
        p.push(
            cx + spread * rng.normal(),
            cy + spread * rng.normal(),
            class as f32,
        );
    }
    p
}

/// Uniform inputs in the square, target `f(x1, x2)` plus Gaussian noise.
fn regression(n: usize, noise: f32, rng: &mut Rng, f: impl Fn(f32, f32) -> f32) -> Points {
    let mut p = Points::default();
    for _ in 0..n {
        let a = rng.range(-DATA_RADIUS, DATA_RADIUS);
        let b = rng.range(-DATA_RADIUS, DATA_RADIUS);
        p.push(a, b, f(a, b) + noise * 0.2 * rng.normal());
    }
    p
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(kind: DatasetKind) -> DatasetConfig {
        DatasetConfig {
            kind,
            ..Default::default()
        }
    }

    #[test]
    fn every_kind_gives_the_asked_number_of_points_split_by_fraction() {
        for kind in [
            DatasetKind::Spiral,
            DatasetKind::Circles,
            DatasetKind::Xor,
            DatasetKind::Gaussian,
            DatasetKind::Plane,
            DatasetKind::Bump,
        ] {
            let d = config(kind).generate().unwrap();
            assert_eq!(d.train.len() + d.test.len(), 600, "{kind:?}");
            assert_eq!(d.test.len(), 300, "{kind:?}");
            assert_eq!(d.train.x.len(), 2 * d.train.len());
            let inside = d.train.x.iter().all(|v| v.abs() < 2.0);
            assert!(inside, "{kind:?} has points far outside the plane");
        }
    }

    #[test]
    fn classes_are_balanced_and_labels_valid() {
        let cfg = DatasetConfig {
            kind: DatasetKind::Gaussian,
            classes: 4,
            points: 400,
            ..Default::default()
        };
        let d = cfg.generate().unwrap();
        assert_eq!(d.task, Task::Classification { classes: 4 });
        let mut counts = [0; 4];
        for y in d.train.y.iter().chain(&d.test.y) {
            counts[*y as usize] += 1;
        }
        assert_eq!(counts, [100; 4]);
    }

    #[test]
    fn a_seed_names_a_dataset() {
        let a = config(DatasetKind::Spiral).generate().unwrap();
        assert_eq!(a, config(DatasetKind::Spiral).generate().unwrap());
        let b = DatasetConfig {
            seed: 2,
            ..config(DatasetKind::Spiral)
        }
        .generate()
        .unwrap();
        assert_ne!(a, b);
    }

    #[test]
    fn bad_settings_are_refused_with_a_reason() {
        let cfg = DatasetConfig {
            points: 3,
            ..Default::default()
        };
        assert_eq!(
            cfg.validate().unwrap_err().to_string(),
            "number of points must be 10-5000, got 3"
        );
        let cfg = DatasetConfig {
            kind: DatasetKind::Gaussian,
            classes: 5,
            ..Default::default()
        };
        assert!(
            cfg.validate()
                .unwrap_err()
                .to_string()
                .contains("2-4 classes")
        );
    }
}
