//! The `nn.Module` text of each architecture, with its `loss_of` and `predict`: what the model
//! computes, written as a learner would write it in PyTorch, matching Kindling's CPU kernels
//! (the exact erf GELU, LayerNorm with ε = 1e-5 and the biased variance, a -inf causal mask).

use super::{TableScript, TokenScript};
use crate::data::SequenceKind;
use crate::data::text::TokenUnit;
use crate::model::transformer::{Positional, TransformerConfig};
use crate::model::{ActivationKind, Feature, InputFeatures, MlpConfig};

fn activation(kind: ActivationKind) -> &'static str {
    match kind {
        ActivationKind::Relu => "nn.ReLU()",
        ActivationKind::LeakyRelu => "nn.LeakyReLU(0.01)",
        ActivationKind::Prelu => "nn.PReLU(num_parameters=1, init=0.25)",
        ActivationKind::Gelu => "nn.GELU()",
        ActivationKind::Tanh => "nn.Tanh()",
        ActivationKind::Sigmoid => "nn.Sigmoid()",
        ActivationKind::Linear => "nn.Identity()",
    }
}

fn feature(f: Feature) -> &'static str {
    match f {
        Feature::X => "x",
        Feature::Y => "y",
        Feature::XSquared => "x * x",
        Feature::YSquared => "y * y",
        Feature::XTimesY => "x * y",
        Feature::SinX => "torch.sin(math.pi * x)",
        Feature::SinY => "torch.sin(math.pi * y)",
    }
}

/// What an MLP's inputs are made from.
pub enum MlpInputs<'a> {
    /// The built-in points (x, y) through these input features.
    Points(&'a InputFeatures),
    /// The rows of the user's table, through its fitted encoding.
    Table(&'a TableScript<'a>),
}

/// The table part of a script: its encoding as data, and `encode_rows`, `read_table` and
/// `predict_table` over it.
const TABLE: &str = include_str!("table.py");

/// An MLP of `inputs` -> `outputs` on `source`: `predict` takes the points (x, y), or a table's
/// encoded rows (`encode_rows`).
pub fn mlp(config: &MlpConfig, inputs: usize, outputs: usize, source: &MlpInputs) -> String {
    let mut layers = String::new();
    let mut width = inputs;
    for layer in &config.hidden {
        layers.push_str(&format!(
            "            Hidden({width}, {}, {}, {}),\n",
            layer.units,
            activation(layer.activation),
            layer.dropout
        ));
        width = layer.units;
    }
    let encode = match source {
        MlpInputs::Points(f) => {
            let list: Vec<&str> = f.chosen().into_iter().map(feature).collect();
            format!(
                "def encode(points):\n    \"\"\"Points (x, y) [n, 2] -> the network's input features [n, {inputs}] ({}).\"\"\"\n    \
                 x, y = points[:, 0], points[:, 1]\n    return torch.stack([{}], dim=1)\n",
                f.labels().join(", "),
                list.join(", ")
            )
        }
        MlpInputs::Table(t) => table(t, inputs),
    };
    let loss = if outputs == 1 {
        "def loss_of(model, x, y):\n    \"\"\"Mean squared error (Kindling's regression loss).\"\"\"\n    \
         return ((model(encode(x)) - y.reshape(-1, 1)) ** 2).mean()\n"
    } else {
        "def loss_of(model, x, y):\n    \"\"\"Cross-entropy of softmax(logits) against the class (Kindling's loss).\"\"\"\n    \
         return nn.functional.cross_entropy(model(encode(x)), y.long())\n"
    };
    format!(
        "class Hidden(nn.Module):\n    \"\"\"Linear -> activation -> dropout.\"\"\"\n\n    \
         def __init__(self, d_in, units, activation, dropout):\n        super().__init__()\n        \
         self.linear = nn.Linear(d_in, units)\n        self.activation = activation\n        \
         self.dropout = nn.Dropout(dropout)\n\n    def forward(self, x):\n        \
         return self.dropout(self.activation(self.linear(x)))\n\n\n\
         class Model(nn.Module):\n    \"\"\"The MLP: hidden layers, then a linear output layer ({outputs} outputs).\"\"\"\n\n    \
         def __init__(self):\n        super().__init__()\n        self.hidden = nn.ModuleList([\n{layers}        ])\n        \
         self.output = nn.Linear({width}, {outputs})\n\n    def forward(self, x):\n        \
         for layer in self.hidden:\n            x = layer(x)\n        return self.output(x)\n\n\n\
         {encode}\n\n{loss}\n\n\
         def predict(model, x):\n    \"\"\"The model's outputs (logits, or the standardised value) for inputs x.\"\"\"\n    \
         model.eval()\n    with torch.no_grad():\n        return model(encode(x))\n"
    )
}

