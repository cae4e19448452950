//! Writes what tests/pytorch/parity.py checks: for an MLP on points and a transformer, each
//! trained a few steps, the model file, its PyTorch script, the train data, the test inputs and
//! Kindling's outputs on them (f32). `cargo run --release --example pytorch_parity -- DIR`.

use burn::prelude::*;
use kindling::model::{ActivationKind, LayerConfig};
use kindling::share::{pytorch_script, write_safetensors};
use kindling::train::{Learning, SequenceTrainer, Trainer};
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

fn export(dir: &Path, name: &str, learning: &dyn Learning, settings: &str) {
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
    let script = pytorch_script(kind, settings, &params.names, &params.shapes).unwrap();
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
    export(dir, "points", &trainer, &json);
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
    export(dir, "transformer", &trainer, &json);
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
    println!("wrote {}", dir.display());
}
