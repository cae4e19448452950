//! The errors in a user's file, each naming the file and, where it applies, the line and
//! column, so the message says where to look: "penguins.csv, line 17, column 'mass': 'n/a' is
//! not a number". Each is a `Wording` of the page's catalogue (crate::error): its code, and its
//! English with the fields the page fills in the user's language.

use crate::error::{UserError, Wording};

/// An error in a user's file (or in the choices made for it).
pub type TableError = UserError;

type W = Wording;

// Reading: size, encoding, format.
pub static FILE_TOO_LARGE: W = W::new("file-too-large", "{file} is {size}; the limit is {limit}");
pub static EMPTY: W = W::new("file-empty", "{file} is empty");
pub static BINARY: W = W::new(
    "file-binary",
    "{file} looks like a binary file, not text (it holds NUL bytes); a spreadsheet must be saved as CSV, and text as UTF-8",
);
pub static NOT_UTF8: W = W::new(
    "file-not-utf8",
    "{file}, line {line}: is not UTF-8 (byte 0x{byte} at offset {offset}); save the file as UTF-8",
);
pub static RAGGED_ROW: W = W::new(
    "ragged-row",
    "{file}, line {line}: has {fields} fields; the first line has {width}",
);
pub static QUOTE_NOT_CLOSED: W = W::new(
    "quote-not-closed",
    "{file}, line {line}: a quote opened here is never closed",
);
pub static TEXT_AFTER_QUOTE: W = W::new(
    "text-after-quote",
    "{file}, line {line}: text after a closing quote; a quote inside a quoted field is written twice (\"\")",
);
pub static HEADER_EMPTY_NAME: W = W::new(
    "header-empty-name",
    "{file}, line {line}: column {index} has an empty name in the header",
);
pub static HEADER_TWICE: W = W::new(
    "header-twice",
    "{file}, line {line}: the header names column '{column}' twice (columns {first} and {second})",
);
pub static NO_DATA_ROWS: W = W::new("no-data-rows", "{file} has no data rows");
pub static HEADER_ONLY: W = W::new("header-only", "{file} has a header but no data rows");
pub static NOT_JSON_OBJECT: W = W::new(
    "not-json-object",
    "{file}, line {line}: is not a JSON object ({detail}); JSON Lines holds one object per line",
);
pub static NESTED_VALUE: W = W::new(
    "nested-value",
    "{file}, line {line}, column '{column}': holds a list or an object; only flat objects (text, numbers, true/false, null) can be read",
);

// Limits: rows, columns, cells.
pub static TOO_MANY_ROWS: W = W::new(
    "too-many-rows",
    "{file} has {rows} data rows; the limit is {limit}",
);
pub static OVER_ROW_LIMIT: W = W::new(
    "over-row-limit",
    "{file} has more than {limit} data rows; the limit is {limit}",
);
pub static OVER_JSONL_ROW_LIMIT: W = W::new(
    "over-jsonl-row-limit",
    "{file} has more than {limit} rows; the limit is {limit}",
);
pub static TOO_MANY_COLUMNS: W = W::new(
    "too-many-columns",
    "{file} has {columns} columns; the limit is {limit}: leave out the columns you do not need",
);
pub static TOO_MANY_KEYS: W = W::new(
    "too-many-keys",
    "{file}, line {line}, column '{column}': is key number {number}; the limit is {limit} keys (columns) in all: give the rows the same few keys, or leave out the rare ones",
);
pub static TOO_MANY_CELLS: W = W::new(
    "too-many-cells",
    "{file} has {rows} rows of {columns} columns ({cells} cells); the limit is {limit} cells (rows × columns): leave out columns or rows you do not need",
);
pub static OVER_CELL_LIMIT: W = W::new(
    "over-cell-limit",
    "{file} has more than {rows} rows of {columns} columns; the limit is {limit} cells (rows × columns): leave out columns or rows you do not need",
);
pub static SPARSE_KEYS: W = W::new(
    "sparse-keys",
    "{file} has {rows} rows and {keys} keys, most missing from most rows: as a table that is {cells} cells, more than the file's {bytes} bytes (the limit is one cell per byte); give the rows the same keys, or leave out the rare ones",
);