/// The text part of a sequence model's script: `encode_text`, `decode`, `generate` and
/// `classify` over its vocabularies.
const TOKENS: &str = include_str!("tokens.py");

/// A pre-LayerNorm transformer encoder over `t`'s tokens, an output of `t` per position (or
/// pooled), positions up to `max_len`; then its vocabularies and text functions.
pub fn transformer(
    config: &TransformerConfig,
    max_len: usize,
    pooled: bool,
    t: &TokenScript,
) -> String {
    let (vocab, outputs) = (t.tokens.len(), t.outputs.len());
    let d = config.d_model;
    let positional = match config.positional {
        Positional::Learned => format!(
            "        self.positional = nn.Parameter(torch.zeros({max_len}, {d}))  # learned, per position\n"
        ),
        Positional::Sinusoidal => format!(
            "        # Fixed sines and cosines, computed in f64 and rounded to f32 as Kindling does.\n        \
             table = [[(math.sin if i % 2 == 0 else math.cos)(p / 10000 ** ((i - i % 2) / {d}))\n                  \
             for i in range({d})] for p in range({max_len})]\n        \
             self.register_buffer(\"positional\", torch.tensor(table, dtype=torch.float32), persistent=False)\n"
        ),
    };
    let pool = if pooled {
        "        x = x.mean(dim=1, keepdim=True)  # one prediction per sequence\n"
    } else {
        ""
    };
    format!(
        "class SelfAttention(nn.Module):\n    \"\"\"Multi-head self-attention: softmax(Q Kᵀ / √d_k + mask) V, like nn.MultiheadAttention\n    \
         with separate query, key, value and output projections.\"\"\"\n\n    \
         def __init__(self, d_model, heads, dropout):\n        super().__init__()\n        self.heads = heads\n        \
         self.query = nn.Linear(d_model, d_model)\n        self.key = nn.Linear(d_model, d_model)\n        \
         self.value = nn.Linear(d_model, d_model)\n        self.output = nn.Linear(d_model, d_model)\n        \
         self.dropout = nn.Dropout(dropout)\n\n    def forward(self, x, mask):\n        \
         batch, seq, d_model = x.shape\n        d_k = d_model // self.heads\n        \
         split = lambda t: t.reshape(batch, seq, self.heads, d_k).transpose(1, 2)\n        \
         q, k, v = split(self.query(x)), split(self.key(x)), split(self.value(x))\n        \
         scores = q @ k.transpose(-2, -1) / math.sqrt(d_k)\n        if mask is not None:\n            \
         scores = scores + mask  # -inf where a query may not look\n        \
         weights = torch.softmax(scores, dim=-1)\n        context = self.dropout(weights) @ v\n        \
         return self.output(context.transpose(1, 2).reshape(batch, seq, d_model))\n\n\n\
         class Block(nn.Module):\n    \"\"\"x + Attention(LN(x)), then x + MLP(LN(x)) (pre-norm).\"\"\"\n\n    \
         def __init__(self):\n        super().__init__()\n        \
         self.norm_attention = nn.LayerNorm({d}, eps=1e-5)\n        \
         self.attention = SelfAttention({d}, {heads}, {dropout})\n        \
         self.norm_mlp = nn.LayerNorm({d}, eps=1e-5)\n        self.expand = nn.Linear({d}, {hidden})\n        \
         self.contract = nn.Linear({hidden}, {d})\n        self.gelu = nn.GELU()  # exact (erf)\n        \
         self.dropout = nn.Dropout({dropout})\n\n    def forward(self, x, mask):\n        \
         x = x + self.dropout(self.attention(self.norm_attention(x), mask))\n        \
         return x + self.dropout(self.contract(self.gelu(self.expand(self.norm_mlp(x)))))\n\n\n\
         class Model(nn.Module):\n    \"\"\"Token embedding + positions, {layers} block(s), a final LayerNorm and a linear head.\"\"\"\n\n    \
         def __init__(self):\n        super().__init__()\n        self.causal = {causal}\n        \
         self.embedding = nn.Embedding({vocab}, {d})\n{positional}        \
         self.blocks = nn.ModuleList([Block() for _ in range({layers})])\n        \
         self.norm = nn.LayerNorm({d}, eps=1e-5)\n        self.head = nn.Linear({d}, {outputs})\n\n    \
         def forward(self, ids):\n        seq = ids.shape[1]\n        \
         x = self.embedding(ids) + self.positional[:seq]\n        mask = None\n        \
         if self.causal:\n            mask = torch.full((seq, seq), float(\"-inf\")).triu(1)\n        \
         for block in self.blocks:\n            x = block(x, mask)\n        x = self.norm(x)\n{pool}        \
         return self.head(x)\n\n\n\
         def loss_of(model, x, y):\n    \"\"\"Cross-entropy at every predicted position (Kindling's loss).\"\"\"\n    \
         logits = model(x.long())\n    return nn.functional.cross_entropy(logits.reshape(-1, logits.shape[-1]), y.long().reshape(-1))\n\n\n\
         def predict(model, x):\n    \"\"\"Logits [batch, positions, {outputs}] for token ids x [batch, seq].\"\"\"\n    \
         model.eval()\n    with torch.no_grad():\n        return model(x.long())\n\n\n{tokens}",
        tokens = tokens(t),
        heads = config.heads,
        dropout = config.dropout,
        hidden = config.mlp_ratio * d,
        layers = config.layers,
        causal = if config.causal { "True" } else { "False" },
    )
}

