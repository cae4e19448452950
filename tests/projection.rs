//! Projections (issue 4): PCA recovers the axes and variances of a constructed anisotropic
//! Gaussian, cosine neighbours are right on constructed vectors, frame alignment never flips a
//! stable configuration and undoes a rotation or reflection, and the trainers hand out the
//! vectors the view projects, with one label per point.

use burn::prelude::*;
use futures_lite::future::block_on;
use kindling::SequenceSettings;
use kindling::Settings;
use kindling::data::Rng;
use kindling::inspect::projection::{
    MAX_POINTS, align_signs, cosine_neighbours, pca, position_labels, procrustes,
    test_point_labels, token_labels,
};
use kindling::train::{EVAL_ROWS, Learning, SequenceTrainer, Trainer};

fn tensor(values: Vec<f32>, n: usize, d: usize) -> Tensor<2> {
    Tensor::from_data(TensorData::new(values, [n, d]), &Device::flex())
}

/// A random orthonormal basis of R^d (Gram-Schmidt on Gaussian vectors), row-major rows.
fn orthonormal_basis(d: usize, rng: &mut Rng) -> Vec<Vec<f64>> {
    let mut basis: Vec<Vec<f64>> = Vec::new();
    while basis.len() < d {
        let mut v: Vec<f64> = (0..d).map(|_| f64::from(rng.normal())).collect();
        for b in &basis {
            let dot: f64 = v.iter().zip(b).map(|(x, y)| x * y).sum();
            v.iter_mut().zip(b).for_each(|(x, y)| *x -= dot * y);
        }
        let norm = v.iter().map(|x| x * x).sum::<f64>().sqrt();
        if norm > 1e-6 {
            basis.push(v.into_iter().map(|x| x / norm).collect());
        }
    }
    basis
}

/// n points of a zero-mean Gaussian with standard deviation `sigmas[i]` along `axes[i]`, offset.
fn anisotropic_gaussian(n: usize, sigmas: &[f64], axes: &[Vec<f64>], rng: &mut Rng) -> Vec<f32> {
    let d = axes.len();
    let mut x = Vec::with_capacity(n * d);
    for _ in 0..n {
        let mut point = vec![3.0f64; d]; // the mean is not zero: PCA must centre
        for (sigma, axis) in sigmas.iter().zip(axes) {
            let z = f64::from(rng.normal()) * sigma;
            point.iter_mut().zip(axis).for_each(|(p, a)| *p += z * a);
        }
        x.extend(point.into_iter().map(|p| p as f32));
    }
    x
}

fn angle_degrees(a: &[f32], b: &[f64]) -> f64 {
    let dot: f64 = a.iter().zip(b).map(|(x, y)| f64::from(*x) * y).sum();
    let na = a.iter().map(|x| f64::from(*x).powi(2)).sum::<f64>().sqrt();
    let nb = b.iter().map(|x| x * x).sum::<f64>().sqrt();
    // axes have no sign: the angle between lines
    (dot.abs() / (na * nb)).min(1.0).acos().to_degrees()
}

#[test]
fn pca_recovers_the_axes_and_variances_of_an_anisotropic_gaussian() {
    let mut rng = Rng::new(7);
    let d = 6;
    let sigmas = [5.0, 2.0, 1.0, 0.5, 0.3, 0.1];
    let axes = orthonormal_basis(d, &mut rng);
    let n = 6000;
    let x = anisotropic_gaussian(n, &sigmas, &axes, &mut rng);
    let result = block_on(pca(tensor(x, n, d), 2)).unwrap();

    assert_eq!(result.coords.len(), n * 2);
    assert_eq!(result.axes.len(), 2 * d);
    let first = angle_degrees(&result.axes[..d], &axes[0]);
    let second = angle_degrees(&result.axes[d..], &axes[1]);
    assert!(first < 2.0, "first axis off by {first:.2}°");
    assert!(second < 3.0, "second axis off by {second:.2}°");

    let total: f64 = sigmas.iter().map(|s| s * s).sum();
    assert_eq!(result.explained.len(), d);
    for (got, sigma) in result.explained.iter().zip(sigmas) {
        let want = sigma * sigma / total;
        assert!(
            (f64::from(*got) - want).abs() < 0.02 * want.max(0.05),
            "explained {got} vs {want}"
        );
    }
    let sum: f32 = result.explained.iter().sum();
    assert!((sum - 1.0).abs() < 1e-4, "ratios sum to {sum}");

    // The coordinates are the centred data on the axes: their variances are the eigenvalues.
    for (c, sigma) in sigmas.iter().take(2).enumerate() {
        let values: Vec<f64> = result
            .coords
            .iter()
            .skip(c)
            .step_by(2)
            .map(|v| f64::from(*v))
            .collect();
        let mean = values.iter().sum::<f64>() / n as f64;
        let variance = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1) as f64;
        assert!(mean.abs() < 1e-3, "coordinates are centred (mean {mean})");
        assert!(
            (variance / (sigma * sigma) - 1.0).abs() < 0.06,
            "variance {variance} vs {}",
            sigma * sigma
        );
    }
}

