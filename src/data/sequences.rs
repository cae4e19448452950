//! Sequence tasks for the transformer, each generated from a seed: reverse, sort, copy with a
//! shift, running count, balanced brackets, and character-level language modelling on a bundled
//! public-domain text (assets/sonnets.txt).

use super::Rng;
use super::text::{Vocab, char_language_model};
use crate::model::transformer::MAX_LENGTH;
use serde::{Deserialize, Serialize};

use crate::error::{UserError, Wording};
use crate::settings::out_of_range;

static LENGTH: Wording = Wording::new("length-range", "length must be 2-{max}, got {value}");
static SYMBOL_COUNT: Wording =
    Wording::new("symbols-range", "symbols must be 2-{max}, got {value}");
static SEQUENCES: Wording =
    Wording::new("sequences-range", "sequences must be 10-{max}, got {value}");
static TEST_FRACTION: Wording = Wording::new(
    "sequence-test-fraction",
    "test fraction must be 0.05-{max}, got {value}",
);
static BRACKETS_EVEN: Wording = Wording::new(
    "brackets-even",
    "balanced brackets need an even length, got {value}",
);
static TEXT_LENGTH: Wording = Wording::new(
    "text-length",
    "length {value} is too long for the bundled text",
);

/// Input symbols of the synthetic tasks, in order.
const SYMBOLS: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789#@";
pub const CORPUS: &str = include_str!("../../assets/sonnets.txt");

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum SequenceTask {
    Reverse,
    Sort,
    /// target[i] = input[(i - shift) mod length]
    Shift,
    /// target[i] = occurrences of input[i] in input[..=i]
    Count,
    /// Is the string of brackets balanced? One label per sequence.
    Brackets,
    /// Next character, at every position.
    Text,
}

/// How targets relate to positions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum SequenceKind {
    /// One target token per input position.
    Seq2seq,
    /// One label per sequence.
    Classification,
    /// One target per position, the next token: a causal language model.
    Lm,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct SequenceDataConfig {
    pub task: SequenceTask,
    /// Distinct input tokens of reverse, sort, shift and count (2-64).
    pub symbols: usize,
    pub length: usize,
    pub shift: usize,
    pub sequences: usize,
    pub test_fraction: f32,
    pub seed: u64,
}

