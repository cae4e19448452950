//! Writes what tests/pytorch/parity.py checks: for an MLP on points, MLPs on a table (a class
//! and a value) and a transformer, each trained a few steps, the model file, its PyTorch script,
//! the train data, the test inputs and Kindling's outputs on them (f32); for the tables, the
//! file itself and the page's predictions on its rows; for a character language model and text
//! classifiers (words, characters), texts with the ids Kindling read them as and its
//! probabilities. `cargo run --release --example pytorch_parity -- DIR`.

use burn::prelude::*;
use kindling::data::SequenceTask;
use kindling::data::table::{FileData, TableChoices, encode, infer_schema, read_file};
use kindling::data::text::{TokenChoices, TokenUnit, text_classification};
use kindling::model::{ActivationKind, LayerConfig};
use kindling::share::{ScriptData, TokenScript, pytorch_script, write_safetensors};
use kindling::train::{DataSource, Learning, SequenceTrainer, Trainer};
use kindling::{SequenceSettings, Settings};
use safetensors::tensor::{Dtype, TensorView};
use std::path::Path;

const STEPS: usize = 30;

/// F32 tensors (name, shape, values) as a safetensors file.
fn write_tensors(path: &Path, tensors: &[(&str, Vec<usize>, Vec<f32>)]) {
    let bytes: Vec<Vec<u8>> = tensors
        .iter()
        .map(|(_, _, v)| v.iter().flat_map(|x| x.to_le_bytes()).collect())
        .collect();
    let views = tensors.iter().zip(&bytes).map(|((name, shape, _), data)| {
        (
            name.to_string(),
            TensorView::new(Dtype::F32, shape.clone(), data).unwrap(),
        )
    });
    std::fs::write(path, safetensors::serialize(views, None).unwrap()).unwrap();
}

fn floats<const D: usize>(t: Tensor<D>) -> Vec<f32> {
    t.into_data().convert::<f32>().try_to_vec::<f32>().unwrap()
}

fn export(dir: &Path, name: &str, learning: &dyn Learning, settings: &str, data: &ScriptData) {
    let (names, shapes, values) = learning.params();
    let params = kindling::share::param_values_from(names, shapes, &floats(values));
    let kind = learning.kind_name();
    let file = write_safetensors(
        &params,
        kind,
        settings,
        learning.step_count() as u32,
        None,
        &learning.summary(),
    )
    .unwrap();
    std::fs::write(dir.join(format!("{name}.safetensors")), file).unwrap();
    let script = pytorch_script(kind, settings, &params.names, &params.shapes, data).unwrap();
    std::fs::write(dir.join(format!("{name}.py")), script).unwrap();
}

