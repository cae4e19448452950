//! A model as a readable PyTorch script: an `nn.Module` of the same architecture, a loader for
//! Kindling's `.safetensors` file with its layout changes spelled out (Burn keeps a linear
//! layer's weight as [in, out], PyTorch as [out, in]; a LayerNorm's γ, β are PyTorch's weight,
//! bias), `predict`, and a training loop with the same loss and optimiser that runs unchanged
//! under `torchrun` (DistributedDataParallel, gloo). The script needs only `torch`.

mod modules;

use crate::data::table::FeatureEncoding;
use crate::data::text::TokenUnit;
use crate::data::{SequenceData, SequenceKind};
use crate::{SequenceSettings, Settings};

/// The shared part of every script: the file reader and writer, the optimiser, the training
/// loop and the command line. It reads the generated `Model`, `LAYOUT`, `TRAIN`, `loss_of`
/// and `predict`.
const COMMON: &str = include_str!("common.py");

/// A table model's side of the script: how its rows become inputs (`encode_rows`, the train
/// split's statistics and category order) and its outputs predictions (`predict_table`).
pub struct TableScript<'a> {
    pub encoding: &'a FeatureEncoding,
    /// The target column's name.
    pub target: &'a str,
    /// The outputs' class names, in order; empty for a value.
    pub classes: &'a [String],
    /// A value's (mean, std) over the train split: the network predicts (value - mean) / std.
    pub target_scale: (f64, f64),
}

/// A sequence model's side of the script: its vocabularies and how a text becomes token ids
/// (`encode_text`, `generate` for a language model, `classify` for a classifier).
pub struct TokenScript<'a> {
    /// The input tokens, by id.
    pub tokens: &'a [String],
    /// The outputs: the next token's vocabulary, or the class names.
    pub outputs: &'a [String],
    /// The sequences' length: a classifier's texts are cut or padded to it, a language model's
    /// context is cut to it.
    pub length: usize,
    pub kind: SequenceKind,
    /// How a text classifier cut its texts; None for a built-in task or a language model,
    /// whose texts are read a character at a time.
    pub unit: Option<TokenUnit>,
}

impl<'a> TokenScript<'a> {
    pub fn of(data: &'a SequenceData) -> Self {
        Self {
            tokens: &data.input_vocab,
            outputs: &data.output_vocab,
            length: data.length,
            kind: data.kind,
            unit: data.text_unit,
        }
    }
}

