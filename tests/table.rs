//! Uploaded tables and text: every bad input gives its message (file, line, column), a written
//! table reads back the same (property tests), and encoding uses train statistics only.

use kindling::data::table::{
    ColumnKind, FileData, MAX_CLASSES, MAX_COLUMNS, MAX_FILE_BYTES, MAX_ROWS, Missing, Table,
    TableChoices, TaskChoice, encode, infer_schema, parse_csv, read_file, write_csv,
};
use kindling::data::text::{TokenChoices, TokenUnit, text_classification, uploaded_language_model};
use kindling::data::{SequenceKind, Task};
use proptest::prelude::*;

mod common;
use common::load;

fn error(name: &str, text: &str) -> String {
    load(name, text.as_bytes()).unwrap_err()
}

// ---- bad input, each with its message -----------------------------------------------------

#[test]
fn an_empty_file() {
    assert_eq!(error("e.csv", ""), "e.csv is empty");
    assert_eq!(error("e.csv", "\n \r\n"), "e.csv is empty");
    assert_eq!(error("e.jsonl", "\n"), "e.jsonl is empty");
}

#[test]
fn only_a_header() {
    assert_eq!(
        error("h.csv", "a,b,c\n"),
        "h.csv has a header but no data rows"
    );
}

#[test]
fn not_utf8() {
    let bytes = b"name,city\nJos\xE9,Paris\n";
    assert_eq!(
        load("l.csv", bytes).unwrap_err(),
        "l.csv, line 2: is not UTF-8 (byte 0xE9 at offset 13); save the file as UTF-8"
    );
}

#[test]
fn ragged_rows() {
    assert_eq!(
        error("r.csv", "a,b,c\n1,2,3\n4,5\n"),
        "r.csv, line 3: has 2 fields; the first line has 3"
    );
    // A quoted newline does not end the row; the line counted is where the bad row starts.
    assert_eq!(
        error("r.csv", "a,b\n\"x\ny\",1\n2,3,4\n"),
        "r.csv, line 4: has 3 fields; the first line has 2"
    );
}

#[test]
fn an_unclosed_quote() {
    assert_eq!(
        error("q.csv", "a,b\n1,\"open\n2,3\n"),
        "q.csv, line 2: a quote opened here is never closed"
    );
    assert_eq!(
        error("q.csv", "a,b\n\"x\"y,1\n"),
        "q.csv, line 2: text after a closing quote; a quote inside a quoted field is written twice (\"\")"
    );
}

#[test]
fn stray_values_in_a_numeric_column() {
    assert_eq!(
        error("s.csv", "item,price\na,1.5\nb,2\nc,n/a\nd,4\n"),
        "s.csv, line 4, column 'price': 'n/a' is not a number; the other values in this column \
         are numbers (leave missing values empty or write NA)"
    );
    assert_eq!(
        error("s.csv", "item;price\na;1.5\nb;1,5\nc;3\nd;-\n"),
        "s.csv, line 3, column 'price': '1,5' is not a number; 2 values in this column are not \
         numbers, the others are (a decimal comma? write numbers with a point: 1.5)"
    );
    // NA and empty cells are missing values, not errors.
    let (_, s) = load("s.csv", b"x,y\n1,a\nNA,b\n,c\n").unwrap();
    assert_eq!(
        (s.columns[0].kind, s.columns[0].missing),
        (ColumnKind::Numeric, 2)
    );
}

#[test]
fn an_all_empty_column() {
    let (t, s) = load("z.csv", b"x,notes,y\n1,,a\n2,,b\n3,,a\n4,,b\n").unwrap();
    let notes = s.column("notes").unwrap();
    assert_eq!(notes.kind, ColumnKind::Empty);
    assert_eq!(
        texts(&notes.warnings),
        ["is empty in every row; it is left out"]
    );
    assert!(
        !s.target(&t, "y", None)
            .unwrap()
            .features
            .contains(&"notes".to_string())
    );
    let choose = |c: TableChoices| encode(&t, &s, &c).unwrap_err().to_string();
    assert_eq!(
        choose(TableChoices {
            target: "notes".into(),
            ..Default::default()
        }),
        "z.csv, column 'notes': is empty in every row, so it cannot be the target"
    );
    assert_eq!(
        choose(TableChoices {
            target: "y".into(),
            features: Some(vec!["notes".into()]),
            ..Default::default()
        }),
        "z.csv, column 'notes': is empty in every row; it cannot be a feature"
    );
}

