//! Text as tokens: a vocabulary (with `<pad>` and `<unk>` for uploads), the character-level
//! language-modelling task over any text (the bundled sonnets or a user's .txt), and a table's
//! text column tokenised by characters or words for sequence classification.

use super::table::{Missing, Schema, Table, TableChoices, TableError, TaskChoice, error};
use super::{Example, Rng, SequenceData, SequenceKind};
use crate::error::Field;
use crate::model::transformer::MAX_LENGTH;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::HashMap;

pub const PAD: &str = "<pad>";
pub const UNK: &str = "<unk>";
/// Characters of an uploaded text beyond the most frequent this many become `<unk>`.
pub const CHAR_VOCAB_MAX: usize = 256;
/// A text column's vocabulary size at most (its tokens beyond `<pad>` and `<unk>`).
pub const VOCAB_MAX: usize = 20_000;
/// Token ids a text column's sequences may hold in all (texts × maximum length), checked before
/// they are allocated: 4 bytes each, so 32 MB, as much again as the model's batches need.
pub const MAX_TOKENS: usize = 1 << 23;

/// The text with CR LF and lone CR (old Mac files) line ends written as LF, so a model and the
/// preview see one kind of line end. One pass, one allocation of the text's size.
pub fn with_newlines(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find('\r') {
        out.push_str(&rest[..i]);
        out.push('\n');
        rest = rest[i + 1..].strip_prefix('\n').unwrap_or(&rest[i + 1..]);
    }
    out.push_str(rest);
    out
}

