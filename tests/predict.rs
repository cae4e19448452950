//! Predicting on new rows: the training file's own rows encode exactly as training encoded its
//! test rows; a missing column, an unseen category and a stray non-number are typed errors
//! naming the column (and value and line); extra columns and the target are ignored.

use kindling::data::table::{Table, TableChoices, encode, infer_schema};

/// A generated table: two numeric features, one categorical, a class target.
fn training_table() -> Table {
    let rows: Vec<Vec<String>> = (0..60)
        .map(|i| {
            let a = (i as f64 * 0.37).sin() * 10.0;
            let b = (i as f64 * 1.3).cos() * 3.0 + 5.0;
            let colour = ["red", "green", "blue"][i % 3];
            let class = if a + b > 5.0 { "yes" } else { "no" };
            vec![
                format!("{a:.4}"),
                format!("{b:.4}"),
                colour.to_string(),
                class.to_string(),
            ]
        })
        .collect();
    Table::from_rows("train.csv", &["a", "b", "colour", "label"], &rows)
}

#[test]
fn the_training_rows_encode_as_training_encoded_its_test_rows() {
    let t = training_table();
    let s = infer_schema(&t).unwrap();
    let choices = TableChoices {
        target: "label".into(),
        ..TableChoices::default()
    };
    let e = encode(&t, &s, &choices).unwrap();
    let new = e.encoding.encode_rows(&t).unwrap();
    let w = e.inputs.len();
    assert_eq!(e.encoding.width(), w);
    assert_eq!(new.rows, 60);
    assert_eq!(new.ignored, vec!["label".to_string()]);
    let rows: Vec<&[f32]> = new.x.chunks(w).collect();
    assert!(!e.dataset.test.x.is_empty());
    for test_row in e.dataset.test.x.chunks(w) {
        assert!(
            rows.contains(&test_row),
            "test row {test_row:?} is not among the new rows' encodings"
        );
    }
    for train_row in e.dataset.train.x.chunks(w) {
        assert!(rows.contains(&train_row));
    }
}

fn encoding() -> kindling::data::table::FeatureEncoding {
    let t = training_table();
    let s = infer_schema(&t).unwrap();
    let choices = TableChoices {
        target: "label".into(),
        ..TableChoices::default()
    };
    encode(&t, &s, &choices).unwrap().encoding
}

#[test]
fn a_missing_column_is_named() {
    let t = Table::from_str_rows("new.csv", &["a", "colour"], &[&["1", "red"]]);
    let e = encoding().encode_rows(&t).unwrap_err();
    assert_eq!(e.code(), "predict-missing-column");
    assert_eq!(
        e.to_string(),
        "new.csv has no column 'b'; the model was trained on it"
    );
}

#[test]
fn an_unseen_category_names_column_value_and_line() {
    let t = Table::from_str_rows(
        "new.csv",
        &["b", "a", "colour", "extra"],
        &[&["1", "2", "red", "x"], &["1", "2", "purple", "y"]],
    );
    let e = encoding().encode_rows(&t).unwrap_err();
    assert_eq!(e.code(), "predict-unseen-category");
    assert_eq!(
        e.to_string(),
        "new.csv, line 3, column 'colour': 'purple' is a category the model never saw in training"
    );
}

#[test]
fn a_non_number_where_a_number_was_trained_is_named() {
    let t = Table::from_str_rows("new.csv", &["a", "b", "colour"], &[&["1", "lots", "red"]]);
    let e = encoding().encode_rows(&t).unwrap_err();
    assert_eq!(e.code(), "predict-not-a-number");
    assert!(
        e.to_string()
            .starts_with("new.csv, line 2, column 'b': 'lots' is not a number")
    );
}

#[test]
fn columns_match_by_name_extra_ones_are_listed_missing_cells_imputed() {
    let enc = encoding();
    let t = Table::from_str_rows(
        "new.csv",
        &["note", "colour", "b", "a"],
        &[&["hi", "blue", "1", "2"], &["", "", "", "NA"]],
    );
    let new = enc.encode_rows(&t).unwrap();
    assert_eq!(new.ignored, vec!["note".to_string()]);
    assert_eq!(new.rows, 2);
    assert_eq!(new.x.len(), 2 * enc.width());
    assert_eq!(new.imputed_cells, 3);
    // An imputed number is the train mean: 0 once standardised.
    assert_eq!(new.x[enc.width()], 0.0);
}