#[test]
fn a_target_with_one_class_or_too_many() {
    let (t, s) = load("c.csv", b"x,y\n1,a\n2,a\n3,a\n").unwrap();
    assert_eq!(
        s.target(&t, "y", None).unwrap_err().to_string(),
        "c.csv, column 'y': has only one class, 'a': there is nothing to tell apart"
    );
    let many: String = std::iter::once("x,y\n".to_string())
        .chain((0..=MAX_CLASSES).map(|i| format!("{i},k{i}\n")))
        .collect();
    let (t, s) = load("c.csv", many.as_bytes()).unwrap();
    assert_eq!(
        s.target(&t, "y", None).unwrap_err().to_string(),
        format!(
            "c.csv, column 'y': has {} classes; the limit is {MAX_CLASSES}",
            MAX_CLASSES + 1
        )
    );
    assert_eq!(
        s.target(&t, "x", Some(TaskChoice::Classification))
            .unwrap_err()
            .to_string(),
        format!(
            "c.csv, column 'x': has {} classes; the limit is {MAX_CLASSES}; for a numeric target \
             choose regression",
            MAX_CLASSES + 1
        )
    );
}

#[test]
fn more_rows_or_columns_than_the_limits() {
    let wide: String = (0..=MAX_COLUMNS)
        .map(|i| format!("c{i}"))
        .collect::<Vec<_>>()
        .join(",");
    let text = format!("{wide}\n{}\n", vec!["1"; MAX_COLUMNS + 1].join(","));
    assert_eq!(
        error("w.csv", &text),
        format!(
            "w.csv has {} columns; the limit is {MAX_COLUMNS}: leave out the columns you do not \
             need",
            MAX_COLUMNS + 1
        )
    );
    let mut long = String::from("x\n");
    for i in 0..=MAX_ROWS {
        long.push_str(&format!("{}\n", i % 10));
    }
    assert_eq!(
        error("long.csv", &long),
        "long.csv has more than 1,000,000 data rows; the limit is 1,000,000"
    );
}

#[test]
fn a_file_too_large() {
    let bytes = vec![b'1'; MAX_FILE_BYTES + 1];
    assert_eq!(
        load("big.csv", &bytes).unwrap_err(),
        "big.csv is 64 MB; the limit is 64 MB"
    );
    let bytes = vec![b'1'; MAX_FILE_BYTES * 2];
    assert_eq!(
        load("big.csv", &bytes).unwrap_err(),
        "big.csv is 128 MB; the limit is 64 MB"
    );
}

#[test]
fn a_binary_file_named_csv() {
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
    assert_eq!(
        load("photo.csv", png).unwrap_err(),
        "photo.csv looks like a binary file, not text (it holds NUL bytes); a spreadsheet must be \
         saved as CSV, and text as UTF-8"
    );
}

#[test]
fn duplicate_or_empty_header_names() {
    assert_eq!(
        error("d.csv", "a,b,a\nx,1,2\n"),
        "d.csv, line 1: the header names column 'a' twice (columns 1 and 3)"
    );
    assert_eq!(
        error("d.csv", "a,,c\nx,y,z\n"),
        "d.csv, line 1: column 2 has an empty name in the header"
    );
}

#[test]
fn json_lines_that_are_not_flat_objects() {
    assert_eq!(
        error("j.jsonl", "{\"a\": 1}\n{\"a\": [1, 2]}\n"),
        "j.jsonl, line 2, column 'a': holds a list or an object; only flat objects (text, \
         numbers, true/false, null) can be read"
    );
    assert!(
        error("j.jsonl", "{\"a\": 1}\n[1]\n").starts_with("j.jsonl, line 2: is not a JSON object")
    );
}

#[test]
fn a_text_too_short_for_the_sequence_length() {
    let err = uploaded_language_model("poem.txt", "Shall I compare thee?", 32, 100, 0.2, 1)
        .unwrap_err()
        .to_string();
    assert_eq!(
        err,
        "poem.txt is too short for sequences of 32 characters: it has 21 characters and needs \
         at least 170; choose a shorter length or a longer text"
    );
}

