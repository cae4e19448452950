//! TensorFlow Playground's input features: the MLP on the built-in points sees chosen functions
//! of the point (x, y), not only the point. With x² and y² a single linear unit can draw a circle,
//! with xy the XOR; the features put into the input what a hidden layer would otherwise learn.
//! A table's inputs are its columns and take none of these.

use crate::data::{Dataset, Points};
use crate::error::{UserError, Wording};
use serde::{Deserialize, Serialize};
use std::f32::consts::PI;

/// Which features of the point the network takes, each a toggle; by default x and y.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct InputFeatures {
    pub x: bool,
    pub y: bool,
    pub x_squared: bool,
    pub y_squared: bool,
    pub x_times_y: bool,
    pub sin_x: bool,
    pub sin_y: bool,
}

impl Default for InputFeatures {
    fn default() -> Self {
        Self {
            x: true,
            y: true,
            x_squared: false,
            y_squared: false,
            x_times_y: false,
            sin_x: false,
            sin_y: false,
        }
    }
}

/// One feature of a point, in TF Playground's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Feature {
    X,
    Y,
    XSquared,
    YSquared,
    XTimesY,
    SinX,
    SinY,
}

impl Feature {
    pub const ALL: [Feature; 7] = [
        Feature::X,
        Feature::Y,
        Feature::XSquared,
        Feature::YSquared,
        Feature::XTimesY,
        Feature::SinX,
        Feature::SinY,
    ];

    /// The feature's value at the point (x, y). The plane spans ±1.25, where sin x would be
    /// almost x; sin πx makes about as many waves across it as TF Playground's sin x across ±6.
    pub fn at(self, x: f32, y: f32) -> f32 {
        match self {
            Feature::X => x,
            Feature::Y => y,
            Feature::XSquared => x * x,
            Feature::YSquared => y * y,
            Feature::XTimesY => x * y,
            Feature::SinX => (PI * x).sin(),
            Feature::SinY => (PI * y).sin(),
        }
    }

    /// How the page writes it (the same in every language: it is a formula).
    pub fn label(self) -> &'static str {
        match self {
            Feature::X => "x",
            Feature::Y => "y",
            Feature::XSquared => "x²",
            Feature::YSquared => "y²",
            Feature::XTimesY => "xy",
            Feature::SinX => "sin πx",
            Feature::SinY => "sin πy",
        }
    }
}

static NO_FEATURE: Wording = Wording::new(
    "no-input-feature",
    "choose at least one input feature (x, y, x², y², xy, sin πx, sin πy)",
);

impl InputFeatures {
    fn on(&self, feature: Feature) -> bool {
        match feature {
            Feature::X => self.x,
            Feature::Y => self.y,
            Feature::XSquared => self.x_squared,
            Feature::YSquared => self.y_squared,
            Feature::XTimesY => self.x_times_y,
            Feature::SinX => self.sin_x,
            Feature::SinY => self.sin_y,
        }
    }

    /// The features chosen, in order: the network's inputs.
    pub fn chosen(&self) -> Vec<Feature> {
        Feature::ALL.into_iter().filter(|f| self.on(*f)).collect()
    }

    pub fn count(&self) -> usize {
        self.chosen().len()
    }

    pub fn labels(&self) -> Vec<String> {
        self.chosen()
            .iter()
            .map(|f| f.label().to_string())
            .collect()
    }

    pub fn validate(&self) -> Result<(), UserError> {
        if self.count() == 0 {
            return Err(UserError::new(&NO_FEATURE, []));
        }
        Ok(())
    }

    /// Rows of (x, y) -> rows of the chosen features: [n * 2] -> [n * count].
    pub fn expand(&self, xy: &[f32]) -> Vec<f32> {
        let chosen = self.chosen();
        let mut out = Vec::with_capacity(xy.len() / 2 * chosen.len());
        for p in xy.chunks_exact(2) {
            out.extend(chosen.iter().map(|f| f.at(p[0], p[1])));
        }
        out
    }

    fn expand_points(&self, points: &Points) -> Points {
        Points {
            x: self.expand(&points.x),
            y: points.y.clone(),
        }
    }

    /// The dataset as the network sees it: each point through the chosen features.
    pub fn expand_dataset(&self, dataset: &Dataset) -> Dataset {
        Dataset {
            task: dataset.task,
            train: self.expand_points(&dataset.train),
            test: self.expand_points(&dataset.test),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_is_the_point_itself() {
        let f = InputFeatures::default();
        assert_eq!(f.count(), 2);
        assert_eq!(f.expand(&[0.5, -1.0, 2.0, 3.0]), vec![0.5, -1.0, 2.0, 3.0]);
    }

    #[test]
    fn every_feature_in_order() {
        let all = InputFeatures {
            x: true,
            y: true,
            x_squared: true,
            y_squared: true,
            x_times_y: true,
            sin_x: true,
            sin_y: true,
        };
        let row = all.expand(&[0.5, -0.25]);
        let want = [0.5, -0.25, 0.25, 0.0625, -0.125, 1.0, -(PI / 4.0).sin()];
        for (got, want) in row.iter().zip(want) {
            assert!((got - want).abs() < 1e-6, "{row:?}");
        }
        assert_eq!(
            all.labels(),
            ["x", "y", "x²", "y²", "xy", "sin πx", "sin πy"]
        );
        let only_squares = InputFeatures {
            x: false,
            y: false,
            x_squared: true,
            y_squared: true,
            ..Default::default()
        };
        assert_eq!(only_squares.expand(&[2.0, 3.0]), vec![4.0, 9.0]);
    }

    #[test]
    fn none_chosen_is_refused() {
        let none = InputFeatures {
            x: false,
            y: false,
            ..Default::default()
        };
        assert_eq!(none.validate().unwrap_err().code(), "no-input-feature");
    }
}
