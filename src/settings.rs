//! Everything a user sets, one struct per mode whose `Default` is the page's defaults: `Settings`
//! for the MLP on points (or a table), `SequenceSettings` for the transformer on sequences. The
//! page's URL holds only what differs from these.

use crate::data::{DatasetConfig, SequenceDataConfig};
use crate::model::{MlpConfig, TransformerConfig};
use crate::train::{OptimizerKind, TrainConfig};
use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct Settings {
    pub data: DatasetConfig,
    pub model: MlpConfig,
    pub train: TrainConfig,
}

/// A setting out of range, with the section it belongs to.
#[derive(Debug, Clone, PartialEq)]
pub struct SettingsError(pub String);

impl fmt::Display for SettingsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for SettingsError {}

/// An error of settings section `name`.
fn section(name: &'static str) -> impl Fn(String) -> SettingsError {
    move |e| SettingsError(format!("{name}: {e}"))
}

impl Settings {
    pub fn validate(&self) -> Result<(), SettingsError> {
        self.data.validate().map_err(section("Dataset"))?;
        self.model.validate().map_err(section("Network"))?;
        self.train.validate().map_err(section("Training"))?;
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
                ..Default::default()
            },
        }
    }
}

impl SequenceSettings {
    pub fn validate(&self) -> Result<(), SettingsError> {
        self.data.validate().map_err(section("Data"))?;
        self.model.validate().map_err(section("Model"))?;
        self.train.validate().map_err(section("Training"))?;
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
        assert!(
            s.validate()
                .unwrap_err()
                .0
                .starts_with("Training: learning rate")
        );
    }
}