// Values of a numeric column (schema): the first stray value, how many there are, a hint.
pub static NOT_A_NUMBER: W = W::new(
    "not-a-number",
    "{file}, line {line}, column '{column}': '{value}' is not a number; the other values in this column are numbers (leave missing values empty or write NA)",
);
pub static NOT_A_NUMBER_COMMA: W = W::new(
    "not-a-number-comma",
    "{file}, line {line}, column '{column}': '{value}' is not a number; the other values in this column are numbers (a decimal comma? write numbers with a point: 1.5)",
);
pub static NOT_NUMBERS: W = W::new(
    "not-numbers",
    "{file}, line {line}, column '{column}': '{value}' is not a number; {count} values in this column are not numbers, the others are (leave missing values empty or write NA)",
);
pub static NOT_NUMBERS_COMMA: W = W::new(
    "not-numbers-comma",
    "{file}, line {line}, column '{column}': '{value}' is not a number; {count} values in this column are not numbers, the others are (a decimal comma? write numbers with a point: 1.5)",
);

// The choices: target, features, split.
pub static NO_SUCH_COLUMN: W = W::new("no-such-column", "{file} has no column named '{column}'");
pub static NO_TARGET: W = W::new(
    "no-target",
    "{file} has no column that can be a target (numeric or categorical)",
);
pub static NO_FEATURES: W = W::new(
    "no-features",
    "{file} has no feature column chosen: choose at least one numeric or categorical column",
);
pub static FEATURE_IS_TARGET: W = W::new(
    "feature-is-target",
    "{file}, column '{column}': is the target; it cannot be a feature too",
);
pub static FEATURE_EMPTY: W = W::new(
    "feature-empty",
    "{file}, column '{column}': is empty in every row; it cannot be a feature",
);
pub static FEATURE_TEXT: W = W::new(
    "feature-text",
    "{file}, column '{column}': is free text; the MLP takes numbers and categories (text is for a sequence model)",
);
pub static TARGET_EMPTY: W = W::new(
    "target-empty",
    "{file}, column '{column}': is empty in every row, so it cannot be the target",
);
pub static TARGET_NOT_NUMERIC: W = W::new(
    "target-not-numeric",
    "{file}, column '{column}': is not numeric, so it cannot be a regression target; choose classification",
);
pub static TOO_MANY_CLASSES: W = W::new(
    "too-many-classes",
    "{file}, column '{column}': has {classes} classes; the limit is {limit}",
);
pub static TOO_MANY_CLASSES_NUMERIC: W = W::new(
    "too-many-classes-numeric",
    "{file}, column '{column}': has {classes} classes; the limit is {limit}; for a numeric target choose regression",
);
pub static OVER_CLASS_LIMIT: W = W::new(
    "over-class-limit",
    "{file}, column '{column}': has more than {classes} classes; the limit is {limit}",
);
pub static OVER_CLASS_LIMIT_NUMERIC: W = W::new(
    "over-class-limit-numeric",
    "{file}, column '{column}': has more than {classes} classes; the limit is {limit}; for a numeric target choose regression",
);
pub static ONE_CLASS: W = W::new(
    "one-class",
    "{file}, column '{column}': has only one class, '{class}': there is nothing to tell apart",
);
pub static TEST_FRACTION: W = W::new(
    "test-fraction",
    "{file}: test fraction must be 0.05-0.5, got {value}",
);
pub static TOO_FEW_ROWS: W = W::new(
    "too-few-rows",
    "{file} has {rows} usable rows; at least 2 are needed (one to train, one to test)",
);
pub static TOO_FEW_ROWS_DROPPED: W = W::new(
    "too-few-rows-dropped",
    "{file} has {rows} usable rows; at least 2 are needed (one to train, one to test) ({dropped} rows left out for missing values)",
);
pub static TOO_MANY_INPUTS: W = W::new(
    "too-many-inputs",
    "{file} has {rows} rows of {inputs} inputs ({features} features, {categorical} of them categorical: an input per category), {values} values; the limit is {limit}: choose fewer features, categorical ones above all",
);

