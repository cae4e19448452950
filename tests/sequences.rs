//! Native tests of the transformer on sequence tasks: it learns to reverse, its attention shows
//! how, its gradients match finite differences, and the language model generates text.

mod common;

use burn::prelude::*;
use common::{Pick, check_gradients};
use futures_lite::future::block_on;
use kindling::SequenceSettings;
use kindling::data::{Rng, SequenceDataConfig, SequenceTask, Task};
use kindling::model::{Head, Transformer, TransformerConfig};
use kindling::train::{Learning, SequenceTrainer, loss, read_floats, sample};

fn read<const D: usize>(t: Tensor<D>) -> Vec<f32> {
    block_on(read_floats(t)).unwrap()
}

fn reversal() -> SequenceSettings {
    SequenceSettings::default() // reverse, 16 symbols, length 8, d_model 32, 1 head, 1 layer
}

#[test]
fn learns_to_reverse_and_attends_to_the_mirrored_position() {
    let settings = reversal();
    let mut trainer = SequenceTrainer::new(&settings, &Device::flex()).unwrap();
    let mut steps = 0;
    let eval = loop {
        trainer.train(100);
        steps += 100;
        let eval = trainer.evaluation(&read(trainer.evaluate()));
        if eval.test_accuracy >= 0.99 || steps >= 3000 {
            break eval;
        }
    };
    eprintln!("reverse: {eval:?} after {steps} steps");
    assert!(
        eval.test_accuracy >= 0.99,
        "token accuracy {} after {steps} steps",
        eval.test_accuracy
    );

    // Output position i must read input position L-1-i: the anti-diagonal of the heatmap.
    let length = settings.data.length;
    let (mut on, mut total) = (0.0, 0);
    for index in 0..32 {
        let weights = read(trainer.attention(index).unwrap()); // [1, 1, L, L]
        for q in 0..length {
            on += weights[q * length + (length - 1 - q)];
            total += 1;
        }
    }
    let mean = on / total as f32;
    let uniform = 1.0 / length as f32;
    eprintln!("mean anti-diagonal weight {mean} (uniform {uniform})");
    assert!(
        mean > 4.0 * uniform,
        "anti-diagonal weight {mean} is not far above uniform {uniform}"
    );
}

fn one_block(device: &Device) -> Transformer {
    let config = TransformerConfig {
        d_model: 8,
        heads: 2,
        layers: 1,
        mlp_ratio: 2,
        ..Default::default()
    };
    config.init(5, 5, 4, Head::PerPosition, 3, device)
}

fn batch(device: &Device) -> (Tensor<2, Int>, Tensor<2>) {
    let ids = Tensor::<2, Int>::from_data([[0i64, 3, 1, 4], [2, 2, 4, 0]], device);
    let targets = [4usize, 1, 3, 0, 0, 4, 2, 2];
    let mut one_hot = vec![0.0f32; 8 * 5];
    for (row, t) in targets.iter().enumerate() {
        one_hot[row * 5 + t] = 1.0;
    }
    (
        ids,
        Tensor::from_data(TensorData::new(one_hot, [8, 5]), device),
    )
}

fn loss_of(model: &Transformer, device: &Device) -> f64 {
    let (ids, target) = batch(device);
    let logits = model.forward(ids).logits.reshape([8, 5]);
    loss(Task::Classification { classes: 5 }, logits, target).into_scalar::<f32>() as f64
}

#[test]
fn gradients_of_one_block_match_finite_differences() {
    let device = Device::flex().autodiff();
    let model = one_block(&Device::flex()).to_device(&device).train();
    let (ids, target) = batch(&device);
    let logits = model.forward(ids).logits.reshape([8, 5]);
    let grads = loss(Task::Classification { classes: 5 }, logits, target).backward();

    // Every third weight of the attention's projections and of the embedding.
    let picks: [(&str, Pick<Transformer>); 4] = [
        ("query", |m| &mut m.blocks[0].attention.query.weight),
        ("key", |m| &mut m.blocks[0].attention.key.weight),
        ("value", |m| &mut m.blocks[0].attention.value.weight),
        ("embedding", |m| &mut m.embedding.weight),
    ];
    check_gradients(&model, &grads, &picks, 3, 3e-2, loss_of);
}

#[test]
fn the_language_model_generates_text() {
    let settings = SequenceSettings {
        data: SequenceDataConfig {
            task: SequenceTask::Text,
            length: 16,
            sequences: 400,
            ..Default::default()
        },
        ..Default::default()
    };
    let mut trainer = SequenceTrainer::new(&settings, &Device::flex()).unwrap();
    let before = trainer.evaluation(&read(trainer.evaluate()));
    trainer.train(60);
    let after = trainer.evaluation(&read(trainer.evaluate()));
    assert!(
        after.train_loss < before.train_loss,
        "{before:?} -> {after:?}"
    );

    let mut context = trainer.encode("Shall I compare thee");
    let mut rng = Rng::new(1);
    for _ in 0..20 {
        let p = read(trainer.next_token(&context, 0.8).unwrap());
        assert!((p.iter().sum::<f32>() - 1.0).abs() < 1e-4);
        context.push(sample(&p, &mut rng));
    }
    let text: String = context
        .iter()
        .map(|t| trainer.data().input_vocab[*t as usize].as_str())
        .collect();
    assert_eq!(text.chars().count(), "Shall I compare thee".len() + 20);
    assert!(
        trainer.encode("\u{2603}").is_empty(),
        "unknown characters are dropped"
    );
    assert!(trainer.next_token(&[], 1.0).is_err());
}

#[test]
fn every_task_trains_and_bad_settings_are_refused() {
    for task in [
        SequenceTask::Sort,
        SequenceTask::Shift,
        SequenceTask::Count,
        SequenceTask::Brackets,
    ] {
        let mut settings = SequenceSettings::default();
        settings.data.task = task;
        settings.data.sequences = 300;
        settings.model.causal = task == SequenceTask::Count;
        let mut trainer = SequenceTrainer::new(&settings, &Device::flex()).unwrap();
        let before = trainer.evaluation(&read(trainer.evaluate()));
        trainer.train(50);
        let after = trainer.evaluation(&read(trainer.evaluate()));
        assert!(
            after.train_loss < before.train_loss,
            "{task:?}: {before:?} -> {after:?}"
        );
        let p = read(trainer.predict(0).unwrap());
        assert_eq!(p.len(), trainer.data().test[0].target.len());
    }
    let mut settings = SequenceSettings::default();
    settings.model.heads = 3;
    let err = SequenceTrainer::new(&settings, &Device::flex())
        .err()
        .unwrap();
    assert_eq!(
        err.to_string(),
        "Model: d_model 32 is not divisible by 3 heads"
    );
}
