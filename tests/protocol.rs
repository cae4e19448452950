//! The messages the wasm makes (src/events.rs) against their mirror in www/protocol.js: each
//! event's `type` has a typedef there, and the typedef names exactly the fields the Rust type
//! serialises plus the dense arrays the wasm layer attaches. A field added, renamed or dropped
//! on one side only fails here, with the event and the field.

use burn::prelude::*;
use futures_lite::future::block_on;
use kindling::data::table::{EncodingSummary, TaskChoice};
use kindling::data::{DatasetConfig, SequenceDataConfig};
use kindling::events::Event;
use kindling::inspect::projection::{Colouring, PointLabels};
use kindling::inspect::units::{UnitView, Units, units_pass};
use kindling::model::{ActivationKind, InitKind, LayerConfig, MlpConfig};
use kindling::train::read_floats;
use kindling::train::recipe::{
    DropoutLosses, InitLoss, InitLossBasis, OverfitReport, OverfitVerdict,
};
use kindling::train::{
    Evaluation, SequenceEvaluation, TestMetrics, classification_metrics, regression_metrics,
};
use std::collections::{BTreeMap, BTreeSet};

/// One of every message, each shape of it (both evaluations, both kinds of test metrics).
fn samples() -> Vec<Event> {
    let dataset = DatasetConfig::default().generate().unwrap();
    let sequences = SequenceDataConfig::default().generate().unwrap();
    let regression = regression_metrics(&[1.0, 2.0], &[1.5, 2.5]);
    vec![
        Event::dataset(&dataset, [-6.0, 6.0, -6.0, 6.0], false),
        Event::Eval(Evaluation {
            step: 10,
            train_loss: 0.5,
            test_loss: 0.6,
            train_accuracy: Some(0.9),
            test_accuracy: None,
        }),
        Event::SequenceEval(SequenceEvaluation {
            step: 10,
            train_loss: 0.5,
            test_loss: 0.6,
            train_accuracy: 0.9,
            test_accuracy: 0.8,
            train_sequence_accuracy: 0.5,
            test_sequence_accuracy: 0.4,
        }),
        Event::Boundary {
            step: 10,
            resolution: 2,
            outputs: 1,
            extent: [-1.0, 1.0, -1.0, 1.0],
            values: vec![0.0; 4],
            units: None,
        },
        Event::Boundary {
            step: 10,
            resolution: 2,
            outputs: 1,
            extent: [-1.0, 1.0, -1.0, 1.0],
            values: vec![0.0; 4],
            units: Some(units(UnitView::Plane)),
        },
        Event::sequence_data(&sequences, Some("abc".into()), Some("a.txt".into())),
        Event::Attention {
            step: 1,
            example: 0,
            layers: 1,
            heads: 1,
            length: 1,
            tokens: vec!["a".into()],
            values: vec![1.0],
        },
        Event::AttentionSteps {
            step: 1,
            example: 0,
            layer: 0,
            head: 0,
            layers: 1,
            heads: 1,
            length: 1,
            d_head: 1,
            causal: true,
            tokens: vec!["a".into()],
            qkv: vec![1.0; 3],
            scores: vec![1.0],
            scaled: vec![1.0],
            weights: vec![1.0],
            output: vec![1.0],
            residual: vec![1.0; 3],
        },
        Event::EmbeddingSimilarity {
            step: 1,
            count: 1,
            tokens: vec!["a".into()],
            values: vec![1.0],
        },
        Event::Positions {
            step: 1,
            length: 1,
            d_model: 1,
            learned: true,
            values: vec![0.5],
            similarity: vec![1.0],
        },
        Event::Predictions {
            step: 1,
            example: 0,
            input: vec!["a".into()],
            target: vec!["b".into()],
            output: vec!["b".into()],
        },
        Event::Generated {
            step: 1,
            prompt: "a".into(),
            text: "bc".into(),
        },
        Event::TestMetrics {
            step: 1,
            metrics: TestMetrics::Classification(classification_metrics(
                &[0, 1],
                &[0, 0],
                vec!["x".into(), "y".into()],
            )),
            units: None,
        },
        Event::TestMetrics {
            step: 1,
            metrics: TestMetrics::Classification(classification_metrics(
                &[0, 1],
                &[0, 0],
                vec!["x".into(), "y".into()],
            )),
            units: Some(units(UnitView::Histograms)),
        },
        Event::TestMetrics {
            step: 1,
            metrics: TestMetrics::Regression {
                metrics: regression,
                predicted: vec![1.0, 2.0],
                actual: vec![1.5, 2.5],
            },
            units: None,
        },
        Event::TableData {
            file: "t.csv".into(),
            summary: EncodingSummary {
                target: "y".into(),
                task: TaskChoice::Classification,
                inputs: vec!["a".into()],
                classes: vec!["x".into(), "y".into()],
                train_rows: 8,
                test_rows: 2,
                dropped_rows: 0,
                imputed_cells: 0,
            },
        },
        Event::ProjectionLabels {
            key: "1:hidden:0".into(),
            source: "hidden".into(),
            block: 0,
            count: 1,
            labels: PointLabels {
                labels: vec!["a".into()],
                colourings: vec![Colouring {
                    by: "class".into(),
                    names: vec!["0".into()],
                    values: vec![0],
                }],
            },
        },
        Event::Projection {
            key: "1:hidden:0".into(),
            method: "pca",
            step: 1,
            count: 1,
            dims: 2,
            coords: vec![0.0, 0.0],
            explained: vec![1.0],
        },
        Event::ProjectionVectors {
            key: "1:hidden:0".into(),
            method: "umap".into(),
            step: 1,
            count: 1,
            dims: 2,
            vectors: vec![0.0, 0.0],
        },
        Event::Neighbours {
            key: "1:hidden:0".into(),
            step: 1,
            index: 0,
            indices: vec![1],
            similarities: vec![0.5],
        },
        Event::Retuned {
            step: 10,
            changes: vec!["learning rate 0.01 → 0.003".into()],
            optimizer_restarted: false,
        },
        Event::InitLoss {
            step: 0,
            check: InitLoss {
                expected: 0.69,
                measured: 0.7,
                basis: InitLossBasis::LnClasses,
                verdict: "ok",
            },
        },
        Event::Overfit {
            step: 3,
            report: OverfitReport {
                rows: 64,
                steps: 120,
                first_loss: 0.7,
                final_loss: 0.009,
                verdict: OverfitVerdict::Reached,
                curve: vec![0.7, 0.009],
            },
        },
        Event::DropoutModes {
            step: 3,
            losses: DropoutLosses {
                rows: 64,
                train_mode: 0.6,
                train_min: 0.5,
                train_max: 0.7,
                eval_mode: 0.4,
                has_dropout: true,
            },
        },
    ]
}

