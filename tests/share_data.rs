//! Links of models trained on a user's file (format version 2): the file travels in the link
//! when it is small enough, else its fingerprint does; either way the opened model predicts as
//! the shared one did. Version 1 links still open; a tampered file or description is refused.

use burn::prelude::*;
use futures_lite::future::block_on;
use kindling::Settings;
use kindling::data::Rng;
use kindling::data::samples::sample;
use kindling::data::table::{FileData, TableChoices, encode, infer_schema, read_file};
use kindling::share::{
    DataOrigin, EMBED_LINK_CHARS, FileId, Precision, Shared, SharedData, UseKind, decode_link,
    encode_link, encode_link_fitted, fingerprint, param_values_from, read_safetensors,
    write_safetensors,
};
use kindling::train::{DataSource, Learning, Trainer, read_floats};

fn read<const D: usize>(t: Tensor<D>) -> Vec<f32> {
    block_on(read_floats(t)).unwrap()
}

fn choices() -> TableChoices {
    TableChoices {
        target: "species".into(),
        ..TableChoices::default()
    }
}

/// An MLP on `bytes` (a CSV named `name`) as `choices` say, as the page builds it.
fn table_trainer(name: &str, bytes: &[u8], choices: &TableChoices) -> Trainer {
    let FileData::Table(table) = read_file(name, bytes).unwrap() else {
        panic!("{name} is not a table")
    };
    let schema = infer_schema(&table).unwrap();
    let encoded = encode(&table, &schema, choices).unwrap();
    Trainer::with_source(
        &Settings::default(),
        DataSource::Table(encoded),
        &Device::flex(),
    )
    .unwrap()
}

fn origin_of(name: &str, bytes: &[u8]) -> DataOrigin {
    DataOrigin {
        name: name.into(),
        bytes: bytes.len() as u64,
        sha256: fingerprint(bytes),
        sample: false,
        kind: UseKind::Table,
        choices: serde_json::json!({ "choices": choices() }).to_string(),
    }
}

fn shared_table(trainer: &Trainer, name: &str, bytes: &[u8], precision: Precision) -> Shared {
    let (names, shapes, all) = trainer.params();
    Shared {
        kind: 0,
        settings: serde_json::to_string(&Settings::default()).unwrap(),
        step: trainer.step_count() as u32,
        history: vec![[50.0, 0.5, 0.6, 0.9]],
        precision,
        params: param_values_from(names, shapes, &read(all)),
        data: Some(SharedData {
            origin: origin_of(name, bytes),
            embedded: Some(bytes.to_vec()),
        }),
    }
}

fn iris() -> &'static [u8] {
    sample("iris.csv").unwrap().text.as_bytes()
}

/// Opens a link as the page does: the file from the link (or the one the user gives), the
/// model from the settings and the file, then the weights.
fn open(link: &str, given: Option<&[u8]>) -> Result<Trainer, String> {
    let shared = decode_link(link).map_err(|e| e.to_string())?;
    let data = shared.data.expect("a table model names its data");
    let bytes = match (&data.embedded, given) {
        (Some(bytes), _) => bytes.clone(),
        (None, Some(given)) if data.origin.matches(given) => given.to_vec(),
        (None, Some(given)) => {
            let sha256 = fingerprint(given);
            let id = FileId {
                name: "given.csv",
                bytes: given.len() as u64,
                sha256: &sha256,
            };
            return Err(data.origin.file().mismatch(id).unwrap().to_string());
        }
        (None, None) => return Err("the link needs its file".into()),
    };
    assert_eq!(data.origin.kind, UseKind::Table);
    // The page's JSON, read as the page hands it back to `tableSession`.
    let used: serde_json::Value = serde_json::from_str(&data.origin.choices).unwrap();
    let choices: TableChoices =
        serde_json::from_value(used["choices"].clone()).map_err(|e| e.to_string())?;
    let mut trainer = table_trainer(&data.origin.name, &bytes, &choices);
    trainer.load(&shared.params, shared.step as usize)?;
    Ok(trainer)
}

#[test]
fn a_table_model_travels_with_its_file_and_predicts_the_same() {
    let mut trainer = table_trainer("iris.csv", iris(), &choices());
    trainer.train(50);
    let link = encode_link_fitted(shared_table(&trainer, "iris.csv", iris(), Precision::F32));
    assert!(link.len() < EMBED_LINK_CHARS, "{} characters", link.len());
    let shared = decode_link(&link).unwrap();
    let data = shared.data.as_ref().unwrap();
    assert_eq!(data.embedded.as_deref(), Some(iris()));
    assert_eq!(data.origin, origin_of("iris.csv", iris()));
    assert_eq!(shared.history, vec![[50.0, 0.5, 0.6, 0.9]]);

    let mut opened = open(&link, None).unwrap();
    assert_eq!(opened.step_count(), 50);
    // f32: the same weights on the same encoded test rows give the same outputs, bit for bit.
    assert_eq!(read(opened.test_outputs()), read(trainer.test_outputs()));
    // and it keeps training
    opened.train(5);
    assert_eq!(opened.step_count(), 55);
}