#[test]
fn pca_gives_the_same_picture_for_the_same_data() {
    let mut rng = Rng::new(3);
    let axes = orthonormal_basis(4, &mut rng);
    let x = anisotropic_gaussian(500, &[3.0, 1.0, 0.5, 0.2], &axes, &mut rng);
    let a = block_on(pca(tensor(x.clone(), 500, 4), 2)).unwrap();
    let b = block_on(pca(tensor(x, 500, 4), 2)).unwrap();
    assert_eq!(a.coords, b.coords);
}

#[test]
fn pca_refuses_a_single_point_and_pads_narrow_data() {
    let err = block_on(pca(tensor(vec![1.0, 2.0], 1, 2), 2)).unwrap_err();
    assert!(err.contains("at least 2 points"), "{err}");
    // 1-D vectors (a model with one hidden unit): the second coordinate is zero.
    let p = block_on(pca(tensor(vec![1.0, 2.0, 4.0], 3, 1), 2)).unwrap();
    assert_eq!(p.coords.len(), 6);
    assert!(p.coords.iter().skip(1).step_by(2).all(|v| *v == 0.0));
    assert_eq!(p.explained, vec![1.0]);
}

#[test]
fn cosine_neighbours_are_right_on_constructed_vectors() {
    let x = vec![
        1.0, 0.0, 0.0, // 0
        10.0, 1.0, 0.0, // 1: nearly the same direction as 0, ten times longer
        0.0, 1.0, 0.0, // 2: orthogonal
        -1.0, 0.0, 0.0, // 3: opposite
        3.0, 3.0, 0.0, // 4: 45°
        0.0, 0.0, 0.0, // 5: zero vector: similarity 0
    ];
    let found = block_on(cosine_neighbours(tensor(x, 6, 3), 0, 4)).unwrap();
    let order: Vec<usize> = found.iter().map(|n| n.index).collect();
    assert_eq!(order, vec![1, 4, 2, 5]);
    let want = [
        10.0 / 101f32.sqrt(),
        std::f32::consts::FRAC_1_SQRT_2,
        0.0,
        0.0,
    ];
    for (n, w) in found.iter().zip(want) {
        assert!((n.similarity - w).abs() < 1e-5, "{n:?} vs {w}");
    }
    let all = block_on(cosine_neighbours(
        tensor(vec![1.0, 0.0, -1.0, 0.0], 2, 2),
        0,
        5,
    ))
    .unwrap();
    assert_eq!(all.len(), 1, "k is cut to the other points");
    assert!((all[0].similarity + 1.0).abs() < 1e-6);
}

#[test]
fn cosine_neighbours_match_a_brute_force_ranking() {
    let mut rng = Rng::new(11);
    let (n, d) = (300, 16);
    let x: Vec<f32> = (0..n * d).map(|_| rng.normal()).collect();
    let query = 17;
    let found = block_on(cosine_neighbours(tensor(x.clone(), n, d), query, 10)).unwrap();
    let row = |i: usize| &x[i * d..(i + 1) * d];
    let cosine = |a: &[f32], b: &[f32]| {
        let dot: f32 = a.iter().zip(b).map(|(x, y)| x * y).sum();
        let na: f32 = a.iter().map(|v| v * v).sum::<f32>().sqrt();
        let nb: f32 = b.iter().map(|v| v * v).sum::<f32>().sqrt();
        dot / (na * nb)
    };
    let mut brute: Vec<(usize, f32)> = (0..n)
        .filter(|i| *i != query)
        .map(|i| (i, cosine(row(query), row(i))))
        .collect();
    brute.sort_by(|a, b| b.1.total_cmp(&a.1));
    for (got, (index, similarity)) in found.iter().zip(&brute) {
        assert_eq!(got.index, *index);
        assert!((got.similarity - similarity).abs() < 1e-4);
    }
}

fn random_frame(n: usize, seed: u64) -> Vec<f32> {
    let mut rng = Rng::new(seed);
    (0..n)
        .flat_map(|_| [rng.normal() * 3.0, rng.normal()])
        .collect()
}

fn max_difference(a: &[f32], b: &[f32]) -> f32 {
    a.iter()
        .zip(b)
        .map(|(x, y)| (x - y).abs())
        .fold(0.0, f32::max)
}

