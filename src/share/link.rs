//! The share link: a versioned binary payload, deflated, in base64url, after a `k1.` prefix.
//! Decoding trusts nothing: every length is bounded before anything is allocated, and every
//! failure is a message for the user. Layout: docs/share-format.md.

use super::error::{
    NEWER_FORMAT, NOT_A_LINK, ShareError, TOO_LONG, UNPACKS_TOO_BIG, VERSION_TOO_NEW, damaged,
};
use super::origin::{DataOrigin, EMBED_LINK_CHARS, UseKind, fingerprint_bytes};
use super::{ParamValues, Precision};
use crate::error::{Field, UserError};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

pub const LINK_PREFIX: &str = "k1.";
const MAGIC: &[u8; 4] = b"KNDL";
/// Version 2 added the user's file (`SharedData`); version 1 links still open.
const VERSION: u8 = 2;
/// Longest link text accepted (a 20 MB model would not fit a URL anyway).
pub const MAX_LINK_CHARS: usize = 4 << 20;
/// Largest payload after decompression: bounds memory against a decompression bomb.
const MAX_PAYLOAD: usize = 32 << 20;
const MAX_SETTINGS: usize = 64 << 10;
const MAX_HISTORY: usize = 100_000;
const MAX_TENSORS: usize = 256;
const MAX_RANK: usize = 4;
const MAX_VALUES: usize = 8 << 20;
const MAX_EMBEDDED: usize = 16 << 20;
const MAX_NAME: usize = 1024;

/// Which playground a link holds: 0 = points (MLP), 1 = sequences (transformer).
pub type ModelKind = u8;

/// Everything a link carries.
#[derive(Debug, Clone, PartialEq)]
pub struct Shared {
    pub kind: ModelKind,
    /// The playground's settings as JSON (`Settings` or `SequenceSettings`).
    pub settings: String,
    pub step: u32,
    /// Evaluations so far: [step, train loss, test loss, test accuracy (NaN if none)].
    pub history: Vec<[f32; 4]>,
    pub precision: Precision,
    /// Names are not stored: the architecture gives them.
    pub params: ParamValues,
    /// The user's file the model was trained on; `None` for the built-in datasets, which the
    /// settings regenerate.
    pub data: Option<SharedData>,
}

/// A user's file named by a link, and its bytes when the link carries them.
#[derive(Debug, Clone, PartialEq)]
pub struct SharedData {
    pub origin: DataOrigin,
    /// The file itself; `None`: whoever opens the link is asked for it.
    pub embedded: Option<Vec<u8>>,
}

pub fn encode_link(shared: &Shared) -> String {
    let mut out = Vec::new();
    out.extend(MAGIC);
    out.extend([VERSION, shared.kind, shared.precision.code()]);
    out.extend(shared.step.to_le_bytes());
    out.extend((shared.settings.len() as u32).to_le_bytes());
    out.extend(shared.settings.as_bytes());
    out.extend((shared.history.len() as u32).to_le_bytes());
    for row in &shared.history {
        row.iter().for_each(|v| out.extend(v.to_le_bytes()));
    }
    write_data(shared.data.as_ref(), &mut out);
    out.extend((shared.params.shapes.len() as u16).to_le_bytes());
    for (shape, values) in shared.params.shapes.iter().zip(&shared.params.values) {
        out.push(shape.len() as u8);
        shape
            .iter()
            .for_each(|d| out.extend((*d as u32).to_le_bytes()));
        shared.precision.encode(values, &mut out);
    }
    let compressed = miniz_oxide::deflate::compress_to_vec(&out, 9);
    format!("{LINK_PREFIX}{}", URL_SAFE_NO_PAD.encode(compressed))
}

/// The link of `shared`, carrying its file only while the link stays within
/// `EMBED_LINK_CHARS`; a longer one names the file by its fingerprint instead.
pub fn encode_link_fitted(mut shared: Shared) -> String {
    let link = encode_link(&shared);
    match &mut shared.data {
        Some(data) if data.embedded.is_some() && link.len() > EMBED_LINK_CHARS => {
            data.embedded = None;
            encode_link(&shared)
        }
        _ => link,
    }
}