/// The diagram's part of an event, of a one-layer MLP over 4 rows, for `view`.
fn units(view: UnitView) -> Units {
    let device = Device::flex();
    let model = MlpConfig {
        hidden: vec![LayerConfig::default()],
        init: InitKind::Kaiming,
        ..Default::default()
    }
    .init(3, 1, 1, &device);
    let (read, layout) = units_pass(&model, Tensor::ones([4, 3], &device), 4, view, |o| o);
    let read = block_on(read_floats(read)).unwrap();
    let labels = ["a", "b", "c"].map(String::from).to_vec();
    layout.read(&read, labels, &[ActivationKind::Relu]).1
}

/// The `type` and the field names of one message as the page receives it.
fn fields_of(event: &Event) -> (String, BTreeSet<String>) {
    let json = serde_json::to_value(event).unwrap();
    let object = json.as_object().expect("an event serialises to an object");
    let kind = object["type"].as_str().unwrap().to_string();
    let mut fields: BTreeSet<String> = object.keys().cloned().collect();
    for (name, _) in event.dense() {
        assert!(
            fields.insert(name.to_string()),
            "{kind}: dense array {name} is also serialised"
        );
    }
    (kind, fields)
}

/// Every `@typedef {…} NameEvent` of protocol.js whose type names a `type: '…'`: its tag and
/// the field names of its object literals (those at the first brace level, so nested shapes
/// such as `examples: { input, target }[]` do not count, but every member of an intersection
/// or union does).
fn typedefs(source: &str) -> BTreeMap<String, (String, BTreeSet<String>)> {
    // JSDoc continuation lines: drop the leading ` * `.
    let text: String = source
        .lines()
        .map(|line| line.trim_start().trim_start_matches('*'))
        .collect::<Vec<_>>()
        .join("\n");
    let mut found = BTreeMap::new();
    let mut rest = text.as_str();
    while let Some(at) = rest.find("@typedef {") {
        let body_start = at + "@typedef {".len();
        let bytes = rest.as_bytes();
        let (mut depth, mut end) = (1usize, body_start);
        while depth > 0 {
            match bytes[end] {
                b'{' => depth += 1,
                b'}' => depth -= 1,
                _ => {}
            }
            end += 1;
        }
        let body = &rest[body_start..end - 1];
        let name: String = rest[end..]
            .trim_start()
            .chars()
            .take_while(|c| c.is_alphanumeric())
            .collect();
        if let Some(parsed) = top_level_fields(body) {
            found.insert(name, parsed);
        }
        rest = &rest[end..];
    }
    found
}