#[test]
fn alignment_never_flips_a_stable_configuration() {
    let frame = random_frame(200, 1);
    let mut rng = Rng::new(2);
    // The same configuration, slightly moved (as between two close training steps).
    let moved: Vec<f32> = frame.iter().map(|v| v + 0.05 * rng.normal()).collect();
    let mut signs = moved.clone();
    align_signs(&frame, &mut signs, 2);
    assert_eq!(signs, moved, "sign fixing left a stable frame alone");
    let fitted = procrustes(&frame, &moved);
    assert!(
        max_difference(&fitted, &moved) < 0.05,
        "Procrustes barely moves a stable frame"
    );
    let same = procrustes(&frame, &frame);
    assert!(max_difference(&same, &frame) < 1e-5);
}

#[test]
fn sign_fixing_undoes_flipped_pca_axes() {
    let frame = random_frame(100, 4);
    for flip in [[-1.0, 1.0], [1.0, -1.0], [-1.0, -1.0]] {
        let mut flipped: Vec<f32> = frame
            .chunks(2)
            .flat_map(|p| [p[0] * flip[0], p[1] * flip[1]])
            .collect();
        align_signs(&frame, &mut flipped, 2);
        assert_eq!(flipped, frame);
    }
}

#[test]
fn procrustes_aligns_a_rotated_or_reflected_copy_back() {
    let frame = random_frame(150, 5);
    for (angle, reflect) in [
        (0.3f32, false),
        (2.5, false),
        (-1.2, true),
        (0.0, true),
        (3.1, true),
    ] {
        let (s, c) = angle.sin_cos();
        let copy: Vec<f32> = frame
            .chunks(2)
            .flat_map(|p| {
                let (x, y) = (p[0], if reflect { -p[1] } else { p[1] });
                // rotate, scale by 2.5 and shift, as a fresh UMAP or t-SNE run might
                [2.5 * (c * x - s * y) + 7.0, 2.5 * (s * x + c * y) - 3.0]
            })
            .collect();
        let back = procrustes(&frame, &copy);
        let off = max_difference(&back, &frame);
        assert!(
            off < 1e-3,
            "angle {angle}, reflected {reflect}: off by {off}"
        );
    }
}

#[test]
fn the_mlp_trainer_hands_out_its_last_hidden_layer_for_every_test_point() {
    let settings = Settings::default();
    let mut trainer = Trainer::new(&settings, &Device::flex()).unwrap();
    trainer.train(3);
    let hidden = trainer.hidden_representation();
    let test = &trainer.dataset().test;
    assert_eq!(hidden.dims(), [test.len(), settings.model.hidden[1].units]);
    let labels = test_point_labels(
        test,
        trainer.dataset().task,
        trainer.class_names(),
        EVAL_ROWS,
    );
    assert_eq!(labels.labels.len(), test.len());
    assert_eq!(labels.labels[0], format!("class {}", test.y[0]));
    assert_eq!(labels.colourings[0].names, ["class 0", "class 1"]);
    assert_eq!(labels.colourings[0].by, "class");
    assert_eq!(labels.colourings[0].values.len(), test.len());
    // Eval mode: the same vectors twice.
    let read = |t: Tensor<2>| t.into_data().try_to_vec::<f32>().unwrap();
    assert_eq!(read(trainer.hidden_representation()), read(hidden));
}

#[test]
fn the_sequence_trainer_hands_out_embeddings_and_block_outputs() {
    let mut settings = SequenceSettings::default();
    settings.model.layers = 2;
    let trainer = SequenceTrainer::new(&settings, &Device::flex()).unwrap();
    let data = trainer.data();
    let table = trainer.embedding_table();
    assert_eq!(
        table.dims(),
        [data.input_vocab.len(), settings.model.d_model]
    );
    assert_eq!(
        token_labels(&data.input_vocab).labels.len(),
        data.input_vocab.len()
    );

    let sequences = trainer.projected_sequences();
    assert_eq!(sequences, data.test.len(), "400 test sequences of 8 fit");
    for block in 0..2 {
        let out = trainer.block_output(block).unwrap();
        assert_eq!(
            out.dims(),
            [sequences * data.length, settings.model.d_model]
        );
    }
    let err = trainer.block_output(2).unwrap_err();
    assert_eq!(err, "there is no block 2: the model has 2 (0-1)");
    let labels = position_labels(data, sequences);
    assert_eq!(labels.labels.len(), sequences * data.length);
    let by: Vec<&str> = labels.colourings.iter().map(|c| c.by.as_str()).collect();
    assert_eq!(by, ["token", "target", "position"]);
    assert!(
        labels
            .colourings
            .iter()
            .all(|c| c.values.len() == sequences * data.length)
    );
}

#[test]
fn long_sequences_are_cut_to_the_point_limit() {
    let mut settings = SequenceSettings::default();
    settings.data.task = kindling::data::SequenceTask::Text;
    settings.data.length = 64;
    let trainer = SequenceTrainer::new(&settings, &Device::flex()).unwrap();
    let sequences = trainer.projected_sequences();
    assert!(sequences * 64 <= MAX_POINTS);
    assert_eq!(trainer.block_output(0).unwrap().dims()[0], sequences * 64);
}
