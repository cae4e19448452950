//! Everything a user sets, one struct per mode whose `Default` is the page's defaults: `Settings`
//! for the MLP on points (or a table), `SequenceSettings` for the transformer on sequences. The
//! page's URL holds only what differs from these.

use crate::data::{DatasetConfig, SequenceDataConfig};
use crate::error::{Field, UserError, Wording};
use crate::model::{MlpConfig, TransformerConfig};
use crate::train::{OptimizerKind, TrainConfig};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct Settings {
    pub data: DatasetConfig,
    pub model: MlpConfig,
    pub train: TrainConfig,
}

/// A setting out of range, with the section it belongs to ("Training: learning rate must be a
/// positive number, got -1").
pub type SettingsError = UserError;

pub static IN_SECTION: Wording = Wording::new("settings-section", "{section}: {reason}");
/// The sections of the page's settings, as their panels are headed.
pub static DATASET: Wording = Wording::new("term-dataset", "Dataset");
pub static NETWORK: Wording = Wording::new("term-network", "Network");
pub static TRAINING: Wording = Wording::new("term-training", "Training");
pub static DATA: Wording = Wording::new("term-data", "Data");
pub static MODEL: Wording = Wording::new("term-model", "Model");

/// `e`, an error of the settings in `section`.
pub fn in_section(section: &'static Wording) -> impl Fn(UserError) -> SettingsError {
    move |e| {
        let mut wrapped = UserError::wrapping(&IN_SECTION, e);
        wrapped.fields.push(("section", Field::Term(section)));
        wrapped
    }
}

/// A setting outside its range: `wording` with the allowed `max` and the `value` given.
pub fn out_of_range(
    wording: &'static Wording,
    max: impl std::fmt::Display,
    value: impl std::fmt::Display,
) -> UserError {
    UserError::new(
        wording,
        [("max", Field::plain(max)), ("value", Field::plain(value))],
    )
}

impl Settings {
    pub fn validate(&self) -> Result<(), SettingsError> {
        self.data.validate().map_err(in_section(&DATASET))?;
        self.model.validate().map_err(in_section(&NETWORK))?;
        self.train.validate().map_err(in_section(&TRAINING))?;
        Ok(())
    }

    /// The expected loss of an untrained classifier, ln(C): the loss of a uniform guess.
    pub fn initial_loss(&self) -> Option<f32> {
        match self.data.task() {
            crate::data::Task::Classification { classes } => Some((classes as f32).ln()),
            crate::data::Task::Regression => None,
        }
    }
}

/// The transformer's settings (the sequences mode): its data, architecture and training.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct SequenceSettings {
    pub data: SequenceDataConfig,
    pub model: TransformerConfig,
    pub train: TrainConfig,
}

impl Default for SequenceSettings {
    fn default() -> Self {
        Self {
            data: SequenceDataConfig::default(),
            model: TransformerConfig::default(),
            train: TrainConfig {
                optimizer: OptimizerKind::Adam,
                learning_rate: 0.003,
                batch_size: 64,
                // The text task overfits its corpus: its test loss is best near step 200 and
                // then rises while the train loss falls (examples/text_curve.rs). Early stopping
                // stops it there with the best weights; the synthetic tasks, which generalise,
                // run on until they have converged (sort and count stop near a test loss of
                // 0.06 and 0.008; reverse, shift and brackets do not stop in 3,000 steps).
                patience: 5,
                ..Default::default()
            },
        }
    }
}

impl SequenceSettings {
    pub fn validate(&self) -> Result<(), SettingsError> {
        self.data.validate().map_err(in_section(&DATA))?;
        self.model.validate().map_err(in_section(&MODEL))?;
        self.train.validate().map_err(in_section(&TRAINING))?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_fields_take_defaults_and_unknown_fields_are_refused() {
        let s: Settings = serde_json::from_str(r#"{"train": {"learningRate": 0.1}}"#).unwrap();
        assert_eq!(s.train.learning_rate, 0.1);
        assert_eq!(s.data, DatasetConfig::default());
        let err = serde_json::from_str::<Settings>(r#"{"train": {"learnRate": 0.1}}"#).unwrap_err();
        assert!(
            err.to_string().contains("unknown field `learnRate`"),
            "{err}"
        );
    }

    #[test]
    fn errors_name_their_section() {
        let mut s = Settings::default();
        s.train.learning_rate = -1.0;
        let e = s.validate().unwrap_err();
        assert_eq!(e.code(), "settings-section");
        assert_eq!(e.field("section"), Some(&Field::Term(&TRAINING)));
        assert_eq!(e.cause.as_ref().unwrap().code(), "learning-rate");
        assert_eq!(
            e.to_string(),
            "Training: learning rate must be a positive number, got -1"
        );
    }
}
