//! Text as tokens: a vocabulary (with `<pad>` and `<unk>` for uploads), the character-level
//! language-modelling task over any text (the bundled sonnets or a user's .txt), and a table's
//! text column tokenised by characters or words for sequence classification.

use super::table::{Missing, Schema, Table, TableChoices, TableError, TaskChoice};
use super::{Example, Rng, SequenceData, SequenceKind};
use crate::model::transformer::MAX_LENGTH;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

pub const PAD: &str = "<pad>";
pub const UNK: &str = "<unk>";
/// Characters of an uploaded text beyond the most frequent this many become `<unk>`.
pub const CHAR_VOCAB_MAX: usize = 256;

/// Tokens and their ids; `<pad>` is 0 and `<unk>` 1 when present.
#[derive(Debug, Clone, PartialEq)]
pub struct Vocab {
    pub tokens: Vec<String>,
    index: HashMap<String, u32>,
    unk: Option<u32>,
}

impl Vocab {
    /// Exactly these tokens, in this order (no specials).
    pub fn plain(tokens: Vec<String>) -> Self {
        let index = tokens
            .iter()
            .enumerate()
            .map(|(i, t)| (t.clone(), i as u32))
            .collect();
        Self {
            tokens,
            index,
            unk: None,
        }
    }

    /// `<pad>`, `<unk>`, then the `cap` most frequent tokens (ties alphabetically), sorted.
    pub fn with_specials<'a>(tokens: impl Iterator<Item = &'a str>, cap: usize) -> Self {
        let mut counts: HashMap<&str, usize> = HashMap::new();
        for t in tokens {
            *counts.entry(t).or_default() += 1;
        }
        let mut by_count: Vec<(&str, usize)> = counts.into_iter().collect();
        by_count.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        by_count.truncate(cap);
        let mut kept: Vec<&str> = by_count.into_iter().map(|(t, _)| t).collect();
        kept.sort();
        let tokens: Vec<String> = [PAD, UNK]
            .into_iter()
            .chain(kept)
            .map(str::to_string)
            .collect();
        let mut v = Self::plain(tokens);
        v.unk = Some(1);
        v
    }

    pub fn len(&self) -> usize {
        self.tokens.len()
    }

    pub fn is_empty(&self) -> bool {
        self.tokens.is_empty()
    }

    /// The id of `token`; `<unk>` for a token outside the vocabulary.
    pub fn id(&self, token: &str) -> u32 {
        self.index
            .get(token)
            .copied()
            .or(self.unk)
            .expect("a vocabulary without <unk> holds every token it is asked for")
    }
}

/// The characters of `text` a language model of windows of `length` needs: the test windows
/// come from the last `test_fraction` of the text, the train windows from the rest.
pub fn min_chars(length: usize, test_fraction: f32) -> usize {
    let part = test_fraction.min(1.0 - test_fraction).max(0.01);
    (((length + 2) as f32 / part).ceil() as usize).max(4 * (length + 1))
}

/// Windows of `length + 1` characters of `text`: input the first `length`, target the next
/// character at each position. Test windows come from the end of the text, so no test
/// character is seen in training.
pub fn char_language_model(
    text: &str,
    vocab: &Vocab,
    length: usize,
    train: usize,
    test: usize,
    test_fraction: f32,
    rng: &mut Rng,
) -> SequenceData {
    let mut chars = [0u8; 4];
    let ids: Vec<u32> = text
        .chars()
        .map(|c| vocab.id(c.encode_utf8(&mut chars)))
        .collect();
    let split = (ids.len() as f32 * (1.0 - test_fraction)) as usize;
    let l = length;
    let mut window = |lo: usize, hi: usize| {
        let start = lo + rng.below(hi - lo - l);
        Example {
            input: ids[start..start + l].to_vec(),
            target: ids[start + 1..start + l + 1].to_vec(),
        }
    };
    let train = (0..train).map(|_| window(0, split)).collect();
    let test = (0..test).map(|_| window(split, ids.len())).collect();
    SequenceData {
        kind: SequenceKind::Lm,
        input_vocab: vocab.tokens.clone(),
        output_vocab: vocab.tokens.clone(),
        length: l,
        train,
        test,
    }
}

/// An uploaded text as a character-level language-modelling task, its vocabulary built from
/// the train part of the text with `<pad>` and `<unk>`.
pub fn uploaded_language_model(
    name: &str,
    text: &str,
    length: usize,
    sequences: usize,
    test_fraction: f32,
    seed: u64,
) -> Result<SequenceData, TableError> {
    if !(2..=MAX_LENGTH).contains(&length) {
        return Err(TableError::file(
            name,
            format!("sequence length must be 2-{MAX_LENGTH}, got {length}"),
        ));
    }
    if !(10..=20_000).contains(&sequences) || !(0.05..=0.5).contains(&test_fraction) {
        return Err(TableError::file(
            name,
            format!(
                "needs 10-20000 sequences and a test fraction of 0.05-0.5, got {sequences} and \
                 {test_fraction}"
            ),
        ));
    }
    let n = text.chars().count();
    let need = min_chars(length, test_fraction);
    if n < need {
        return Err(TableError::file(
            name,
            format!(
                "is too short for sequences of {length} characters: it has {n} characters and \
                 needs at least {need}; choose a shorter length or a longer text"
            ),
        ));
    }
    let split = (n as f32 * (1.0 - test_fraction)) as usize;
    let train_text: String = text.chars().take(split).collect();
    let mut buf = Vec::new();
    let vocab = Vocab::with_specials(
        {
            buf.extend(train_text.chars().map(String::from));
            buf.iter().map(String::as_str)
        },
        CHAR_VOCAB_MAX,
    );
    let n_test = ((sequences as f32 * test_fraction).round() as usize).clamp(1, sequences - 1);
    let mut rng = Rng::new(seed);
    Ok(char_language_model(
        text,
        &vocab,
        length,
        sequences - n_test,
        n_test,
        test_fraction,
        &mut rng,
    ))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum TokenUnit {
    Char,
    Word,
}

/// How a text column becomes token ids.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct TokenChoices {
    /// The text column.
    pub column: String,
    pub unit: TokenUnit,
    /// Tokens kept (most frequent in the train split); the rest become `<unk>`.
    pub vocab_size: usize,
    /// Texts are cut or padded with `<pad>` to this many tokens.
    pub max_length: usize,
}