/// Version 2's data section (docs/share-format.md): a flag, then the file's name, size,
/// SHA-256, sample flag, use, the page's choices (JSON text), and the file (empty: not carried).
fn write_data(data: Option<&SharedData>, out: &mut Vec<u8>) {
    let Some(SharedData { origin, embedded }) = data else {
        out.push(0);
        return;
    };
    out.push(1);
    // A name is for people: a long one is cut (a char is at most 4 bytes).
    let name: String = origin.name.chars().take(MAX_NAME / 4).collect();
    out.extend((name.len() as u16).to_le_bytes());
    out.extend(name.as_bytes());
    out.extend(origin.bytes.to_le_bytes());
    out.extend(fingerprint_bytes(&origin.sha256).unwrap_or_default());
    out.push(u8::from(origin.sample));
    out.push(
        UseKind::ALL
            .iter()
            .position(|k| *k == origin.kind)
            .unwrap_or(0) as u8,
    );
    out.extend((origin.choices.len() as u32).to_le_bytes());
    out.extend(origin.choices.as_bytes());
    let embedded = embedded.as_deref().unwrap_or_default();
    out.extend((embedded.len() as u32).to_le_bytes());
    out.extend(embedded);
}

pub fn decode_link(text: &str) -> Result<Shared, ShareError> {
    let text = text.trim();
    let Some(body) = text.strip_prefix(LINK_PREFIX) else {
        let newer = text
            .strip_prefix('k')
            .and_then(|t| t.split_once('.'))
            .is_some_and(|(v, _)| v.parse::<u32>().is_ok());
        return Err(if newer {
            let format = text.split('.').next().unwrap_or("");
            let reads = LINK_PREFIX.trim_end_matches('.');
            UserError::new(
                &NEWER_FORMAT,
                [("format", format.into()), ("reads", reads.into())],
            )
        } else {
            UserError::new(&NOT_A_LINK, [])
        });
    };
    if body.len() > MAX_LINK_CHARS {
        return Err(UserError::new(
            &TOO_LONG,
            [
                ("length", Field::plain(body.len())),
                ("limit", Field::plain(MAX_LINK_CHARS)),
            ],
        ));
    }
    let compressed = URL_SAFE_NO_PAD
        .decode(body)
        .map_err(|e| damaged(format!("not base64url ({e})")))?;
    let payload = miniz_oxide::inflate::decompress_to_vec_with_limit(&compressed, MAX_PAYLOAD)
        .map_err(|e| match e.status {
            miniz_oxide::inflate::TINFLStatus::HasMoreOutput => {
                UserError::new(&UNPACKS_TOO_BIG, [("mb", Field::plain(MAX_PAYLOAD >> 20))])
            }
            _ => damaged("its compressed data is invalid"),
        })?;
    parse(&payload)
}

/// Reads the payload with every length checked against what is left.
struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize, what: &str) -> Result<&'a [u8], ShareError> {
        if self.bytes.len() - self.at < n {
            return Err(damaged(format!(
                "it ends in the middle of the {what} (byte {})",
                self.at
            )));
        }
        self.at += n;
        Ok(&self.bytes[self.at - n..self.at])
    }

    fn u8(&mut self, what: &str) -> Result<u8, ShareError> {
        Ok(self.take(1, what)?[0])
    }

    fn u16(&mut self, what: &str) -> Result<u16, ShareError> {
        let b = self.take(2, what)?;
        Ok(u16::from_le_bytes([b[0], b[1]]))
    }

    fn u32(&mut self, what: &str) -> Result<u32, ShareError> {
        let b = self.take(4, what)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }
}