/// What a script needs besides the architecture, by the data the model trained on.
pub enum ScriptData<'a> {
    /// The built-in points: the input features are in the settings.
    Points,
    /// The user's table.
    Table(TableScript<'a>),
    /// A sequence model's tokens.
    Tokens(TokenScript<'a>),
}

/// `kind` ("points" | "sequences"), its settings JSON, the parameters' Kindling names and
/// shapes (`ParamValues`), and what the data needs (a table's encoding, a sequence model's
/// tokens) -> the script's text, or why these settings are not accepted.
pub fn pytorch_script(
    kind: &str,
    settings: &str,
    names: &[String],
    shapes: &[Vec<usize>],
    data: &ScriptData,
) -> Result<String, String> {
    let shape = |name: &str| {
        names
            .iter()
            .position(|n| n == name)
            .map(|i| shapes[i].clone())
            .ok_or_else(|| format!("the model has no tensor '{name}'"))
    };
    let table = match data {
        ScriptData::Table(t) => Some(t),
        _ => None,
    };
    let (body, train) = match (kind, data) {
        ("sequences", ScriptData::Tokens(t)) => {
            let s: SequenceSettings = serde_json::from_str(settings).map_err(|e| e.to_string())?;
            let [vocab, _] = shape("embedding.weight")?[..] else {
                return Err("embedding.weight is not a matrix".into());
            };
            let outputs = shape("head.weight")?[1];
            if (vocab, outputs) != (t.tokens.len(), t.outputs.len()) {
                return Err(format!(
                    "the model reads {vocab} tokens and writes {outputs}; its data has {} and {}",
                    t.tokens.len(),
                    t.outputs.len()
                ));
            }
            let max_len = shape("positional.learned")
                .map(|s| s[0])
                .unwrap_or(t.length);
            // The data, not the settings' task, says whether one label ends a sequence: a
            // table's text column is classified whatever task the settings name.
            let pooled = t.kind == SequenceKind::Classification;
            let body = modules::transformer(&s.model, max_len, pooled, t);
            (body, serde_json::to_string(&s.train))
        }
        ("sequences", _) => return Err("a sequence model's script needs its tokens".into()),
        (_, ScriptData::Tokens(_)) => return Err("an MLP reads no tokens".into()),
        _ => {
            let s: Settings = serde_json::from_str(settings).map_err(|e| e.to_string())?;
            let first = if s.model.hidden.is_empty() {
                "output.weight".to_string()
            } else {
                "hidden.0.linear.weight".to_string()
            };
            let inputs = shape(&first)?[0];
            let outputs = shape("output.weight")?[1];
            let source = match table {
                Some(t) if t.encoding.width() != inputs => {
                    return Err(format!(
                        "the table's encoding gives {} inputs, the model takes {inputs}",
                        t.encoding.width()
                    ));
                }
                Some(t) => modules::MlpInputs::Table(t),
                None => modules::MlpInputs::Points(&s.model.features),
            };
            let body = modules::mlp(&s.model, inputs, outputs, &source);
            (body, serde_json::to_string(&s.train))
        }
    };
    let train = train.map_err(|e| e.to_string())?;
    let layout = layout(names);
    Ok(format!(
        "{header}\nimport csv\nimport io\nimport json\nimport math\nimport os\nimport struct\nimport sys\nimport unicodedata\n\nimport torch\n\
         from torch import nn\n\n# The training settings the model was trained with (Kindling's \
         TrainConfig).\nTRAIN = json.loads(r'''{train}''')\n\n{layout}\n\n{body}{COMMON}",
        header = header(kind, data),
    ))
}

fn header(kind: &str, data: &ScriptData) -> String {
    let text = match data {
        ScriptData::Tokens(t) if t.kind == SequenceKind::Lm => {
            "\x20   generate: python model.py generate model.safetensors \"PROMPT\" [LENGTH] [TEMPERATURE]\n"
        }
        ScriptData::Tokens(t) if t.kind == SequenceKind::Classification => {
            "\x20   classify: python model.py classify model.safetensors \"TEXT\"\n"
        }
        _ => "",
    };
    let table = if matches!(data, ScriptData::Table(_)) {
        "\x20   on a table: python model.py predict-table model.safetensors rows.csv [predictions.csv]\n\
         \x20   (rows.csv: the training file's feature columns by name, the target optional; and\n\
         \x20   train also takes the training file itself as data, rows.csv in place of data.safetensors)\n"
    } else {
        ""
    };
    format!(
        "\"\"\"A Kindling {kind} model in PyTorch (written by Kindling's \"Export as PyTorch\").\n\n\
         Needs only torch (pip install torch). With the model file exported beside it:\n\n\
         \x20   predict:  python model.py predict model.safetensors data.safetensors\n\
         \x20   train:    python model.py train model.safetensors data.safetensors STEPS out.safetensors\n\
         \x20   torchrun: torchrun --nproc_per_node 2 model.py train model.safetensors data.safetensors STEPS out.safetensors\n{text}{table}\n\
         data.safetensors holds F32 tensors x (the inputs, as `predict` takes them) and y (the\n\
         targets: a class index or a value per row, or per position for a sequence). Under\n\
         torchrun every process takes its share of each batch (backend gloo, so CPUs do) and\n\
         writes out.safetensors.rank<N>; DistributedDataParallel keeps their weights equal.\n\
         Written files are in Kindling's layout, so the page opens them again.\n\"\"\"\n"
    )
}

/// Kindling's name -> this module's name, and whether the matrix is transposed: Burn's Linear
/// keeps its weight [in, out], PyTorch's nn.Linear [out, in]; Burn's LayerNorm calls its scale
/// and shift gamma and beta; an embedding's table is [vocab, d] in both.
fn layout(names: &[String]) -> String {
    let mut text = String::from(
        "# Kindling's tensor name -> this module's, and whether it is transposed (Burn keeps a\n\
         # linear layer's weight as [in, out], PyTorch as [out, in]).\nLAYOUT = [\n",
    );
    for name in names {
        let (torch, transpose) = torch_name(name);
        let t = if transpose { "True" } else { "False" };
        text.push_str(&format!("    (\"{name}\", \"{torch}\", {t}),\n"));
    }
    text.push_str("]\n");
    text
}

/// This module's name of Kindling's parameter `name`, and whether it is transposed.
pub fn torch_name(name: &str) -> (String, bool) {
    if let Some(stem) = name.strip_suffix(".gamma") {
        return (format!("{stem}.weight"), false);
    }
    if let Some(stem) = name.strip_suffix(".beta") {
        return (format!("{stem}.bias"), false);
    }
    if let Some(stem) = name.strip_suffix(".alpha") {
        // PReLU's slope: nn.PReLU's weight. Burn names the activation's variant in the path.
        let stem = stem.trim_end_matches(".PRelu").trim_end_matches(".PReLU");
        return (format!("{stem}.weight"), false);
    }
    if name == "positional.learned" {
        // Burn's learned positions are a module of their own; here the table is a parameter.
        return ("positional".into(), false);
    }
    let linear = name.ends_with(".weight") && name != "embedding.weight";
    (name.to_string(), linear)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn linear_weights_are_transposed_and_norms_renamed() {
        assert_eq!(
            torch_name("hidden.0.linear.weight"),
            ("hidden.0.linear.weight".into(), true)
        );
        assert_eq!(
            torch_name("hidden.0.linear.bias"),
            ("hidden.0.linear.bias".into(), false)
        );
        assert_eq!(
            torch_name("embedding.weight"),
            ("embedding.weight".into(), false)
        );
        assert_eq!(
            torch_name("blocks.1.norm_mlp.gamma"),
            ("blocks.1.norm_mlp.weight".into(), false)
        );
        assert_eq!(torch_name("norm.beta"), ("norm.bias".into(), false));
        assert_eq!(
            torch_name("positional.learned"),
            ("positional".into(), false)
        );
    }
}
