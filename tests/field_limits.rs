//! The settings panels' number fields carry the range that validation accepts: each field's
//! `min` and `max` (index.html, www/views/network-editor.js) are accepted by `validate`, and one
//! `step` beyond either is refused. The ranges are written in the Rust configs and in the
//! markup; this test is what keeps the two the same.

use kindling::{SequenceSettings, Settings};
use serde_json::json;

/// A number field of a panel: its id, its key in its section, and its attributes.
#[derive(Debug)]
struct Field {
    id: String,
    name: String,
    min: Option<f64>,
    max: Option<f64>,
    step: Option<f64>,
}

fn attribute(tag: &str, name: &str) -> Option<String> {
    let start = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    let len = tag[start..].find('"')?;
    Some(tag[start..start + len].to_string())
}

/// The number and range inputs with a name in `markup`.
fn fields(markup: &str) -> Vec<Field> {
    markup
        .split("<input")
        .skip(1)
        .filter_map(|rest| {
            let tag = &rest[..rest.find('>')?];
            let kind = attribute(tag, "type")?;
            if kind != "number" && kind != "range" {
                return None;
            }
            let number = |a| attribute(tag, a).and_then(|v| v.parse::<f64>().ok());
            Some(Field {
                id: attribute(tag, "id").unwrap_or_default(),
                name: attribute(tag, "name")?,
                min: number("min"),
                max: number("max"),
                step: number("step"),
            })
        })
        .collect()
}

/// Whether the settings of `mode` with `section.name = value` (the rest defaults) validate.
fn accepts(mode: &str, section: &str, name: &str, value: f64) -> bool {
    let value = if value.fract() == 0.0 && value >= 0.0 {
        json!(value as u64)
    } else {
        json!(value)
    };
    let mut settings = json!({ section: { name: value } });
    if name == "classes" {
        settings["data"]["kind"] = json!("gaussian");
    }
    if section == "layer" {
        settings = json!({ "model": { "hidden": [{ name: value }] } });
    }
    match mode {
        "points" => {
            serde_json::from_value::<Settings>(settings).is_ok_and(|s| s.validate().is_ok())
        }
        _ => {
            serde_json::from_value::<SequenceSettings>(settings).is_ok_and(|s| s.validate().is_ok())
        }
    }
}

/// Which settings a field of the page edits, by its id: (mode, section).
fn section_of(id: &str) -> Option<(&'static str, &'static str)> {
    const SEQUENCE_MODEL: [&str; 5] = ["d-model", "heads", "layers", "mlp-ratio", "dropout"];
    if let Some(rest) = id.strip_prefix("seq-") {
        let section = if SEQUENCE_MODEL.contains(&rest) {
            "model"
        } else {
            "data"
        };
        return Some(("sequences", section));
    }
    if id.starts_with("data-") {
        return Some(("points", "data"));
    }
    if id.starts_with("train-") {
        return Some(("both", "train"));
    }
    None
}

fn check(mode: &str, section: &str, field: &Field, wrong: &mut Vec<String>) {
    let step = field.step.unwrap_or(1.0);
    let modes: &[&str] = if mode == "both" {
        &["points", "sequences"]
    } else {
        &[mode]
    };
    for mode in modes {
        let accepts = |v| accepts(mode, section, &field.name, v);
        if let Some(max) = field.max {
            if !accepts(max) {
                wrong.push(format!("{}: max {max} is refused by validation", field.id));
            }
            if accepts(max + step) {
                wrong.push(format!(
                    "{}: validation accepts {} above max {max}",
                    field.id,
                    max + step
                ));
            }
        }
        if let Some(min) = field.min {
            // Validation wants a learning rate above 0; HTML has no exclusive bound, and min 0
            // is what keeps the spinner from going negative.
            if field.id == "train-learning-rate" {
                assert!(
                    !accepts(min) && accepts(1e-9),
                    "learning rate: above 0 and no more"
                );
                continue;
            }
            if !accepts(min) {
                wrong.push(format!("{}: min {min} is refused by validation", field.id));
            }
            // Below 0 an unsigned setting cannot be written at all.
            if min - step >= 0.0 && accepts(min - step) {
                wrong.push(format!(
                    "{}: validation accepts {} below min {min}",
                    field.id,
                    min - step
                ));
            }
        }
    }
}

#[test]
fn every_settings_field_allows_what_validation_accepts_and_no_more() {
    let page = std::fs::read_to_string("index.html").unwrap();
    let layers = std::fs::read_to_string("www/views/network-editor.js").unwrap();
    let mut wrong = Vec::new();
    let mut checked = 0;
    for field in fields(&page) {
        let Some((mode, section)) = section_of(&field.id) else {
            continue;
        };
        check(mode, section, &field, &mut wrong);
        checked += 1;
    }
    for mut field in fields(&layers) {
        field.id = format!("layer {}", field.name);
        check("points", "layer", &field, &mut wrong);
        checked += 1;
    }
    assert!(
        checked >= 20,
        "only {checked} fields found: has the markup changed?"
    );
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn a_field_with_no_maximum_has_none_in_validation() {
    // Batch size had no `max` while validation stopped at 5000: a field with a range in
    // validation must say so. These have none (seeds are any u64; evaluate-every, learning
    // rate, weight decay and shift are unbounded above).
    let unbounded = [
        "data-seed",
        "seq-seed",
        "seq-shift",
        "train-learning-rate",
        "train-weight-decay",
        "train-seed",
        "train-eval-every",
        "train-target-loss",
    ];
    let page = std::fs::read_to_string("index.html").unwrap();
    for field in fields(&page) {
        if section_of(&field.id).is_some() && field.max.is_none() {
            assert!(
                unbounded.contains(&field.id.as_str()),
                "{} has no max",
                field.id
            );
        }
    }
    assert!(accepts("points", "train", "evalEvery", 1e9));
    assert!(accepts("sequences", "data", "shift", 1e6));
}