fn parse(payload: &[u8]) -> Result<Shared, ShareError> {
    let mut r = Reader {
        bytes: payload,
        at: 0,
    };
    if r.take(4, "header")? != MAGIC {
        return Err(damaged("it does not start with a Kindling header"));
    }
    let version = r.u8("header")?;
    if version == 0 || version > VERSION {
        return Err(UserError::new(
            &VERSION_TOO_NEW,
            [
                ("version", Field::plain(version)),
                ("latest", Field::plain(VERSION)),
            ],
        ));
    }
    let kind = r.u8("header")?;
    if kind > 1 {
        return Err(damaged(format!("unknown model kind {kind}")));
    }
    let precision = r.u8("header")?;
    let precision = Precision::from_code(precision)
        .ok_or_else(|| damaged(format!("unknown precision {precision}")))?;
    let step = r.u32("header")?;
    let settings_len = r.u32("settings")? as usize;
    if settings_len > MAX_SETTINGS {
        return Err(damaged(format!("its settings claim {settings_len} bytes")));
    }
    let settings = std::str::from_utf8(r.take(settings_len, "settings")?)
        .map_err(|_| damaged("its settings are not UTF-8"))?
        .to_string();
    let rows = r.u32("history")? as usize;
    if rows > MAX_HISTORY {
        return Err(damaged(format!("its history claims {rows} rows")));
    }
    let mut history = Vec::with_capacity(rows.min(payload.len() / 16));
    for _ in 0..rows {
        let mut row = [0.0f32; 4];
        for v in &mut row {
            *v = f32::from_bits(r.u32("history")?);
        }
        history.push(row);
    }
    let data = if version >= 2 {
        read_data(&mut r, kind)?
    } else {
        None
    };
    let count = r.u16("tensors")? as usize;
    if count > MAX_TENSORS {
        return Err(damaged(format!(
            "it claims {count} tensors (at most {MAX_TENSORS})"
        )));
    }
    let (mut shapes, mut values) = (Vec::new(), Vec::new());
    let mut total = 0usize;
    for i in 0..count {
        let rank = r.u8("tensor shapes")? as usize;
        if rank == 0 || rank > MAX_RANK {
            return Err(damaged(format!("tensor {i} has rank {rank}")));
        }
        let shape = (0..rank)
            .map(|_| r.u32("tensor shapes").map(|d| d as usize))
            .collect::<Result<Vec<_>, _>>()?;
        let n = shape
            .iter()
            .try_fold(1usize, |acc, d| acc.checked_mul(*d))
            .filter(|n| *n <= MAX_VALUES);
        let Some(n) = n else {
            return Err(damaged(format!(
                "tensor {i} has shape {shape:?}, too large"
            )));
        };
        total += n;
        if total > MAX_VALUES {
            return Err(damaged(format!(
                "its tensors hold more than {MAX_VALUES} values"
            )));
        }
        values.push(precision.decode(r.take(precision.encoded_len(n), "weights")?));
        shapes.push(shape);
    }
    if r.at != payload.len() {
        return Err(damaged(format!(
            "{} unexpected bytes follow the weights",
            payload.len() - r.at
        )));
    }
    let names = vec![String::new(); shapes.len()];
    Ok(Shared {
        kind,
        settings,
        step,
        history,
        precision,
        params: ParamValues {
            names,
            shapes,
            values,
        },
        data,
    })
}

/// Reads `write_data`'s section; every length bounded, the carried file checked against the
/// fingerprint, and the use against the kind of model.
fn read_data(r: &mut Reader, kind: ModelKind) -> Result<Option<SharedData>, ShareError> {
    match r.u8("data")? {
        0 => return Ok(None),
        1 => {}
        flag => return Err(damaged(format!("its data flag is {flag}"))),
    }
    let text = |bytes: &[u8], what: &str| {
        std::str::from_utf8(bytes)
            .map(str::to_string)
            .map_err(|_| damaged(format!("its {what} is not UTF-8")))
    };
    let len = r.u16("data")? as usize;
    if len > MAX_NAME {
        return Err(damaged(format!("its file name claims {len} bytes")));
    }
    let name = text(r.take(len, "data")?, "file name")?;
    let bytes = u64::from_le_bytes(r.take(8, "data")?.try_into().expect("8 bytes"));
    let sha256: String = r
        .take(32, "data")?
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let sample = match r.u8("data")? {
        0 => false,
        1 => true,
        flag => return Err(damaged(format!("its sample flag is {flag}"))),
    };
    let code = r.u8("data")? as usize;
    let use_kind = *UseKind::ALL
        .get(code)
        .ok_or_else(|| damaged(format!("its data has an unknown use {code}")))?;
    if use_kind.model_kind() != kind {
        return Err(damaged("its data does not fit its kind of model"));
    }
    let len = r.u32("data")? as usize;
    if len > MAX_SETTINGS {
        return Err(damaged(format!("its data choices claim {len} bytes")));
    }
    let choices = text(r.take(len, "data")?, "data choices")?;
    let len = r.u32("data")? as usize;
    if len > MAX_EMBEDDED {
        return Err(damaged(format!("its data claims {len} bytes")));
    }
    let embedded = (len > 0)
        .then(|| r.take(len, "data").map(<[u8]>::to_vec))
        .transpose()?;
    let origin = DataOrigin {
        name,
        bytes,
        sha256,
        sample,
        kind: use_kind,
        choices,
    };
    if embedded.as_ref().is_some_and(|b| !origin.matches(b)) {
        return Err(damaged(
            "the file it carries does not match its fingerprint",
        ));
    }
    Ok(Some(SharedData { origin, embedded }))
}