// ---- what a good file gives ---------------------------------------------------------------

const IRIS_LIKE: &str = "sepal length,sepal width,species\n\
5.1,3.5,setosa\n4.9,3.0,setosa\n4.7,3.2,setosa\n4.6,3.1,setosa\n5.0,3.6,setosa\n\
7.0,3.2,versicolor\n6.4,3.2,versicolor\n6.9,3.1,versicolor\n5.5,2.3,versicolor\n6.5,2.8,versicolor\n";

#[test]
fn a_table_is_previewed_and_encoded() {
    let (t, s) = load("iris.csv", IRIS_LIKE.as_bytes()).unwrap();
    assert_eq!(s.rows, 10);
    assert_eq!(s.default_target.as_deref(), Some("species"));
    assert_eq!(s.preview[0], ["5.1", "3.5", "setosa"]);
    let target = s.target(&t, "species", None).unwrap();
    assert_eq!(target.task, TaskChoice::Classification);
    assert_eq!(
        target.classes,
        [("setosa".into(), 5), ("versicolor".into(), 5)]
    );
    assert_eq!(target.features, ["sepal length", "sepal width"]);
    let e = encode(
        &t,
        &s,
        &TableChoices {
            test_fraction: 0.4,
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(e.dataset.task, Task::Classification { classes: 2 });
    // stratified: two of each class in the test set
    let mut test_classes = e.dataset.test.y.clone();
    test_classes.sort_by(f32::total_cmp);
    assert_eq!(test_classes, [0.0, 0.0, 1.0, 1.0]);
    assert_eq!(e.dataset.train.x.len(), 6 * 2);
}

#[test]
fn delimiters_headers_and_json_lines() {
    let (t, _) = load("t.tsv", b"a\tb\n1\t\"x\ty\"\n").unwrap();
    assert_eq!(t.cell(0, 1), "x\ty");
    let (t, _) = load("n.csv", b"1;2\n3;4\n").unwrap();
    assert_eq!((t.headers[0].as_str(), t.rows()), ("column 1", 2));
    let (t, s) = load(
        "p.jsonl",
        b"{\"x\": 1.5, \"k\": \"a\"}\n{\"x\": 2, \"k\": \"b\"}\n{\"k\": \"a\"}\n",
    )
    .unwrap();
    assert_eq!(t.headers, ["x", "k"]);
    assert_eq!(s.columns[0].missing, 1);
}

#[test]
fn categorical_features_are_one_hot_and_missing_values_imputed_or_dropped() {
    let text =
        "colour,size,y\nred,1,a\nblue,2,b\nred,,a\ngreen,4,b\nred,5,a\nblue,6,b\n,7,a\nblue,8,b\n";
    let (t, s) = load("c.csv", text.as_bytes()).unwrap();
    let e = encode(
        &t,
        &s,
        &TableChoices {
            test_fraction: 0.25,
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(e.imputed_cells, 2);
    assert_eq!(e.dropped_rows, 0);
    assert!(e.inputs.iter().any(|i| i == "colour=red"), "{:?}", e.inputs);
    assert_eq!(*e.inputs.last().unwrap(), "size");
    let width = e.inputs.len();
    for row in e
        .dataset
        .train
        .x
        .chunks(width)
        .chain(e.dataset.test.x.chunks(width))
    {
        let hot: f32 = row[..width - 1].iter().sum();
        assert!(hot <= 1.0 && row[..width - 1].iter().all(|v| *v == 0.0 || *v == 1.0));
    }
    let d = encode(
        &t,
        &s,
        &TableChoices {
            missing: Missing::Drop,
            test_fraction: 0.25,
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!((d.dropped_rows, d.imputed_cells), (2, 0));
    assert_eq!(d.dataset.train.len() + d.dataset.test.len(), 6);
}

#[test]
fn warnings_constant_leak_imbalance_duplicates() {
    let mut text = String::from("k,copy,noise,y\n");
    for i in 0..60 {
        let y = if i < 55 { "no" } else { "yes" };
        text.push_str(&format!("1,{y}x,{i},{y}\n"));
    }
    text.push_str("1,nox,0,no\n");
    let (t, s) = load("w.csv", text.as_bytes()).unwrap();
    assert_eq!(
        texts(&s.column("k").unwrap().warnings),
        ["has the same value, '1', in every row: it tells the model nothing"]
    );
    assert_eq!(s.duplicate_rows, 1);
    assert_eq!(texts(&s.warnings), ["1 rows repeat an earlier row exactly"]);
    let target = s.target(&t, "y", None).unwrap();
    assert_eq!(target.features, ["copy", "noise"]);
    assert_eq!(
        texts(&target.warnings),
        [
            "heavy imbalance: class 'yes' has 5 rows, class 'no' has 56; accuracy alone will flatter the model",
            "column 'copy' determines the target almost exactly: it may leak the answer (leave it out unless it is known before the target is)",
        ]
    );
}

#[test]
fn standardisation_uses_train_statistics_only() {
    // x is far larger in a few rows; whichever split they land in, statistics taken over all
    // rows would leave the train column off zero mean and unit variance.
    let mut text = String::from("x,y\n");
    for i in 0..200 {
        let x = if i % 50 == 0 {
            10_000.0 + i as f64
        } else {
            i as f64
        };
        text.push_str(&format!("{x},{}\n", i as f64 * 0.5));
    }
    text.push_str(",3\n"); // a missing x: imputed with the train mean, so 0 after scaling
    let (t, s) = load("leak.csv", text.as_bytes()).unwrap();
    for seed in 1..5 {
        let e = encode(
            &t,
            &s,
            &TableChoices {
                target: "y".into(),
                seed,
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(e.dataset.task, Task::Regression);
        let train = &e.dataset.train;
        let n = train.len() as f64;
        let mean = train.x.iter().map(|v| *v as f64).sum::<f64>() / n;
        let var = train
            .x
            .iter()
            .map(|v| (*v as f64 - mean).powi(2))
            .sum::<f64>()
            / n;
        // the imputed row sits at exactly the train mean, which shrinks the variance a little
        let imputed_in_train = train.x.iter().filter(|v| **v == 0.0).count();
        assert!(mean.abs() < 1e-4, "seed {seed}: train mean {mean}");
        let expected_var = (n - imputed_in_train as f64) / n;
        assert!(
            (var - expected_var).abs() < 1e-3 || (var - 1.0).abs() < 1e-3,
            "seed {seed}: var {var}"
        );
        let ymean = train.y.iter().map(|v| *v as f64).sum::<f64>() / n;
        assert!(
            ymean.abs() < 1e-4,
            "target standardised with train statistics: {ymean}"
        );
        assert!(!e.dataset.test.is_empty());
    }
}

#[test]
fn an_uploaded_text_is_a_character_language_model() {
    let text = "the quick brown fox jumps over the lazy dog. ".repeat(40);
    let d = uploaded_language_model("fox.txt", &text, 16, 200, 0.2, 1).unwrap();
    assert_eq!(d.kind, SequenceKind::Lm);
    assert_eq!(&d.input_vocab[..2], ["<pad>", "<unk>"]);
    assert_eq!((d.train.len(), d.test.len()), (160, 40));
    for e in &d.train {
        assert_eq!(e.input[1..], e.target[..15]);
        assert!(
            e.input.iter().all(|t| *t >= 2),
            "every character of the text is known"
        );
    }
}

#[test]
fn a_text_column_with_labels_is_sequence_classification() {
    let mut text = String::from("review,label\n");
    for i in 0..40 {
        let (r, l) = if i % 2 == 0 {
            ("great fun, loved it", "pos")
        } else {
            ("dull and far too long", "neg")
        };
        text.push_str(&format!("\"{r} {i}\",{l}\n"));
    }
    let (t, s) = load("reviews.csv", text.as_bytes()).unwrap();
    assert_eq!(s.column("review").unwrap().kind, ColumnKind::Text);
    let tok = TokenChoices {
        column: "review".into(),
        unit: TokenUnit::Word,
        vocab_size: 8,
        max_length: 6,
    };
    let d = text_classification(
        &t,
        &s,
        &TableChoices {
            target: "label".into(),
            ..Default::default()
        },
        &tok,
    )
    .unwrap();
    assert_eq!(d.kind, SequenceKind::Classification);
    assert_eq!(d.output_vocab, ["neg", "pos"]);
    assert_eq!(d.input_vocab.len(), 10);
    assert_eq!((d.train.len(), d.test.len()), (32, 8));
    assert!(
        d.train
            .iter()
            .all(|e| e.input.len() == 6 && e.target.len() == 1)
    );
    // "great fun loved it 12" is five words: padded with <pad> = 0
    let pos = d.train.iter().find(|e| e.target[0] == 1).unwrap();
    assert_eq!(pos.input[5], 0);
}

// ---- round trips --------------------------------------------------------------------------

fn table_strategy() -> impl Strategy<Value = (Vec<String>, Vec<Vec<String>>)> {
    (1usize..5).prop_flat_map(|width| {
        let headers = Just((0..width).map(|i| format!("h{i}")).collect::<Vec<_>>());
        let cell = prop_oneof![
            "[a-z ,;\"\n\r\t|.é]{0,8}",
            "-?[0-9]{1,4}(\\.[0-9]{1,3})?",
            Just(String::new()),
        ];
        let rows = prop::collection::vec(prop::collection::vec(cell, width), 1..20);
        (headers, rows)
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn writing_then_reading_gives_the_table_back((headers, rows) in table_strategy(), tab in any::<bool>()) {
        let names: Vec<&str> = headers.iter().map(String::as_str).collect();
        let table = Table::from_rows("p.csv", &names, &rows);
        let delimiter = if tab { b'\t' } else { b',' };
        let text = write_csv(&table, delimiter);
        let back = parse_csv("p.csv", &text, Some(delimiter)).unwrap();
        prop_assert_eq!(&back.headers, &table.headers);
        prop_assert_eq!(back.rows(), table.rows());
        for r in 0..table.rows() {
            prop_assert_eq!(back.row(r).collect::<Vec<_>>(), table.row(r).collect::<Vec<_>>());
        }
    }

    #[test]
    fn any_bytes_give_a_table_or_a_message(bytes in prop::collection::vec(any::<u8>(), 0..200)) {
        if let Err(message) = load("any.csv", &bytes) {
            prop_assert!(message.starts_with("any.csv"), "{}", message);
        }
    }
}

// ---- training on a table ------------------------------------------------------------------

mod training {
    use super::load;
    use burn::prelude::*;
    use futures_lite::future::block_on;
    use kindling::Settings;
    use kindling::data::Rng;
    use kindling::data::table::{TableChoices, encode};
    use kindling::train::{DataSource, Learning, OptimizerKind, TestMetrics, Trainer, read_floats};

    fn settings() -> Settings {
        let mut s = Settings::default();
        s.train.optimizer = OptimizerKind::Adam;
        s.train.learning_rate = 0.01;
        s
    }

    fn metrics(trainer: &Trainer) -> TestMetrics {
        trainer.test_metrics(&block_on(read_floats(trainer.test_outputs())).unwrap())
    }

    #[test]
    fn the_mlp_learns_a_table_with_five_inputs_and_three_classes() {
        // class = which of a, b, c is largest; d and a category add noise inputs
        let mut rng = Rng::new(5);
        let mut text = String::from("a,b,c,d,shape,label\n");
        for _ in 0..600 {
            let v: Vec<f32> = (0..4)
                .map(|_| rng.range(-1.0, 1.0) * 50.0 + 100.0)
                .collect();
            let label =
                ["low", "mid", "top"][(0..3).max_by(|&i, &j| v[i].total_cmp(&v[j])).unwrap()];
            let shape = ["round", "square"][rng.below(2)];
            text.push_str(&format!(
                "{},{},{},{},{shape},{label}\n",
                v[0], v[1], v[2], v[3]
            ));
        }
        let (t, s) = load("three.csv", text.as_bytes()).unwrap();
        let encoded = encode(&t, &s, &TableChoices::default()).unwrap();
        assert_eq!(encoded.inputs.len(), 6); // four numbers and two one-hot shapes
        let mut trainer =
            Trainer::with_source(&settings(), DataSource::Table(encoded), &Device::flex()).unwrap();
        assert_eq!(trainer.inputs(), 6);
        trainer.train(400);
        let TestMetrics::Classification(m) = metrics(&trainer) else {
            panic!("a classification table gives classification metrics")
        };
        assert_eq!(m.classes, ["low", "mid", "top"]);
        assert_eq!(m.confusion.iter().flatten().sum::<usize>(), 120);
        assert!(m.accuracy > 0.9, "test accuracy {}", m.accuracy);
        assert!(m.recall.iter().all(|r| r.unwrap() > 0.8), "{:?}", m.recall);
    }

    #[test]
    fn a_table_of_two_inputs_has_a_decision_boundary_around_its_points() {
        let mut rng = Rng::new(2);
        let mut text = String::from("height,weight,kind\n");
        for _ in 0..200 {
            let (h, w) = (rng.range(150.0, 200.0), rng.range(40.0, 120.0));
            let kind = if w / (h / 100.0).powi(2) > 25.0 {
                "heavy"
            } else {
                "light"
            };
            text.push_str(&format!("{h},{w},{kind}\n"));
        }
        let (t, s) = load("bmi.csv", text.as_bytes()).unwrap();
        let encoded = encode(&t, &s, &TableChoices::default()).unwrap();
        let trainer =
            Trainer::with_source(&settings(), DataSource::Table(encoded), &Device::flex()).unwrap();
        let [xmin, xmax, ymin, ymax] = trainer.extent();
        let d = trainer.dataset();
        assert!(
            d.train
                .x
                .iter()
                .chain(&d.test.x)
                .all(|v| (xmin..=xmax).contains(v))
        );
        assert_eq!((xmin, ymin, ymax), (-xmax, -xmax, xmax));
        assert_eq!(trainer.boundary(10).dims(), [100, 2]);
    }

    #[test]
    fn regression_metrics_are_in_the_targets_units() {
        let mut rng = Rng::new(9);
        let mut text = String::from("x1,x2,price\n");
        for _ in 0..500 {
            let (a, b) = (rng.range(0.0, 10.0), rng.range(0.0, 10.0));
            text.push_str(&format!("{a},{b},{}\n", 1000.0 + 300.0 * a - 200.0 * b));
        }
        let (t, s) = load("price.csv", text.as_bytes()).unwrap();
        let encoded = encode(&t, &s, &TableChoices::default()).unwrap();
        let mut trainer =
            Trainer::with_source(&settings(), DataSource::Table(encoded), &Device::flex()).unwrap();
        trainer.train(500);
        let TestMetrics::Regression {
            metrics: m,
            actual,
            predicted,
        } = metrics(&trainer)
        else {
            panic!("a numeric target gives regression metrics")
        };
        assert_eq!((actual.len(), predicted.len()), (100, 100));
        assert!(
            actual.iter().all(|y| (-1000.0..4100.0).contains(y)),
            "actual values in price units"
        );
        assert!(m.r2 > 0.95, "R² {}", m.r2);
        assert!(
            m.rmse < 250.0 && m.mae <= m.rmse,
            "RMSE {} MAE {}",
            m.rmse,
            m.mae
        );
    }
}

#[test]
fn the_bundled_datasets_read_and_encode() {
    use kindling::data::samples::SAMPLES;
    for sample in SAMPLES {
        match read_file(sample.name, sample.text.as_bytes()).unwrap() {
            FileData::Text(text) => {
                assert!(sample.target.is_empty());
                uploaded_language_model(sample.name, &text, 32, 500, 0.1, 1).unwrap();
            }
            FileData::Table(t) => {
                let s = infer_schema(&t).unwrap();
                let target = s.target(&t, sample.target, None).unwrap();
                assert_eq!(target.task, TaskChoice::Classification, "{}", sample.name);
                assert_eq!(target.classes.len(), 3, "{}", sample.name);
                let choices = TableChoices {
                    target: sample.target.into(),
                    ..Default::default()
                };
                let e = encode(&t, &s, &choices).unwrap();
                assert!(e.dataset.train.len() > 100, "{}", sample.name);
            }
        }
    }
}

/// Warnings as the English the page shows when its catalogue lacks their code.
fn texts(warnings: &[kindling::error::UserError]) -> Vec<String> {
    warnings.iter().map(|w| w.to_string()).collect()
}