fn main() {
    let dir = std::env::args().nth(1).expect("usage: pytorch_parity DIR");
    let dir = Path::new(&dir);
    std::fs::create_dir_all(dir).unwrap();
    let device = Device::flex();

    // An MLP on points, with every kind of input feature and the activations whose PyTorch
    // twins differ most (GELU, PReLU's learned slope, tanh).
    let mut settings = Settings::default();
    settings.model.features.x_squared = true;
    settings.model.features.x_times_y = true;
    settings.model.features.sin_x = true;
    settings.model.hidden = vec![
        LayerConfig {
            units: 16,
            activation: ActivationKind::Gelu,
            dropout: 0.0,
        },
        LayerConfig {
            units: 8,
            activation: ActivationKind::Prelu,
            dropout: 0.0,
        },
        LayerConfig {
            units: 8,
            activation: ActivationKind::Tanh,
            dropout: 0.0,
        },
    ];
    let json = serde_json::to_string(&settings).unwrap();
    let mut trainer = Trainer::new(&settings, &device).unwrap();
    trainer.train(STEPS);
    export(dir, "points", &trainer, &json, &ScriptData::Points);
    let drawn = trainer.drawn();
    let (train, test) = (&drawn.train, &drawn.test);
    let outputs = floats(trainer.test_outputs());
    let n = outputs.len() / drawn.task.outputs();
    write_tensors(
        &dir.join("points.data.safetensors"),
        &[
            ("x", vec![train.len(), 2], train.x.clone()),
            ("y", vec![train.len()], train.y.clone()),
        ],
    );
    write_tensors(
        &dir.join("points.test.safetensors"),
        &[
            ("x", vec![n, 2], test.x[..2 * n].to_vec()),
            ("outputs", vec![n, drawn.task.outputs()], outputs),
        ],
    );

    // A causal transformer of two layers and two heads, sinusoidal positions.
    let mut settings = SequenceSettings::default();
    settings.model.layers = 2;
    settings.model.heads = 2;
    settings.model.d_model = 16;
    settings.model.causal = true;
    settings.model.positional = kindling::model::Positional::Sinusoidal;
    let json = serde_json::to_string(&settings).unwrap();
    let mut trainer = SequenceTrainer::new(&settings, &device).unwrap();
    trainer.train(STEPS);
    let tokens = ScriptData::Tokens(TokenScript::of(trainer.data()));
    export(dir, "transformer", &trainer, &json, &tokens);
    let data = trainer.data();
    let ids = |set: &[kindling::data::Example]| -> (Vec<f32>, Vec<f32>) {
        (
            set.iter()
                .flat_map(|e| e.input.iter().map(|t| *t as f32))
                .collect(),
            set.iter()
                .flat_map(|e| e.target.iter().map(|t| *t as f32))
                .collect(),
        )
    };
    let (seq, targets) = (data.train[0].input.len(), data.train[0].target.len());
    let (x, y) = ids(&data.train);
    write_tensors(
        &dir.join("transformer.data.safetensors"),
        &[
            ("x", vec![data.train.len(), seq], x),
            ("y", vec![data.train.len(), targets], y),
        ],
    );
    let test = &data.test[..data.test.len().min(64)];
    let (x, _) = ids(test);
    let model = trainer.eval_model();
    let input = Tensor::<2, Int>::from_data(
        TensorData::new(
            x.iter().map(|v| *v as i64).collect::<Vec<_>>(),
            [test.len(), seq],
        ),
        &model.embedding.weight.device(),
    );
    let logits = model.forward(input).logits;
    let shape = logits.dims().to_vec();
    write_tensors(
        &dir.join("transformer.test.safetensors"),
        &[
            ("x", vec![test.len(), seq], x),
            ("outputs", shape, floats(logits)),
        ],
    );
    table(dir, &device, "label");
    table(dir, &device, "score");
    language_model(dir, &device);
    classifier(dir, &device, TokenUnit::Word);
    classifier(dir, &device, TokenUnit::Char);
    println!("wrote {}", dir.display());
}

/// A generated table of 240 rows: numbers (some missing, some with many decimals), a category
/// of 40 values (more than one-hot keeps, so the rare ones share an input), a small category
/// with gaps, a class `label` and a value `score`.
fn table_text() -> String {
    let mut text = String::from("age,income,city,colour,label,score\n");
    for i in 0..240 {
        let age = if i % 17 == 0 {
            String::new()
        } else {
            format!("{}", 18 + (i * 7) % 60)
        };
        let income = ((i as f64) * 0.731).sin() * 1234.5678 + 3000.0;
        let city = format!("city{:02}", (i * 7) % 40);
        let colour = ["red", "green", "", "blue"][i % 4];
        let label = if income > 3000.0 { "high" } else { "low" };
        let score = income / 100.0 + (i % 60) as f64 * 0.25;
        text.push_str(&format!(
            "{age},{income:.4},{city},{colour},{label},{score:.3}\n"
        ));
    }
    text
}

/// An MLP on the table predicting `target` (the other target column left out), trained a few
/// steps; writes `table-TARGET.*`: the model, its script, the table (rows.csv) and the page's
/// predictions on its rows (each class's probability, or the value in its units).
fn table(dir: &Path, device: &Device, target: &str) {
    let text = table_text();
    let FileData::Table(t) = read_file("rows.csv", text.as_bytes()).unwrap() else {
        panic!("a CSV is a table")
    };
    let schema = infer_schema(&t).unwrap();
    let other = if target == "label" { "score" } else { "label" };
    let choices = TableChoices {
        target: target.into(),
        features: Some(
            ["age", "income", "city", "colour"]
                .map(String::from)
                .to_vec(),
        ),
        ..TableChoices::default()
    };
    let encoded = encode(&t, &schema, &choices).unwrap();
    assert!(!encoded.inputs.contains(&other.to_string()));
    let mut settings = Settings::default();
    settings.model.hidden = vec![
        LayerConfig {
            units: 12,
            activation: ActivationKind::Relu,
            dropout: 0.0,
        },
        LayerConfig {
            units: 6,
            activation: ActivationKind::Gelu,
            dropout: 0.0,
        },
    ];
    let json = serde_json::to_string(&settings).unwrap();
    let mut trainer = Trainer::with_source(&settings, DataSource::Table(encoded), device).unwrap();
    trainer.train(STEPS);
    let name = format!("table-{target}");
    let script = ScriptData::Table(trainer.table_script(target).unwrap());
    export(dir, &name, &trainer, &json, &script);
    std::fs::write(dir.join(format!("{name}.rows.csv")), &text).unwrap();
    let (rows, out) = trainer.predict(&t).unwrap().unwrap();
    let shape = out.dims().to_vec();
    write_tensors(
        &dir.join(format!("{name}.test.safetensors")),
        &[
            ("x", vec![rows.rows, rows.x.len() / rows.rows], rows.x),
            ("outputs", shape, floats(out)),
        ],
    );
}