impl Default for SequenceDataConfig {
    fn default() -> Self {
        Self {
            task: SequenceTask::Reverse,
            symbols: 16,
            length: 8,
            shift: 1,
            sequences: 2000,
            test_fraction: 0.2,
            seed: 1,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Example {
    pub input: Vec<u32>,
    /// `length` tokens, or one label for classification.
    pub target: Vec<u32>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SequenceData {
    pub kind: SequenceKind,
    pub input_vocab: Vec<String>,
    pub output_vocab: Vec<String>,
    pub length: usize,
    pub train: Vec<Example>,
    pub test: Vec<Example>,
    /// A text classifier's token unit, for texts the user types (`typed_text`); None where the
    /// inputs are not texts of one (a built-in task, a language model's windows).
    pub text_unit: Option<super::text::TokenUnit>,
}

impl SequenceDataConfig {
    pub fn validate(&self) -> Result<(), UserError> {
        if !(2..=MAX_LENGTH).contains(&self.length) {
            return Err(out_of_range(&LENGTH, MAX_LENGTH, self.length));
        }
        if !(2..=SYMBOLS.len()).contains(&self.symbols) {
            return Err(out_of_range(&SYMBOL_COUNT, SYMBOLS.len(), self.symbols));
        }
        if !(10..=20_000).contains(&self.sequences) {
            return Err(out_of_range(&SEQUENCES, 20000, self.sequences));
        }
        if !(0.05..=0.9).contains(&self.test_fraction) {
            return Err(out_of_range(&TEST_FRACTION, 0.9, self.test_fraction));
        }
        if self.task == SequenceTask::Brackets && self.length % 2 == 1 {
            return Err(out_of_range(&BRACKETS_EVEN, "", self.length));
        }
        if self.task == SequenceTask::Text && self.length + 1 > CORPUS.chars().count() / 4 {
            return Err(out_of_range(&TEXT_LENGTH, "", self.length));
        }
        Ok(())
    }

    pub fn kind(&self) -> SequenceKind {
        match self.task {
            SequenceTask::Brackets => SequenceKind::Classification,
            SequenceTask::Text => SequenceKind::Lm,
            _ => SequenceKind::Seq2seq,
        }
    }

    pub fn generate(&self) -> Result<SequenceData, UserError> {
        self.validate()?;
        let mut rng = Rng::new(self.seed);
        let n_test = ((self.sequences as f32 * self.test_fraction).round() as usize)
            .clamp(1, self.sequences - 1);
        let symbols: Vec<String> = SYMBOLS
            .chars()
            .take(self.symbols)
            .map(String::from)
            .collect();
        let (input_vocab, output_vocab, mut all): (Vec<String>, Vec<String>, Vec<Example>) =
            match self.task {
                SequenceTask::Text => return Ok(self.text(n_test, &mut rng)),
                SequenceTask::Brackets => (
                    vec!["(".into(), ")".into()],
                    vec!["balanced".into(), "unbalanced".into()],
                    (0..self.sequences)
                        .map(|i| brackets(self.length, i % 2 == 0, &mut rng))
                        .collect(),
                ),
                SequenceTask::Count => (
                    symbols,
                    (1..=self.length).map(|n| n.to_string()).collect(),
                    (0..self.sequences)
                        .map(|_| self.synthetic(&mut rng))
                        .collect(),
                ),
                _ => (
                    symbols.clone(),
                    symbols,
                    (0..self.sequences)
                        .map(|_| self.synthetic(&mut rng))
                        .collect(),
                ),
            };
        let test = all.split_off(all.len() - n_test);
        Ok(SequenceData {
            kind: self.kind(),
            input_vocab,
            output_vocab,
            length: self.length,
            train: all,
            test,
            text_unit: None,
        })
    }

    fn synthetic(&self, rng: &mut Rng) -> Example {
        let input: Vec<u32> = (0..self.length)
            .map(|_| rng.below(self.symbols) as u32)
            .collect();
        let l = self.length;
        let target = match self.task {
            SequenceTask::Reverse => input.iter().rev().copied().collect(),
            SequenceTask::Sort => {
                let mut sorted = input.clone();
                sorted.sort();
                sorted
            }
            SequenceTask::Shift => (0..l)
                .map(|i| input[(i + l - self.shift % l) % l])
                .collect(),
            // count n is output token n - 1
            SequenceTask::Count => (0..l)
                .map(|i| input[..=i].iter().filter(|t| **t == input[i]).count() as u32 - 1)
                .collect(),
            SequenceTask::Brackets | SequenceTask::Text => {
                unreachable!("not a synthetic token task")
            }
        };
        Example { input, target }
    }

    /// Next-character prediction on the bundled text, its vocabulary the text's characters
    /// (no `<pad>` or `<unk>`: every character is known). See `text::char_language_model`.
    fn text(&self, n_test: usize, rng: &mut Rng) -> SequenceData {
        let mut vocab: Vec<char> = CORPUS.chars().collect();
        vocab.sort();
        vocab.dedup();
        let vocab = Vocab::plain(vocab.into_iter().map(String::from).collect());
        char_language_model(
            CORPUS,
            &vocab,
            self.length,
            self.sequences - n_test,
            n_test,
            self.test_fraction,
            rng,
        )
    }
}

/// A balanced string of `length` brackets, or (half the time) one made unbalanced by flipping
/// one bracket, which always unbalances it (the count of '(' changes by one).
fn brackets(length: usize, balanced: bool, rng: &mut Rng) -> Example {
    // A random Dyck word: open while we may, close while we must or choose to.
    let mut input = Vec::with_capacity(length);
    let mut depth = 0;
    for i in 0..length {
        let left = length - i;
        let open = depth == 0 || (depth < left - 1 && rng.uniform() < 0.5);
        input.push(if open { 0 } else { 1 });
        depth = if open { depth + 1 } else { depth - 1 };
    }
    if !balanced {
        let i = rng.below(length);
        input[i] = 1 - input[i];
    }
    Example {
        input,
        target: vec![u32::from(!balanced)],
    }
}

/// Whether a bracket string (0 = '(', 1 = ')') is balanced.
pub fn is_balanced(input: &[u32]) -> bool {
    let mut depth = 0i32;
    for t in input {
        depth += if *t == 0 { 1 } else { -1 };
        if depth < 0 {
            return false;
        }
    }
    depth == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data(task: SequenceTask) -> SequenceData {
        SequenceDataConfig {
            task,
            sequences: 100,
            ..Default::default()
        }
        .generate()
        .unwrap()
    }

    #[test]
    fn targets_follow_their_rule() {
        for e in data(SequenceTask::Reverse).train {
            assert_eq!(e.target, e.input.iter().rev().copied().collect::<Vec<_>>());
        }
        for e in data(SequenceTask::Sort).train {
            assert!(e.target.windows(2).all(|w| w[0] <= w[1]));
        }
        for e in data(SequenceTask::Shift).train {
            assert_eq!(e.target[1..], e.input[..7]);
            assert_eq!(e.target[0], e.input[7]);
        }
        let d = data(SequenceTask::Count);
        assert_eq!(d.output_vocab[..3], ["1", "2", "3"]);
        for e in d.train {
            for i in 0..8 {
                let seen = e.input[..=i].iter().filter(|t| **t == e.input[i]).count();
                assert_eq!(d.output_vocab[e.target[i] as usize], seen.to_string());
            }
        }
    }

    #[test]
    fn brackets_labels_are_right_and_balanced() {
        let d = data(SequenceTask::Brackets);
        assert_eq!(d.output_vocab, vec!["balanced", "unbalanced"]);
        let mut balanced = 0;
        for e in d.train.iter().chain(&d.test) {
            assert_eq!(is_balanced(&e.input), e.target[0] == 0);
            balanced += usize::from(e.target[0] == 0);
        }
        assert_eq!(balanced, 50);
    }

    #[test]
    fn text_windows_predict_the_next_character() {
        let d = SequenceDataConfig {
            task: SequenceTask::Text,
            length: 16,
            sequences: 50,
            ..Default::default()
        }
        .generate()
        .unwrap();
        assert_eq!(d.kind, SequenceKind::Lm);
        assert!(d.input_vocab.len() > 30);
        for e in &d.train {
            assert_eq!(e.input[1..], e.target[..15]);
        }
        assert_eq!((d.train.len(), d.test.len()), (40, 10));
    }

    #[test]
    fn bad_settings_are_refused_with_a_reason() {
        let c = SequenceDataConfig {
            length: 200,
            ..Default::default()
        };
        assert_eq!(
            c.validate().unwrap_err().to_string(),
            "length must be 2-128, got 200"
        );
        let c = SequenceDataConfig {
            task: SequenceTask::Brackets,
            length: 7,
            ..Default::default()
        };
        assert!(
            c.validate()
                .unwrap_err()
                .to_string()
                .contains("even length")
        );
    }
}