/// A sequence model's vocabularies as Python data, then tokens.py.
fn tokens(t: &TokenScript) -> String {
    let (kind, read) = match (t.kind, t.unit) {
        (SequenceKind::Lm, _) => ("lm", "a character at a time"),
        (SequenceKind::Classification, Some(TokenUnit::Word)) => {
            ("classifier", "as lowercased words")
        }
        (SequenceKind::Classification, Some(TokenUnit::Char)) => {
            ("classifier", "a character at a time")
        }
        _ => ("task", "a character at a time"),
    };
    let unit = match t.unit {
        Some(TokenUnit::Word) => "\"word\"",
        Some(TokenUnit::Char) => "\"char\"",
        None if t.kind == SequenceKind::Lm => "\"char\"",
        None => "None",
    };
    format!(
        "# The model's data: \"lm\" (a language model: the next character at every position),\n\
         # \"classifier\" (a text's class: its tokens cut or padded to LENGTH) or \"task\" (a\n\
         # built-in task). Its texts were read {read}.\nKIND = \"{kind}\"\nUNIT = {unit}\n\
         LENGTH = {length}\n\
         # The input tokens by id, and the outputs (the next token, or the classes) by index.\n\
         TOKENS = json.loads(r\"\"\"{tokens}\"\"\")\nOUTPUTS = json.loads(r\"\"\"{outputs}\"\"\")\n{TOKENS}",
        length = t.length,
        tokens = json_literal(&t.tokens),
        outputs = json_literal(&t.outputs),
    )
}

/// JSON for a raw triple-quoted Python string: JSON escapes every quote inside its strings
/// (and a backslash as two), so three unescaped quotes never occur in it.
fn json_literal(v: &impl serde::Serialize) -> String {
    serde_json::to_string(v).expect("plain data serialises")
}

/// A table model's encoding as Python data (JSON, which Python reads as it is), `encode` (the
/// identity: `predict` takes encoded rows) and the functions of table.py.
fn table(t: &TableScript, inputs: usize) -> String {
    // A JSON string or array of strings is a Python literal as it is (JSON's escapes are
    // Python's), so no name can end it early.
    fn literal(v: &impl serde::Serialize) -> String {
        serde_json::to_string(v).expect("plain data serialises")
    }
    // The encoding one field a line, in a raw triple-quoted string: JSON escapes every quote
    // inside its strings, so three unescaped quotes never occur in it.
    let encoding =
        serde_json::to_string_pretty(&t.encoding.columns()).expect("plain data serialises");
    let (mean, std) = t.target_scale;
    format!(
        "# How Kindling encoded the table's feature columns, fitted on its train split: each\n\
         # numeric column standardised with the mean and std, each categorical one one-hot in\n\
         # this order (then one input shared by the rare categories where \"other\" is true).\n\
         ENCODING = json.loads(r\"\"\"\n{encoding}\n\"\"\")\nINPUTS = {inputs}\n\
         # The target column, and the outputs' classes in order (empty: the model predicts a value).\n\
         TARGET = {target}\nCLASSES = {classes}\n\
         # A value's mean and std over the train split: the network predicts (value - mean) / std.\n\
         TARGET_SCALE = ({mean:?}, {std:?})\n\n\n\
         def encode(rows):\n    \"\"\"Encoded rows [n, {inputs}] (encode_rows makes them of a table's text).\"\"\"\n    \
         return rows\n{TABLE}",
        target = literal(&t.target),
        classes = literal(&t.classes),
    )
}
