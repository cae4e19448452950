//! What each projected point is, for hover text, search and colour: a test point of the MLP
//! (its class), a vocabulary entry (its token), or one position of a test sequence (its token,
//! its target, its position).

use crate::data::{Points, SequenceData, SequenceKind, Task};
use serde::Serialize;

/// One way to colour the points: `values[i]` indexes `names`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Colouring {
    /// What the colours mean: "class", "token", "target", "position".
    pub by: String,
    pub names: Vec<String>,
    pub values: Vec<u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PointLabels {
    /// Shown on hover and matched by search, one per point.
    pub labels: Vec<String>,
    /// The first is the default.
    pub colourings: Vec<Colouring>,
}

/// The first `limit` test points of the MLP (as many as `Trainer::hidden_representation`
/// gives), coloured by class (`class_names[c]`, else the class index); regression: by none.
pub fn test_point_labels(
    test: &Points,
    task: Task,
    class_names: &[String],
    limit: usize,
) -> PointLabels {
    let y = &test.y[..test.y.len().min(limit)];
    match task {
        Task::Classification { classes } => {
            let name = |c: usize| {
                let name = class_names.get(c).cloned().unwrap_or_else(|| c.to_string());
                format!("class {name}")
            };
            let values: Vec<u32> = y.iter().map(|y| *y as u32).collect();
            PointLabels {
                labels: values.iter().map(|c| name(*c as usize)).collect(),
                colourings: vec![Colouring {
                    by: "class".into(),
                    names: (0..classes).map(name).collect(),
                    values,
                }],
            }
        }
        Task::Regression => PointLabels {
            labels: y.iter().map(|y| format!("y = {y:.3}")).collect(),
            colourings: vec![],
        },
    }
}

/// One point per vocabulary entry, labelled with its token.
pub fn token_labels(vocab: &[String]) -> PointLabels {
    PointLabels {
        labels: vocab.iter().map(|t| shown(t)).collect(),
        colourings: vec![Colouring {
            by: "token".into(),
            names: vocab.iter().map(|t| shown(t)).collect(),
            values: (0..vocab.len() as u32).collect(),
        }],
    }
}

/// One point per position of the first `sequences` test sequences, in order.
pub fn position_labels(data: &SequenceData, sequences: usize) -> PointLabels {
    let tests = &data.test[..sequences.min(data.test.len())];
    let length = data.length;
    let mut labels = Vec::with_capacity(tests.len() * length);
    let (mut tokens, mut targets, mut positions) = (vec![], vec![], vec![]);
    for (s, example) in tests.iter().enumerate() {
        for (p, token) in example.input.iter().enumerate() {
            let target = match data.kind {
                SequenceKind::Classification => example.target[0],
                _ => example.target[p],
            };
            labels.push(format!(
                "{} at {p} → {} (test sequence {s})",
                shown(&data.input_vocab[*token as usize]),
                shown(&data.output_vocab[target as usize]),
            ));
            tokens.push(*token);
            targets.push(target);
            positions.push(p as u32);
        }
    }
    let target_by = if data.kind == SequenceKind::Classification {
        "label"
    } else {
        "target"
    };
    PointLabels {
        labels,
        colourings: vec![
            Colouring {
                by: "token".into(),
                names: data.input_vocab.iter().map(|t| shown(t)).collect(),
                values: tokens,
            },
            Colouring {
                by: target_by.into(),
                names: data.output_vocab.iter().map(|t| shown(t)).collect(),
                values: targets,
            },
            Colouring {
                by: "position".into(),
                names: (0..length).map(|p| format!("position {p}")).collect(),
                values: positions,
            },
        ],
    }
}

/// Whitespace tokens made visible.
fn shown(token: &str) -> String {
    match token {
        " " => "␣".into(),
        "\n" => "↵".into(),
        "\t" => "⇥".into(),
        other => other.into(),
    }
}