// A text, or a table's text column, for a sequence model.
pub static SEQUENCE_LENGTH: W = W::new(
    "sequence-length",
    "{file}: sequence length must be 2-{max}, got {length}",
);
pub static SEQUENCE_COUNT: W = W::new(
    "sequence-count",
    "{file}: needs 10-20000 sequences and a test fraction of 0.05-0.5, got {sequences} and {fraction}",
);
pub static TEXT_TOO_SHORT: W = W::new(
    "text-too-short",
    "{file} is too short for sequences of {length} characters: it has {chars} characters and needs at least {need}; choose a shorter length or a longer text",
);
pub static MAX_LENGTH: W = W::new(
    "max-length",
    "{file}: maximum length must be 2-{max} tokens, got {length}",
);
pub static VOCABULARY_SIZE: W = W::new(
    "vocabulary-size",
    "{file}: vocabulary size must be 2-{max}, got {size}",
);
pub static INPUT_IS_TARGET: W = W::new(
    "input-is-target",
    "{file}, column '{column}': is the target; it cannot be the input too",
);
pub static TOO_MANY_TOKENS: W = W::new(
    "too-many-tokens",
    "{file}, column '{column}': has {texts} texts of {length} tokens ({tokens} tokens); the limit is {limit} tokens: choose a shorter maximum length, or a file with fewer rows",
);

// New rows to predict on, against the training encoding.
pub static PREDICT_MISSING_COLUMN: W = W::new(
    "predict-missing-column",
    "{file} has no column '{column}'; the model was trained on it",
);
pub static PREDICT_UNSEEN_CATEGORY: W = W::new(
    "predict-unseen-category",
    "{file}, line {line}, column '{column}': '{value}' is a category the model never saw in training",
);
pub static PREDICT_TOO_MANY_VALUES: W = W::new(
    "predict-too-many-values",
    "{file} has {rows} rows of {inputs} inputs each for the model ({values} values); the limit is {limit}: split it into files of at most {most} rows",
);
pub static PREDICT_NOT_A_NUMBER: W = W::new(
    "predict-not-a-number",
    "{file}, line {line}, column '{column}': '{value}' is not a number; the model was trained on numbers in this column",
);

// Warnings: what the preview notes of a column or a target, the file still usable.
pub static WARN_DUPLICATE_ROWS: W = W::new(
    "warn-duplicate-rows",
    "{rows} rows repeat an earlier row exactly",
);
pub static WARN_EMPTY_COLUMN: W =
    W::new("warn-empty-column", "is empty in every row; it is left out");
pub static WARN_CONSTANT: W = W::new(
    "warn-constant",
    "has the same value, '{value}', in every row: it tells the model nothing",
);
pub static WARN_IDENTIFIER: W = W::new(
    "warn-identifier",
    "has more than {limit} different values: an identifier? It is left out of the features",
);
pub static WARN_MANY_CATEGORIES: W = W::new(
    "warn-many-categories",
    "has {categories} categories; the {inputs} most frequent get an input each, the rest share one",
);
pub static WARN_IMBALANCE: W = W::new(
    "warn-imbalance",
    "heavy imbalance: class '{rare}' has {rare_rows} rows, class '{common}' has {common_rows}; accuracy alone will flatter the model",
);
pub static WARN_LEAK: W = W::new(
    "warn-leak",
    "column '{column}' determines the target almost exactly: it may leak the answer (leave it out unless it is known before the target is)",
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_what_applies() {
        assert_eq!(
            TableError::new(&EMPTY, [("file", "a.csv".into())]).to_string(),
            "a.csv is empty"
        );
        let stray = TableError::new(
            &NOT_NUMBERS,
            [
                ("file", "a.csv".into()),
                ("line", 3.to_string().into()),
                ("column", "x".into()),
                ("value", "n/a".into()),
                ("count", 1200.into()),
            ],
        );
        assert_eq!(
            stray.to_string(),
            "a.csv, line 3, column 'x': 'n/a' is not a number; 1,200 values in this column are \
             not numbers, the others are (leave missing values empty or write NA)"
        );
        assert_eq!(stray.code(), "not-numbers");
    }
}