/// A CSV of `rows` random measurements, too big for a 64 KB link once compressed.
fn big_csv(rows: usize) -> Vec<u8> {
    let mut rng = Rng::new(7);
    let mut text = String::from("a,b,c,species\n");
    for _ in 0..rows {
        let v: Vec<String> = (0..3).map(|_| format!("{:.6}", rng.uniform())).collect();
        let class = ["x", "y", "z"][rng.below(3)];
        text += &format!("{},{class}\n", v.join(","));
    }
    text.into_bytes()
}

#[test]
fn a_file_too_big_for_the_link_is_named_by_its_fingerprint() {
    let csv = big_csv(6000);
    let mut trainer = table_trainer("big.csv", &csv, &choices());
    trainer.train(3);
    let link = encode_link_fitted(shared_table(&trainer, "big.csv", &csv, Precision::F16));
    assert!(link.len() <= EMBED_LINK_CHARS, "{} characters", link.len());
    let data = decode_link(&link).unwrap().data.unwrap();
    assert_eq!(data.embedded, None);
    assert_eq!(data.origin.bytes, csv.len() as u64);

    // The opener is asked for the file: the right one opens the model, another is refused.
    assert_eq!(open(&link, None).err().unwrap(), "the link needs its file");
    let mut other = csv.clone();
    other[20] ^= 1;
    let err = open(&link, Some(&other)).err().unwrap();
    assert!(
        err.starts_with("given.csv is not the file this model was trained on"),
        "{err}"
    );
    let opened = open(&link, Some(&csv)).unwrap();
    let (a, b) = (read(opened.test_outputs()), read(trainer.test_outputs()));
    // f16 weights: outputs within the stated tolerance (docs/share-format.md).
    let worst = a
        .iter()
        .zip(&b)
        .map(|(x, y)| (x - y).abs())
        .fold(0.0, f32::max);
    assert!(worst < 1e-2, "f16 outputs differ by {worst}");
}

fn payload_of(link: &str) -> Vec<u8> {
    use base64::Engine;
    let compressed = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(&link[3..])
        .unwrap();
    miniz_oxide::inflate::decompress_to_vec(&compressed).unwrap()
}

fn link_of(payload: &[u8]) -> String {
    use base64::Engine;
    let compressed = miniz_oxide::deflate::compress_to_vec(payload, 6);
    format!(
        "k1.{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(compressed)
    )
}

/// Where version 2's data section starts: after the header, settings and history.
fn data_section_at(payload: &[u8]) -> usize {
    let u32_at = |at: usize| u32::from_le_bytes(payload[at..at + 4].try_into().unwrap()) as usize;
    let settings = u32_at(11);
    let rows = u32_at(15 + settings);
    19 + settings + rows * 16
}

#[test]
fn a_version_1_link_still_opens() {
    let trainer = Trainer::new(&Settings::default(), &Device::flex()).unwrap();
    let (names, shapes, all) = trainer.params();
    let mut shared = shared_table(&trainer, "x.csv", b"x", Precision::F16);
    shared.params = param_values_from(names, shapes, &read(all));
    shared.data = None;
    let mut payload = payload_of(&encode_link(&shared));
    // Version 1 had no data section (a 0 flag in version 2).
    let at = data_section_at(&payload);
    assert_eq!(payload[at], 0);
    payload.remove(at);
    payload[4] = 1;
    let old = decode_link(&link_of(&payload)).unwrap();
    assert_eq!(old.data, None);
    assert_eq!(old.params.shapes, shared.params.shapes);
    // A version this one does not know says so.
    payload[4] = 3;
    let err = decode_link(&link_of(&payload)).unwrap_err().to_string();
    assert!(err.contains("format version 3"), "{err}");
}

