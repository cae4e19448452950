//! A text the user types into a text classifier (issue 19, item 1): cut into tokens as its
//! training texts were (characters, or lowercased words), each the id of the training
//! vocabulary or `<unk>`, then cut or padded with `<pad>` to the model's length.

use super::SequenceData;
use super::text::{PAD, UNK, each_token};

/// A typed text as the classifier's input.
#[derive(Debug, Clone, PartialEq)]
pub struct TypedText {
    /// `length` ids: the text's first tokens, then `<pad>`.
    pub ids: Vec<u32>,
    /// The tokens the model reads, as the vocabulary writes them (`<unk>` for an unknown one).
    pub tokens: Vec<String>,
    /// The text's tokens outside the vocabulary (read as `<unk>`), each once, in order.
    pub unknown: Vec<String>,
    /// Tokens past the model's length, left out.
    pub cut: usize,
}

/// `text` as input of the text classifier `data` trains, or None when `data` is not one.
pub fn typed_text(data: &SequenceData, text: &str) -> Option<TypedText> {
    let unit = data.text_unit?;
    let vocab = &data.input_vocab;
    let (pad, unk) = (position(vocab, PAD)?, position(vocab, UNK)?);
    let index: std::collections::HashMap<&str, u32> = vocab
        .iter()
        .enumerate()
        .map(|(i, t)| (t.as_str(), i as u32))
        .collect();
    let mut typed = TypedText {
        ids: Vec::with_capacity(data.length),
        tokens: Vec::new(),
        unknown: Vec::new(),
        cut: 0,
    };
    each_token(text, unit, |token| {
        if typed.ids.len() == data.length {
            typed.cut += 1;
            return;
        }
        // The specials' own spellings are text here, not specials.
        let known = index
            .get(token)
            .copied()
            .filter(|id| *id != pad && *id != unk);
        if known.is_none() && !typed.unknown.iter().any(|u| u == token) {
            typed.unknown.push(token.to_string());
        }
        let id = known.unwrap_or(unk);
        typed.ids.push(id);
        typed.tokens.push(vocab[id as usize].clone());
    });
    typed.ids.resize(data.length, pad);
    Some(typed)
}

fn position(vocab: &[String], token: &str) -> Option<u32> {
    vocab.iter().position(|t| t == token).map(|i| i as u32)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::SequenceKind;
    use crate::data::text::TokenUnit;

    fn classifier(unit: TokenUnit, length: usize) -> SequenceData {
        SequenceData {
            kind: SequenceKind::Classification,
            input_vocab: ["<pad>", "<unk>", "bad", "good", "movie"]
                .map(String::from)
                .to_vec(),
            output_vocab: vec!["neg".into(), "pos".into()],
            length,
            train: vec![],
            test: vec![],
            text_unit: Some(unit),
        }
    }

    #[test]
    fn words_are_read_as_training_read_them_and_padded() {
        let typed =
            typed_text(&classifier(TokenUnit::Word, 6), "A GOOD movie, a good one!").unwrap();
        assert_eq!(typed.ids, [1, 3, 4, 1, 3, 1]);
        assert_eq!(typed.unknown, ["a", "one"]);
        assert_eq!(typed.cut, 0);
        let short = typed_text(&classifier(TokenUnit::Word, 4), "bad").unwrap();
        assert_eq!(short.ids, [2, 0, 0, 0]);
        assert_eq!(short.tokens, ["bad"]);
    }

    #[test]
    fn a_text_past_the_length_is_cut_and_specials_are_text() {
        let typed = typed_text(&classifier(TokenUnit::Word, 2), "good <pad> bad movie").unwrap();
        assert_eq!(typed.ids, [3, 1]);
        assert_eq!(typed.cut, 2);
        assert_eq!(typed.unknown, ["pad"]);
    }

    #[test]
    fn only_a_text_classifier_takes_typed_text() {
        let mut data = classifier(TokenUnit::Char, 4);
        data.text_unit = None;
        assert!(typed_text(&data, "good").is_none());
    }
}