/// (the `type` literal, the field names at brace level 1) of a typedef's type text.
fn top_level_fields(body: &str) -> Option<(String, BTreeSet<String>)> {
    let mut fields = BTreeSet::new();
    let mut tag = None;
    let (mut depth, mut word, mut chars) = (0usize, String::new(), body.chars().peekable());
    while let Some(c) = chars.next() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            c if c.is_alphanumeric() || c == '_' => {
                word.push(c);
                continue;
            }
            ':' | '?' if depth == 1 && !word.is_empty() => {
                if c == '?' && chars.peek() != Some(&':') {
                    word.clear();
                    continue;
                }
                if word == "type" {
                    let value: String = chars
                        .clone()
                        .skip_while(|c| *c == ' ' || *c == ':')
                        .skip(1)
                        .take_while(|c| *c != '\'')
                        .collect();
                    tag = Some(value);
                }
                fields.insert(std::mem::take(&mut word));
            }
            _ => {}
        }
        word.clear();
    }
    tag.map(|tag| (tag, fields))
}

#[test]
fn every_wasm_event_matches_its_typedef_in_protocol_js() {
    // The checkout's folder as cargo names it when it runs the test, not when it built it: a
    // shared target directory may hold a binary built from another checkout of the same commit.
    let root = std::env::var("CARGO_MANIFEST_DIR").unwrap_or(env!("CARGO_MANIFEST_DIR").into());
    let source = std::fs::read_to_string(format!("{root}/www/protocol.js"))
        .expect("www/protocol.js should be readable");
    let typedefs = typedefs(&source);
    // The Rust shapes of each type, merged over its samples (an eval of either model).
    let mut rust: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for event in samples() {
        let (kind, fields) = fields_of(&event);
        let (name, (_, declared)) = typedefs
            .iter()
            .find(|(name, (tag, _))| *tag == kind && name.ends_with("Event"))
            .unwrap_or_else(|| panic!("protocol.js has no typedef of the '{kind}' event"));
        let missing: Vec<_> = fields.difference(declared).collect();
        assert!(
            missing.is_empty(),
            "{name} ('{kind}') in protocol.js lacks {missing:?}, which the wasm sends"
        );
        rust.entry(kind).or_default().extend(fields);
    }
    for (kind, fields) in &rust {
        let (name, (_, declared)) = typedefs
            .iter()
            .find(|(name, (tag, _))| tag == kind && name.ends_with("Event"))
            .unwrap();
        let extra: Vec<_> = declared.difference(fields).collect();
        assert!(
            extra.is_empty(),
            "{name} ('{kind}') in protocol.js declares {extra:?}, which the wasm never sends"
        );
    }
}

#[test]
fn the_typedef_reader_sees_top_level_fields_only() {
    let (tag, fields) =
        top_level_fields("{ type: 'x', a: number, b?: { c: string }[], d: 'e' | null }").unwrap();
    assert_eq!(tag, "x");
    let expected: BTreeSet<String> = ["type", "a", "b", "d"].map(String::from).into();
    assert_eq!(fields, expected);
}