#[test]
fn a_tampered_file_or_description_is_refused() {
    let trainer = table_trainer("iris.csv", iris(), &choices());
    let good = payload_of(&encode_link(&shared_table(
        &trainer,
        "iris.csv",
        iris(),
        Precision::Int8,
    )));
    let at = data_section_at(&good);
    // flag, name length and name, size, SHA-256, sample flag, use, choices length and choices,
    // file length and file
    let u32_at = |i: usize| u32::from_le_bytes(good[i..i + 4].try_into().unwrap()) as usize;
    let name_len = u16::from_le_bytes([good[at + 1], good[at + 2]]) as usize;
    assert_eq!(&good[at + 3..at + 3 + name_len], b"iris.csv");
    let sample_at = at + 3 + name_len + 8 + 32;
    let choices_at = sample_at + 2;
    let file_at = choices_at + 4 + u32_at(choices_at) + 4;
    assert_eq!(u32_at(file_at - 4), iris().len());

    let refused = |edit: &dyn Fn(&mut Vec<u8>)| {
        let mut bytes = good.clone();
        edit(&mut bytes);
        decode_link(&link_of(&bytes)).unwrap_err().to_string()
    };
    // one byte of the carried file changed: its fingerprint no longer matches
    let err = refused(&|b| b[file_at + 100] ^= 0x20);
    assert!(err.contains("does not match its fingerprint"), "{err}");
    // one bit of the fingerprint changed, likewise
    let err = refused(&|b| b[sample_at - 1] ^= 1);
    assert!(err.contains("does not match its fingerprint"), "{err}");
    // a flag, a use or a name that no writer makes
    assert!(refused(&|b| b[at] = 2).contains("its data flag is 2"));
    assert!(refused(&|b| b[sample_at] = 7).contains("its sample flag is 7"));
    assert!(refused(&|b| b[sample_at + 1] = 9).contains("unknown use 9"));
    assert!(refused(&|b| b[at + 3] = 0xff).contains("file name is not UTF-8"));
    assert!(refused(&|b| b.truncate(file_at + 10)).contains("ends in the middle of the data"));

    // a table's data on a sequence model
    let mut bytes = good.clone();
    bytes[5] = 1;
    let err = decode_link(&link_of(&bytes)).unwrap_err().to_string();
    assert!(err.contains("does not fit its kind of model"), "{err}");

    // random mutations of a link with data: a message or a link, never a panic
    let mut rng = Rng::new(9);
    for _ in 0..3000 {
        let mut bytes = good.clone();
        for _ in 0..1 + rng.below(3) {
            let i = at + rng.below(bytes.len() - at);
            bytes[i] = rng.next_u64() as u8;
        }
        let _ = decode_link(&link_of(&bytes));
    }
}

#[test]
fn a_model_file_names_its_data_file() {
    let trainer = table_trainer("iris.csv", iris(), &choices());
    let shared = shared_table(&trainer, "iris.csv", iris(), Precision::F32);
    let origin = shared.data.unwrap().origin;
    let params = {
        let (names, shapes, all) = trainer.params();
        param_values_from(names, shapes, &read(all))
    };
    let bytes = write_safetensors(
        &params,
        "points",
        &shared.settings,
        0,
        Some(&origin),
        &trainer.summary(),
    )
    .unwrap();
    // the standard reader sees the metadata as a string
    let (_, meta) = safetensors::SafeTensors::read_metadata(&bytes).unwrap();
    let meta = meta.metadata().as_ref().unwrap();
    assert_eq!(meta["kindling.data.sha256"], fingerprint(iris()));
    assert_eq!(meta["kindling.data.name"], "iris.csv");
    assert_eq!(meta["kindling.data.use"], "table");
    let file = read_safetensors(&bytes).unwrap();
    assert_eq!(file.data, Some(origin));
}

#[test]
fn a_given_file_is_compared_before_it_is_parsed() {
    let iris = sample("iris.csv").unwrap().text.as_bytes();
    let sha256 = fingerprint(iris);
    let needed = FileId {
        name: "iris.csv",
        bytes: iris.len() as u64,
        sha256: &sha256,
    };
    // Another file, one that would not even parse: the mismatch is the message, so the
    // fingerprint was compared first.
    let binary = [0u8, 1, 2, 3];
    let message = kindling::share::read_given(needed, "iris.csv", &binary, None)
        .unwrap_err()
        .to_string();
    assert!(
        message.starts_with("iris.csv is not the file this model was trained on"),
        "{message}"
    );
    // A header of 300 columns over empty lines, as large as iris: refused by its hash too.
    let mut wide: Vec<u8> = (0..300)
        .flat_map(|c| format!("c{c},").into_bytes())
        .collect();
    wide.resize(iris.len(), b'\n');
    let message = kindling::share::read_given(needed, "iris.csv", &wide, None)
        .unwrap_err()
        .to_string();
    assert!(message.contains("is not the file"), "{message}");
    let read = kindling::share::read_given(needed, "iris.csv", iris, None).unwrap();
    assert!(matches!(read, FileData::Table(t) if t.rows() == 150));
}