/// Each character of `text` as a slice of it: a token without an allocation.
fn chars_of(text: &str) -> impl Iterator<Item = &str> {
    text.char_indices().map(|(i, c)| &text[i..i + c.len_utf8()])
}

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
        Self::from_counts(counts.into_iter(), cap)
    }

    /// `with_specials` from each distinct token's count (a token counted 0 times is left out).
    pub fn from_counts<'a>(counts: impl Iterator<Item = (&'a str, usize)>, cap: usize) -> Self {
        let mut by_count: Vec<(&str, usize)> = counts.filter(|(_, n)| *n > 0).collect();
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
    // Exactly one id per character: collecting from `chars()` would grow by doubling.
    let mut ids: Vec<u32> = Vec::with_capacity(text.chars().count());
    ids.extend(chars_of(text).map(|c| vocab.id(c)));
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
        text_unit: None,
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
    let file = || ("file", Field::from(name));
    if !(2..=MAX_LENGTH).contains(&length) {
        return Err(TableError::new(
            &error::SEQUENCE_LENGTH,
            [
                file(),
                ("max", Field::plain(MAX_LENGTH)),
                ("length", Field::plain(length)),
            ],
        ));
    }
    if !(10..=20_000).contains(&sequences) || !(0.05..=0.5).contains(&test_fraction) {
        return Err(TableError::new(
            &error::SEQUENCE_COUNT,
            [
                file(),
                ("sequences", Field::plain(sequences)),
                ("fraction", Field::plain(test_fraction)),
            ],
        ));
    }
    let n = text.chars().count();
    let need = min_chars(length, test_fraction);
    if n < need {
        return Err(TableError::new(
            &error::TEXT_TOO_SHORT,
            [
                file(),
                ("length", Field::plain(length)),
                ("chars", Field::plain(n)),
                ("need", Field::plain(need)),
            ],
        ));
    }
    let split = (n as f32 * (1.0 - test_fraction)) as usize;
    let split_at = text
        .char_indices()
        .nth(split)
        .map_or(text.len(), |(i, _)| i);
    let vocab = Vocab::with_specials(chars_of(&text[..split_at]), CHAR_VOCAB_MAX);
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

/// Calls `each` with every token of `text`: its characters, or its words lowercased. A token
/// borrows the text unless lowercasing changed it.
pub(crate) fn each_token(text: &str, unit: TokenUnit, mut each: impl FnMut(&str)) {
    match unit {
        TokenUnit::Char => chars_of(text).for_each(each),
        TokenUnit::Word => text
            .split(|c: char| !c.is_alphanumeric() && c != '\'')
            .filter(|w| !w.is_empty())
            .map(|w| match w.chars().any(char::is_uppercase) {
                true => Cow::Owned(w.to_lowercase()),
                false => Cow::Borrowed(w),
            })
            .for_each(|w| each(&w)),
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
    let file = || ("file", Field::from(t.name.as_str()));
    let column = || ("column", Field::from(tok.column.as_str()));
    if !(2..=MAX_LENGTH).contains(&tok.max_length) {
        return Err(TableError::new(
            &error::MAX_LENGTH,
            [
                file(),
                ("max", Field::plain(MAX_LENGTH)),
                ("length", Field::plain(tok.max_length)),
            ],
        ));
    }
    if !(2..=VOCAB_MAX).contains(&tok.vocab_size) {
        return Err(TableError::new(
            &error::VOCABULARY_SIZE,
            [
                file(),
                ("max", Field::plain(VOCAB_MAX)),
                ("size", Field::plain(tok.vocab_size)),
            ],
        ));
    }
    let text_col = t
        .column_index(&tok.column)
        .ok_or_else(|| TableError::new(&error::NO_SUCH_COLUMN, [file(), column()]))?;
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
        return Err(TableError::new(&error::INPUT_IS_TARGET, [file(), column()]));
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
    .map_err(|usable| {
        TableError::new(
            &error::TOO_FEW_ROWS,
            [file(), ("rows", Field::plain(usable))],
        )
    })?;
    // Checked before any token is kept: every text becomes `max_length` ids.
    if rows.len().saturating_mul(tok.max_length) > MAX_TOKENS {
        return Err(TableError::new(
            &error::TOO_MANY_TOKENS,
            [
                file(),
                column(),
                ("texts", rows.len().into()),
                ("length", Field::plain(tok.max_length)),
                ("tokens", (rows.len() * tok.max_length).into()),
                ("limit", MAX_TOKENS.into()),
            ],
        ));
    }
    // Each text is tokenised once: its first `max_length` tokens kept as ids of the distinct
    // tokens seen (`seen`), every token of a train text counted; the vocabulary is then chosen
    // from the counts and the ids mapped onto it.
    let mut train_row = vec![false; rows.len()];
    train.iter().for_each(|&i| train_row[i] = true);
    let mut seen: HashMap<String, u32> = HashMap::new();
    let mut counts: Vec<usize> = Vec::new();
    let mut inputs: Vec<Vec<u32>> = Vec::with_capacity(rows.len());
    for (i, &r) in rows.iter().enumerate() {
        let mut input = Vec::with_capacity(tok.max_length);
        each_token(t.cell(r, text_col), tok.unit, |token| {
            let id = match seen.get(token) {
                Some(id) => *id,
                None => {
                    seen.insert(token.to_string(), counts.len() as u32);
                    counts.push(0);
                    counts.len() as u32 - 1
                }
            };
            counts[id as usize] += usize::from(train_row[i]);
            if input.len() < tok.max_length {
                input.push(id);
            }
        });
        inputs.push(input);
    }
    let vocab = Vocab::from_counts(
        seen.iter()
            .map(|(token, id)| (token.as_str(), counts[*id as usize])),
        tok.vocab_size,
    );
    let to_vocab: Vec<u32> = {
        let mut v = vec![0; counts.len()];
        seen.iter()
            .for_each(|(token, id)| v[*id as usize] = vocab.id(token));
        v
    };
    drop(seen);
    let mut example = |i: usize| {
        let mut input = std::mem::take(&mut inputs[i]);
        input.iter_mut().for_each(|id| *id = to_vocab[*id as usize]);
        input.resize(tok.max_length, 0); // <pad>
        Example {
            input,
            target: vec![labels[i] as u32],
        }
    };
    let train: Vec<Example> = train.into_iter().map(&mut example).collect();
    let test: Vec<Example> = test.into_iter().map(&mut example).collect();
    Ok(SequenceData {
        kind: SequenceKind::Classification,
        input_vocab: vocab.tokens.clone(),
        output_vocab: target.classes.into_iter().map(|(n, _)| n).collect(),
        length: tok.max_length,
        train,
        test,
        text_unit: Some(tok.unit),
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

    fn tokens(text: &str, unit: TokenUnit) -> Vec<String> {
        let mut out = Vec::new();
        each_token(text, unit, |t| out.push(t.to_string()));
        out
    }

    #[test]
    fn words_are_lowercased_and_split_on_punctuation() {
        assert_eq!(
            tokens("Don't stop, NOW!", TokenUnit::Word),
            ["don't", "stop", "now"]
        );
        assert_eq!(tokens("ab", TokenUnit::Char), ["a", "b"]);
    }

    #[test]
    fn cr_and_crlf_become_lf() {
        assert_eq!(with_newlines("a\rb\r\nc\n\rd\r"), "a\nb\nc\n\nd\n");
    }
}