/// The model trained on the table predicts on the training file itself: each of its test rows
/// gets exactly the probabilities the evaluation's forward pass gives that row, and the CSV has
/// the file's columns, the predicted class and one probability per class, a line per row.
#[test]
fn predictions_on_the_file_equal_the_models_outputs_on_its_test_rows() {
    use burn::prelude::*;
    use futures_lite::future::block_on;
    use kindling::Settings;
    use kindling::train::{DataSource, Learning, Trainer, read_floats};

    let t = training_table();
    let s = infer_schema(&t).unwrap();
    let choices = TableChoices {
        target: "label".into(),
        ..TableChoices::default()
    };
    let encoded = encode(&t, &s, &choices).unwrap();
    let test_x: Vec<Vec<f32>> = encoded
        .dataset
        .test
        .x
        .chunks(encoded.inputs.len())
        .map(<[f32]>::to_vec)
        .collect();
    let mut trainer = Trainer::with_source(
        &Settings::default(),
        DataSource::Table(encoded),
        &Device::flex(),
    )
    .unwrap();
    trainer.train(30);
    let (rows, out) = trainer.predict(&t).expect("a table model").unwrap();
    let predicted = block_on(read_floats(out.reshape([-1]))).unwrap();
    let logits = block_on(read_floats(trainer.test_outputs().reshape([-1]))).unwrap();
    let width = rows.x.len() / rows.rows;
    let inputs: Vec<&[f32]> = rows.x.chunks(width).collect();
    for (i, x) in test_x.iter().enumerate() {
        let row = inputs
            .iter()
            .position(|r| *r == &x[..])
            .expect("the test row is in the file");
        let l = &logits[2 * i..2 * i + 2];
        let m = l[0].max(l[1]);
        let z = (l[0] - m).exp() + (l[1] - m).exp();
        for c in 0..2 {
            let p = (l[c] - m).exp() / z;
            assert!(
                (predicted[2 * row + c] - p).abs() < 1e-6,
                "test row {i}, class {c}: {} vs {p}",
                predicted[2 * row + c]
            );
        }
    }
    let csv = kindling::train::predictions_csv(&trainer.predictions_table(&t, "label", &predicted));
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 61, "a header and one line per row");
    assert!(
        lines[0].starts_with("a,b,colour,label,predicted label,P(label = "),
        "{}",
        lines[0]
    );
    assert_eq!(lines[1].split(',').count(), 4 + 1 + 2);
}

/// A file of new rows whose inputs would pass the encoding's limit is refused before they are
/// allocated, naming the most rows a file may have; a file of that many rows is encoded.
#[test]
fn a_file_too_large_to_encode_is_refused_before_it_is_allocated() {
    use kindling::data::table::{MAX_INPUT_VALUES, group};
    // A category of 40 values: 32 inputs (31 kept, one shared by the rare ones), and a number.
    let rows: Vec<Vec<String>> = (0..400)
        .map(|i| {
            vec![
                format!("{i}"),
                format!("c{}", i % 40),
                ["y", "n"][i % 2].into(),
            ]
        })
        .collect();
    let t = Table::from_rows("train.csv", &["n", "city", "label"], &rows);
    let s = infer_schema(&t).unwrap();
    let choices = TableChoices {
        target: "label".into(),
        ..TableChoices::default()
    };
    let enc = encode(&t, &s, &choices).unwrap().encoding;
    assert_eq!(enc.width(), 33);
    let most = MAX_INPUT_VALUES / 33;
    let new = |n: usize| {
        let rows: Vec<Vec<String>> = (0..n).map(|_| vec!["1".into(), "c1".into()]).collect();
        Table::from_rows("new.csv", &["n", "city"], &rows)
    };
    let e = enc.encode_rows(&new(most + 1)).unwrap_err();
    assert_eq!(e.code(), "predict-too-many-values");
    assert_eq!(
        e.to_string(),
        format!(
            "new.csv has {} rows of 33 inputs each for the model ({} values); the limit is {}: split it into files of at most {} rows",
            group(most + 1),
            group((most + 1) * 33),
            group(MAX_INPUT_VALUES),
            group(most)
        )
    );
    assert_eq!(enc.encode_rows(&new(most)).unwrap().rows, most);
}