/// Each text with the ids the model read it as and what it gave: `name.texts.json`.
fn write_texts(dir: &Path, name: &str, texts: Vec<serde_json::Value>) {
    let path = dir.join(format!("{name}.texts.json"));
    std::fs::write(path, serde_json::to_string_pretty(&texts).unwrap()).unwrap();
}

/// A character language model of the bundled sonnets; for prompts (one with characters it
/// never saw, one longer than its context), the ids the page reads and the next character's
/// probabilities.
fn language_model(dir: &Path, device: &Device) {
    let mut settings = SequenceSettings::default();
    settings.data.task = SequenceTask::Text;
    settings.data.length = 16;
    settings.model.d_model = 16;
    settings.model.heads = 2;
    settings.model.causal = true;
    let json = serde_json::to_string(&settings).unwrap();
    let mut trainer = SequenceTrainer::new(&settings, device).unwrap();
    trainer.train(STEPS);
    let tokens = ScriptData::Tokens(TokenScript::of(trainer.data()));
    export(dir, "charlm", &trainer, &json, &tokens);
    let long = "From fairest creatures we desire increase, that thereby";
    let prompts = ["Shall I compare thee", "thee \u{1F600}~ to", long, "a"];
    let texts = prompts.map(|prompt| {
        let ids = trainer.encode(prompt);
        let probabilities = trainer.next_token(&ids, 0.8).unwrap();
        serde_json::json!({ "text": prompt, "ids": ids, "temperature": 0.8, "probabilities": floats(probabilities) })
    });
    write_texts(dir, "charlm", texts.to_vec());
}

/// A transformer classifying a table's text column by `unit`; for texts (capitals, punctuation,
/// apostrophes, unknown tokens, one past the length), the ids the page reads and the classes'
/// probabilities.
fn classifier(dir: &Path, device: &Device, unit: TokenUnit) {
    let (good, bad) = (["great", "lovely", "superb"], ["dull", "awful", "boring"]);
    let filler = [
        "the", "film", "was", "quite", "and", "very", "a", "plot", "don't",
    ];
    let mut rng = kindling::data::Rng::new(5);
    let mut text = String::from("review,label\n");
    for i in 0..200 {
        let (words, label) = if i % 2 == 0 {
            (&good, "pos")
        } else {
            (&bad, "neg")
        };
        let mut review: Vec<&str> = (0..5).map(|_| filler[rng.below(filler.len())]).collect();
        review.insert(rng.below(6), words[rng.below(3)]);
        text.push_str(&format!("{},{label}\n", review.join(" ")));
    }
    let FileData::Table(t) = read_file("reviews.csv", text.as_bytes()).unwrap() else {
        panic!("a CSV is a table")
    };
    let schema = infer_schema(&t).unwrap();
    let choices = TableChoices {
        target: "label".into(),
        ..TableChoices::default()
    };
    let tokens = TokenChoices {
        column: "review".into(),
        unit,
        vocab_size: if unit == TokenUnit::Word { 12 } else { 30 },
        max_length: if unit == TokenUnit::Word { 8 } else { 40 },
    };
    let data = text_classification(&t, &schema, &choices, &tokens).unwrap();
    let mut settings = SequenceSettings::default();
    settings.model.d_model = 16;
    settings.model.heads = 2;
    let json = serde_json::to_string(&settings).unwrap();
    let mut trainer = SequenceTrainer::with_data(&settings, data, device).unwrap();
    trainer.train(STEPS);
    let name = match unit {
        TokenUnit::Word => "classifier-words",
        TokenUnit::Char => "classifier-chars",
    };
    let script = ScriptData::Tokens(TokenScript::of(trainer.data()));
    export(dir, name, &trainer, &json, &script);
    let texts = [
        "The film was GREAT",
        "dull, awful plot!!",
        "Don't: a zzyzx LOVELY film\tof Ærø",
        "the film was quite a very dull and boring plot, very very dull indeed",
        "ΣΊΣΥΦΟΣ ΟΔΟΣ",
    ];
    let texts = texts.map(|text| {
        let (typed, out) = trainer.classify_text(text).unwrap();
        serde_json::json!({ "text": text, "ids": typed.ids, "probabilities": floats(out) })
    });
    write_texts(dir, name, texts.to_vec());
}
