//! A model summary, as Keras's `model.summary()`: each layer (named after its module) with its
//! output shape and its parameter count, read from the built model itself, and the totals.

use super::{Mlp, Transformer};
use burn::nn::Linear;
use burn::nn::activation::Activation;
use burn::prelude::*;
use serde::Serialize;

/// One row of the summary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LayerSummary {
    /// The module's path in the model, as the weights are named ("hidden.0.linear").
    pub name: String,
    /// The layer's type, as the literature (and Burn) names it: "Linear", "ReLU", "LayerNorm".
    pub kind: String,
    /// The output's shape; `None` is the batch (Keras writes it `None`).
    pub output_shape: Vec<Option<usize>>,
    pub parameters: usize,
}

/// Every layer in the order the forward pass runs them, and the totals.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ModelSummary {
    pub layers: Vec<LayerSummary>,
    pub total: usize,
    /// Every parameter the playground's models hold is trained; kept apart as Keras does.
    pub trainable: usize,
}

impl ModelSummary {
    fn of(layers: Vec<LayerSummary>) -> Self {
        let total = layers.iter().map(|l| l.parameters).sum();
        Self {
            layers,
            total,
            trainable: total,
        }
    }

    /// The summary as JSON text (the model file's `kindling.summary`).
    pub fn json(&self) -> String {
        serde_json::to_string(self).expect("a summary serialises to JSON")
    }

    /// Keras's plain-text table: `Layer (type) | Output Shape | Param #`, then the totals.
    pub fn text(&self) -> String {
        let mut out = format!(
            "{:<36}{:<22}{:>10}\n",
            "Layer (type)", "Output Shape", "Param #"
        );
        for layer in &self.layers {
            let name = format!("{} ({})", layer.name, layer.kind);
            let shape = shape_text(&layer.output_shape);
            out += &format!("{name:<36}{shape:<22}{:>10}\n", layer.parameters);
        }
        out += &format!(
            "Total params: {}\nTrainable params: {}\n",
            self.total, self.trainable
        );
        out
    }
}

/// `(None, 64)`, as Keras writes a shape.
pub fn shape_text(shape: &[Option<usize>]) -> String {
    let dims: Vec<String> = shape
        .iter()
        .map(|d| d.map_or("None".into(), |d| d.to_string()))
        .collect();
    format!("({})", dims.join(", "))
}

fn row(
    name: String,
    kind: &str,
    output_shape: Vec<Option<usize>>,
    parameters: usize,
) -> LayerSummary {
    LayerSummary {
        name,
        kind: kind.into(),
        output_shape,
        parameters,
    }
}

/// Burn's `Linear` weight is [d_input, d_output].
fn widths(linear: &Linear) -> (usize, usize) {
    let [d_in, d_out] = linear.weight.dims();
    (d_in, d_out)
}

fn activation_kind(activation: &Activation) -> &'static str {
    match activation {
        Activation::Relu(_) => "ReLU",
        Activation::LeakyRelu(_) => "LeakyReLU",
        Activation::PRelu(_) => "PReLU",
        Activation::Gelu(_) => "GELU",
        Activation::Tanh(_) => "Tanh",
        Activation::Sigmoid(_) => "Sigmoid",
        Activation::Identity(_) => "Identity",
        _ => "Activation",
    }
}

/// The MLP's rows: the input, then per hidden layer its Linear, activation and Dropout (always
/// there: its rate is a training setting, changed while the model trains), then the output layer.
pub fn mlp_summary(mlp: &Mlp) -> ModelSummary {
    let inputs = mlp
        .hidden
        .first()
        .map_or(widths(&mlp.output).0, |h| widths(&h.linear).0);
    let mut layers = vec![row("input".into(), "Input", vec![None, Some(inputs)], 0)];
    for (i, hidden) in mlp.hidden.iter().enumerate() {
        let units = Some(widths(&hidden.linear).1);
        let kind = activation_kind(&hidden.activation);
        layers.push(row(
            format!("hidden.{i}.linear"),
            "Linear",
            vec![None, units],
            hidden.linear.num_params(),
        ));
        layers.push(row(
            format!("hidden.{i}.activation"),
            kind,
            vec![None, units],
            hidden.activation.num_params(),
        ));
        layers.push(row(
            format!("hidden.{i}.dropout"),
            "Dropout",
            vec![None, units],
            0,
        ));
    }
    let outputs = Some(widths(&mlp.output).1);
    layers.push(row(
        "output".into(),
        "Linear",
        vec![None, outputs],
        mlp.output.num_params(),
    ));
    ModelSummary::of(layers)
}

/// The transformer's rows over sequences of its positional table's length: the token embedding,
/// the positional encoding (0 parameters when sinusoidal), per block its two LayerNorms, the
/// attention's Q, K, V and output projections and the MLP's two Linears, then the final
/// LayerNorm, the mean over positions when the head is pooled, and the output head.
pub fn transformer_summary(model: &Transformer) -> ModelSummary {
    let seq = Some(model.positional.max_len);
    let [_, d] = model.embedding.weight.dims();
    let stream = || vec![None, seq, Some(d)]; // [batch, seq, d_model]
    let mut layers = vec![
        row(
            "embedding".into(),
            "Embedding",
            stream(),
            model.embedding.num_params(),
        ),
        row(
            "positional".into(),
            if model.positional.learned.is_some() {
                "PositionalEmbedding"
            } else {
                "SinusoidalEncoding"
            },
            stream(),
            model.positional.num_params(),
        ),
    ];
    for (i, block) in model.blocks.iter().enumerate() {
        let at = |part: &str| format!("blocks.{i}.{part}");
        let attention = &block.attention;
        let hidden = widths(&block.expand).1;
        layers.push(row(
            at("norm_attention"),
            "LayerNorm",
            stream(),
            block.norm_attention.num_params(),
        ));
        for (part, linear) in [
            ("query", &attention.query),
            ("key", &attention.key),
            ("value", &attention.value),
            ("output", &attention.output),
        ] {
            let name = at(&format!("attention.{part}"));
            layers.push(row(name, "Linear", stream(), linear.num_params()));
        }
        layers.push(row(
            at("norm_mlp"),
            "LayerNorm",
            stream(),
            block.norm_mlp.num_params(),
        ));
        layers.push(row(
            at("expand"),
            "Linear + GELU",
            vec![None, seq, Some(hidden)],
            block.expand.num_params(),
        ));
        layers.push(row(
            at("contract"),
            "Linear",
            stream(),
            block.contract.num_params(),
        ));
    }
    layers.push(row(
        "norm".into(),
        "LayerNorm",
        stream(),
        model.norm.num_params(),
    ));
    let outputs = Some(widths(&model.head).1);
    let head_shape = if model.pooled {
        // the mean keeps its axis: [batch, 1, d_model]
        layers.push(row(
            "pool".into(),
            "MeanPool",
            vec![None, Some(1), Some(d)],
            0,
        ));
        vec![None, Some(1), outputs]
    } else {
        vec![None, seq, outputs]
    };
    layers.push(row(
        "head".into(),
        "Linear",
        head_shape,
        model.head.num_params(),
    ));
    ModelSummary::of(layers)
}
