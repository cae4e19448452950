//! The step-by-step view's numbers are the model's own: from one head's Q, K and V, the softmax
//! of the scaled, masked scores is the attention row the grid shows, and Σ w·v is that head's
//! context inside the model; on a causal task and a non-causal one. The embedding similarity
//! matrix is symmetric with ones on the diagonal; the position vectors shown are the model's.

use burn::prelude::*;
use futures_lite::future::block_on;
use kindling::SequenceSettings;
use kindling::data::SequenceTask;
use kindling::inspect::{attention_steps, cosine_similarity_matrix, is_masked};
use kindling::model::Positional;
use kindling::model::transformer::sinusoidal;
use kindling::train::{Learning, SequenceTrainer, read_floats};

fn read<const D: usize>(t: Tensor<D>) -> Vec<f32> {
    block_on(read_floats(t)).unwrap()
}

/// Two layers of two heads, trained a little so that the weights are not the initial ones.
fn trained(task: SequenceTask) -> SequenceTrainer {
    let mut settings = SequenceSettings::default();
    settings.data.task = task;
    settings.data.sequences = 200;
    settings.model.layers = 2;
    settings.model.heads = 2;
    settings.model.d_model = 16;
    let mut trainer = SequenceTrainer::new(&settings, &Device::flex()).unwrap();
    trainer.train(20);
    trainer
}

fn check_steps_against_the_model(trainer: &SequenceTrainer, causal: bool) {
    assert_eq!(trainer.is_causal(), causal);
    let model = trainer.eval_model();
    let (layers, heads) = (model.blocks.len(), model.blocks[0].attention.heads);
    for index in [0, 3] {
        let grid = trainer.attention(index).unwrap(); // [layers, heads, length, length]
        let length = grid.dims()[2];
        let grid = read(grid);
        let example = trainer.test_example(index).unwrap();
        let ids: Vec<i64> = example.input.iter().map(|t| i64::from(*t)).collect();
        let ids = Tensor::<2, Int>::from_data(TensorData::new(ids, [1, length]), &Device::flex());
        for layer in 0..layers {
            // The head's context inside the model, before the output projection.
            let (x, mask) = model.attention_input(ids.clone(), layer);
            assert_eq!(mask.is_some(), causal);
            let (context, _) = model.blocks[layer].attention.attend(x, mask);
            let d_head = context.dims()[3];
            let context = read(context); // [1, heads, length, d_head]
            for head in 0..heads {
                let qkv = trainer.attention_qkv(index, layer, head).unwrap();
                assert_eq!(qkv.dims(), [3, length, d_head]);
                let steps = attention_steps(&read(qkv), length, d_head, causal);
                let row0 = (layer * heads + head) * length * length;
                for (n, (mine, theirs)) in steps.weights.iter().zip(&grid[row0..]).enumerate() {
                    let (query, key) = (n / length, n % length);
                    assert!(
                        (mine - theirs).abs() < 1e-6,
                        "layer {layer} head {head} query {query} key {key}: {mine} vs {theirs}"
                    );
                    if is_masked(causal, query, key) {
                        assert_eq!(*mine, 0.0);
                    }
                }
                for (query, scaled) in steps.scaled.chunks(length).enumerate() {
                    let raw = &steps.scores[query * length..][..length];
                    for (s, r) in scaled.iter().zip(raw) {
                        assert!((s * (d_head as f32).sqrt() - r).abs() < 1e-4 * r.abs().max(1.0));
                    }
                }
                let inside = &context[head * length * d_head..][..length * d_head];
                for (n, (mine, theirs)) in steps.output.iter().zip(inside).enumerate() {
                    assert!(
                        (mine - theirs).abs() < 1e-5,
                        "layer {layer} head {head} output {n}: {mine} vs {theirs}"
                    );
                }
            }
        }
    }
    assert!(trainer.attention_qkv(0, layers, 0).is_err());
    assert!(trainer.attention_qkv(0, 0, heads).is_err());
}

#[test]
fn the_steps_are_the_models_own_without_a_mask() {
    check_steps_against_the_model(&trained(SequenceTask::Reverse), false);
}

#[test]
fn the_steps_are_the_models_own_under_the_causal_mask() {
    let trainer = trained(SequenceTask::Text);
    check_steps_against_the_model(&trainer, true);
}

#[test]
fn residual_norms_follow_the_blocks() {
    let trainer = trained(SequenceTask::Reverse);
    let norms = trainer.residual_norms(1).unwrap();
    let [rows, length] = norms.dims();
    assert_eq!(rows, 2 * 3);
    let norms = read(norms);
    let example = trainer.test_example(1).unwrap();
    let ids: Vec<i64> = example.input.iter().map(|t| i64::from(*t)).collect();
    let ids = Tensor::<2, Int>::from_data(TensorData::new(ids, [1, length]), &Device::flex());
    let outputs = trainer.eval_model().block_outputs(ids);
    for (block, output) in outputs.into_iter().enumerate() {
        let output = read(output);
        let d = output.len() / length;
        for position in 0..length {
            let v = &output[position * d..][..d];
            let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
            let after_mlp = norms[(block * 3 + 2) * length + position];
            assert!(
                (norm - after_mlp).abs() < 1e-4,
                "block {block}: {norm} vs {after_mlp}"
            );
            if block > 0 {
                // What leaves a block enters the next.
                assert_eq!(
                    norms[(block * 3) * length + position],
                    norms[(block * 3 - 1) * length + position]
                );
            }
        }
    }
}

#[test]
fn embedding_similarity_is_symmetric_with_ones_on_the_diagonal() {
    let trainer = trained(SequenceTask::Reverse);
    let table = trainer.embedding_table();
    let [count, dims] = table.dims();
    let rows = read(table);
    let m = cosine_similarity_matrix(&rows, count, dims);
    assert_eq!(m.len(), count * count);
    for i in 0..count {
        assert!((m[i * count + i] - 1.0).abs() < 1e-6);
        for j in 0..count {
            assert_eq!(m[i * count + j], m[j * count + i]);
            assert!(m[i * count + j].abs() <= 1.0 + 1e-6);
        }
    }
    // One pair by hand.
    let (a, b) = (&rows[..dims], &rows[dims..2 * dims]);
    let dot: f32 = a.iter().zip(b).map(|(x, y)| x * y).sum();
    let norm = |v: &[f32]| v.iter().map(|x| x * x).sum::<f32>().sqrt();
    assert!((m[1] - dot / (norm(a) * norm(b))).abs() < 1e-5);
}

#[test]
fn position_vectors_are_the_models_own() {
    let trainer = trained(SequenceTask::Reverse);
    assert!(trainer.learned_positions());
    let table = trainer.position_table();
    let [length, d] = table.dims();
    assert_eq!(length, trainer.data().length);
    let learned = read(trainer.model().positional.learned.as_ref().unwrap().val());
    assert_eq!(read(table), learned[..length * d]);

    let mut settings = SequenceSettings::default();
    settings.model.positional = Positional::Sinusoidal;
    let trainer = SequenceTrainer::new(&settings, &Device::flex()).unwrap();
    assert!(!trainer.learned_positions());
    let table = trainer.position_table();
    let [length, d] = table.dims();
    assert_eq!(read(table), sinusoidal(length, d));
}