impl Default for TokenChoices {
    fn default() -> Self {
        Self {
            column: String::new(),
            unit: TokenUnit::Word,
            vocab_size: 2000,
            max_length: 32,
        }
    }
}

fn tokens(text: &str, unit: TokenUnit) -> Vec<String> {
    match unit {
        TokenUnit::Char => text.chars().map(String::from).collect(),
        TokenUnit::Word => text
            .split(|c: char| !c.is_alphanumeric() && c != '\'')
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect(),
    }
}

/// A table's text column and a categorical target as sequence classification: one label per
/// text, the vocabulary from the train split only.
pub fn text_classification(
    t: &Table,
    schema: &Schema,
    choices: &TableChoices,
    tok: &TokenChoices,
) -> Result<SequenceData, TableError> {
    if !(2..=MAX_LENGTH).contains(&tok.max_length) {
        return Err(TableError::file(
            &t.name,
            format!(
                "maximum length must be 2-{MAX_LENGTH} tokens, got {}",
                tok.max_length
            ),
        ));
    }
    if !(2..=20_000).contains(&tok.vocab_size) {
        return Err(TableError::file(
            &t.name,
            format!("vocabulary size must be 2-20000, got {}", tok.vocab_size),
        ));
    }
    let text_col = t.column_index(&tok.column).ok_or_else(|| {
        TableError::file(&t.name, format!("has no column named '{}'", tok.column))
    })?;
    let target_name = if choices.target.is_empty() {
        schema.default_target.clone().unwrap_or_default()
    } else {
        choices.target.clone()
    };
    let target = schema.target(t, &target_name, Some(TaskChoice::Classification))?;
    let y_col = t
        .column_index(&target_name)
        .expect("the target is a column");
    if y_col == text_col {
        return Err(TableError::column(
            &t.name,
            &tok.column,
            "is the target; it cannot be the input too",
        ));
    }
    let class_index: HashMap<&str, u32> = target
        .classes
        .iter()
        .enumerate()
        .map(|(i, (n, _))| (n.as_str(), i as u32))
        .collect();
    let mut rows = Vec::new();
    let mut labels = Vec::new();
    for r in 0..t.rows() {
        let y = t.cell(r, y_col).trim();
        let x = t.cell(r, text_col);
        let missing_text = super::table::is_missing_cell(x);
        if super::table::is_missing_cell(y) || (missing_text && choices.missing == Missing::Drop) {
            continue;
        }
        rows.push(r);
        labels.push(f64::from(class_index[y]));
    }
    let (train, test) = super::table::split(
        &labels,
        Some(target.classes.len()),
        choices.test_fraction,
        choices.seed,
    )
    .map_err(|e| TableError::file(&t.name, e))?;
    let tokenised: Vec<Vec<String>> = rows
        .iter()
        .map(|&r| tokens(t.cell(r, text_col), tok.unit))
        .collect();
    let vocab = Vocab::with_specials(
        train
            .iter()
            .flat_map(|&i| tokenised[i].iter().map(String::as_str)),
        tok.vocab_size,
    );
    let example = |i: usize| {
        let mut input: Vec<u32> = tokenised[i]
            .iter()
            .take(tok.max_length)
            .map(|w| vocab.id(w))
            .collect();
        input.resize(tok.max_length, 0); // <pad>
        Example {
            input,
            target: vec![labels[i] as u32],
        }
    };
    Ok(SequenceData {
        kind: SequenceKind::Classification,
        input_vocab: vocab.tokens.clone(),
        output_vocab: target.classes.into_iter().map(|(n, _)| n).collect(),
        length: tok.max_length,
        train: train.into_iter().map(example).collect(),
        test: test.into_iter().map(example).collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_tokens_map_to_unk_and_pad_is_zero() {
        let v = Vocab::with_specials(["b", "a", "b", "c"].into_iter(), 2);
        assert_eq!(v.tokens, ["<pad>", "<unk>", "a", "b"]);
        assert_eq!((v.id("b"), v.id("c"), v.id("zzz")), (3, 1, 1));
    }

    #[test]
    fn words_are_lowercased_and_split_on_punctuation() {
        assert_eq!(
            tokens("Don't stop, NOW!", TokenUnit::Word),
            ["don't", "stop", "now"]
        );
        assert_eq!(tokens("ab", TokenUnit::Char), ["a", "b"]);
    }
}
