//! Kindling: train small networks in the browser and watch them learn.
//!
//! A pure core (data, model, train, inspect) that knows nothing about the browser and runs on
//! any Burn device; `web` is the only module that speaks wasm-bindgen.

pub mod data;
pub mod error;
pub mod events;
pub mod inspect;
pub mod kernels;
pub mod model;
pub mod settings;
pub mod share;
pub mod train;

#[cfg(target_arch = "wasm32")]
mod web;

pub use settings::{SequenceSettings, Settings, SettingsError};
