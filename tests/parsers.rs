//! Every parser's memory is bounded by what it reads: generated files, ordinary and hostile,
//! are read under a counting allocator that records the peak of live bytes, and no parser may
//! go past a stated multiple of its input (plus, for the encoder and the tokeniser, the output
//! the user's choices ask for, which is checked against its limit before it is allocated).

use kindling::data::table::{
    FileData, MAX_CELLS, MAX_COLUMNS, MAX_INPUT_VALUES, Table, TableChoices, encode, group,
    infer_schema, read_file,
};
use kindling::data::text::{
    MAX_TOKENS, TokenChoices, TokenUnit, text_classification, uploaded_language_model,
};
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

// ---- the counting allocator ---------------------------------------------------------------

/// `System`, counting the live bytes of each thread and their peak: the tests run in parallel
/// threads, and every parser runs on the thread that calls it.
struct Counting;

thread_local! {
    static LIVE: Cell<isize> = const { Cell::new(0) };
    static PEAK: Cell<isize> = const { Cell::new(0) };
}

fn count(delta: isize) {
    // `try_with`: a thread being torn down has no counters left, and that is fine.
    let _ = LIVE.try_with(|live| {
        let now = live.get() + delta;
        live.set(now);
        let _ = PEAK.try_with(|peak| peak.set(peak.get().max(now)));
    });
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            count(layout.size() as isize);
        }
        p
    }

    unsafe fn dealloc(&self, p: *mut u8, layout: Layout) {
        unsafe { System.dealloc(p, layout) };
        count(-(layout.size() as isize));
    }

    unsafe fn realloc(&self, p: *mut u8, layout: Layout, size: usize) -> *mut u8 {
        let q = unsafe { System.realloc(p, layout, size) };
        if !q.is_null() {
            // Counted as the allocator may do it: both blocks live while the bytes move.
            count(size as isize);
            count(-(layout.size() as isize));
        }
        q
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// The peak of bytes live while `f` runs, above those live before; `f`'s result is dropped
/// inside, so what it returns counts too.
fn peak<T>(f: impl FnOnce() -> T) -> (usize, T) {
    let before = LIVE.with(Cell::get);
    PEAK.with(|p| p.set(before));
    let out = f();
    let peak = PEAK.with(Cell::get) - before;
    (peak.max(0) as usize, out)
}

// ---- the bounds -----------------------------------------------------------------------------

/// Reading a delimited file (sniffing, parsing, the schema): the text once (1×), a cell's span
/// 8 bytes where a cell costs at least a delimiter or a line end (8×), a row's line number 4
/// bytes where a row costs at least 2 (2×); 12 leaves one for the schema's row hashes.
const CSV_MULTIPLE: usize = 12;
/// JSON Lines: as a CSV, since a table may not hold more cells than its file has bytes, and
/// numbers may be written longer than in the file (`1e3` is `1000`); 16.
const JSONL_MULTIPLE: usize = 16;
/// Encoding beside its output (rows × inputs f32, within `MAX_INPUT_VALUES`): per row an index
/// and a label into the split (8 + 8 bytes, and 8 for the split's own index), where a row
/// costs at least 4 bytes in the file ("a,b\n"); 8.
const ENCODE_MULTIPLE: usize = 8;
/// Tokenising words beside its output (texts × max length ids, within `MAX_TOKENS`): every word
/// may be new, and a new one costs a map entry (a 24-byte String and its id, the table's slack
/// and growth), its text and its count, some 100 bytes, where it costs at least 3 bytes of the
/// file ("a1 "); 32.
const TOKENS_MULTIPLE: usize = 32;
/// Tokenising characters: the distinct ones are few, so beside the output only the kept rows'
/// indices, labels and split (24 bytes a row, where a row costs at least 4 bytes); 8. A token
/// kept as a String of its own would cost 25 bytes a character.
const CHAR_TOKENS_MULTIPLE: usize = 8;
/// What does not grow with the input: the schema's per-column counts of up to 2,000 distinct
/// values, a record's buffer, the parser's state, the messages.
const FIXED: usize = 16 << 10;

// ---- a tiny deterministic generator ---------------------------------------------------------

/// xorshift64*: the same files on every run, no dependency.
struct Gen(u64);

impl Gen {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len())]
    }

    /// A cell of a delimited file: a number, a word, an empty cell, or a quoted text holding
    /// the delimiter, a quote or a line end.
    fn cell(&mut self, delimiter: char) -> String {
        match self.below(6) {
            0 => format!("{}", self.below(1000)),
            1 => format!("{}.{}", self.below(100), self.below(100)),
            2 => String::new(),
            3 => format!("\"a{delimiter} \"\"b\"\"\nc\""),
            _ => self
                .pick(&["red", "green", "blue", "NA", "x y"])
                .to_string(),
        }
    }

    fn csv(&mut self) -> String {
        let delimiter = [',', ';', '\t', '|'][self.below(4)];
        let newline = self.pick(&["\n", "\r\n", "\r"]);
        let (width, rows) = (1 + self.below(12), 1 + self.below(300));
        let mut out: String = (0..width)
            .map(|c| format!("c{c}"))
            .collect::<Vec<_>>()
            .join(&delimiter.to_string());
        for _ in 0..rows {
            out.push_str(newline);
            if self.below(10) == 0 {
                out.push_str(newline); // a blank line
            }
            let cells: Vec<String> = (0..width).map(|_| self.cell(delimiter)).collect();
            out.push_str(&cells.join(&delimiter.to_string()));
        }
        out
    }

    fn jsonl(&mut self) -> String {
        let keys = 1 + self.below(20);
        let mut out = String::new();
        for _ in 0..1 + self.below(300) {
            let mut fields = Vec::new();
            for k in 0..keys {
                if self.below(3) == 0 {
                    continue;
                }
                fields.push(match self.below(4) {
                    0 => format!("\"k{k}\": {}", self.below(1000)),
                    1 => format!("\"k{k}\": null"),
                    2 => format!("\"k{k}\": true"),
                    _ => format!("\"k{k}\": \"{}\"", self.pick(&["a", "b c", "dé"])),
                });
            }
            out.push_str(&format!("{{{}}}\n", fields.join(", ")));
        }
        out
    }
}

fn table(name: &str, text: &str) -> Table {
    match read_file(name, text.as_bytes()).expect("the file reads") {
        FileData::Table(t) => t,
        FileData::Text(_) => panic!("{name} read as text"),
    }
}

/// `read_file` and the schema, as a dropped file is read; its peak and its message if any.
fn read(name: &str, text: &str) -> (usize, Option<String>) {
    let (bytes, out) = peak(|| {
        read_file(name, text.as_bytes())
            .map_err(|e| e.to_string())
            .and_then(|data| match data {
                FileData::Table(t) => infer_schema(&t).map(drop).map_err(|e| e.to_string()),
                FileData::Text(_) => Ok(()),
            })
    });
    (bytes, out.err())
}

fn assert_within(what: &str, peak: usize, bound: usize) {
    if std::env::var_os("KINDLING_PEAKS").is_some() {
        eprintln!("{what}: peak {peak} bytes, bound {bound}");
    }
    assert!(
        peak <= bound,
        "{what}: a peak of {peak} bytes, over the bound {bound}"
    );
}

// ---- ordinary files, generated --------------------------------------------------------------

#[test]
fn delimited_files_stay_within_their_multiple() {
    let mut g = Gen(0x5eed);
    for i in 0..200 {
        let text = g.csv();
        let (bytes, _) = read(&format!("g{i}.csv"), &text);
        assert_within(
            &format!("g{i}.csv"),
            bytes,
            CSV_MULTIPLE * text.len() + FIXED,
        );
    }
    // The densest a CSV can be: a cell per byte, 200 columns of nothing.
    let row = ",".repeat(MAX_COLUMNS - 1);
    let header: Vec<String> = (0..MAX_COLUMNS).map(|c| format!("c{c}")).collect();
    let text = format!(
        "{}\n{}",
        header.join(","),
        format!("{row}\n").repeat(20_000)
    );
    let (bytes, _) = read("dense.csv", &text);
    assert_within("dense.csv", bytes, CSV_MULTIPLE * text.len() + FIXED);
}

#[test]
fn json_lines_stay_within_their_multiple() {
    let mut g = Gen(0xfeed);
    for i in 0..200 {
        let text = g.jsonl();
        let (bytes, message) = read(&format!("g{i}.jsonl"), &text);
        assert_within(
            &format!("g{i}.jsonl"),
            bytes,
            JSONL_MULTIPLE * text.len() + FIXED,
        );
        assert!(
            message.is_none_or(|m| !m.contains("JSON object")),
            "g{i}.jsonl"
        );
    }
}

#[test]
fn encoding_stays_within_its_multiple_beside_its_output() {
    let mut g = Gen(0xc0de);
    for i in 0..40 {
        let rows = 50 + g.below(500);
        let mut text = String::from("x,colour,size,y\n");
        for r in 0..rows {
            let colour = format!("c{}", g.below(60)); // past ONE_HOT_MAX: 32 inputs
            let size = g.pick(&["s", "m", "l", ""]);
            text.push_str(&format!("{},{colour},{size},{}\n", g.below(100), r % 3));
        }
        let t = table("e.csv", &text);
        let schema = infer_schema(&t).unwrap();
        let choices = TableChoices {
            target: "y".into(),
            ..TableChoices::default()
        };
        let (bytes, encoded) = peak(|| encode(&t, &schema, &choices).map(|e| e.summary()));
        let summary = encoded.unwrap();
        let output = 4 * (summary.train_rows + summary.test_rows) * (summary.inputs.len() + 1);
        assert_within(
            &format!("e{i}"),
            bytes,
            output + ENCODE_MULTIPLE * text.len() + FIXED,
        );
    }
}

#[test]
fn tokenising_stays_within_its_multiple_beside_its_output() {
    let mut g = Gen(0x7e47);
    let words = [
        "The", "film", "was", "dull", "GREAT", "fun", "plot", "très", "x",
    ];
    for i in 0..40 {
        let rows = 50 + g.below(400);
        let mut text = String::from("review,label\n");
        for r in 0..rows {
            let review: Vec<&str> = (0..1 + g.below(30)).map(|_| g.pick(&words)).collect();
            text.push_str(&format!("\"{}\",{}\n", review.join(" "), ["a", "b"][r % 2]));
        }
        let t = table("r.csv", &text);
        let schema = infer_schema(&t).unwrap();
        let unit = [TokenUnit::Word, TokenUnit::Char][i % 2];
        let tokens = TokenChoices {
            column: "review".into(),
            unit,
            vocab_size: 100,
            max_length: 4 + g.below(60),
        };
        let choices = TableChoices {
            target: "label".into(),
            ..TableChoices::default()
        };
        let (bytes, data) = peak(|| text_classification(&t, &schema, &choices, &tokens));
        let data = data.unwrap();
        let examples = data.train.len() + data.test.len();
        // Each example: its ids, its label, and two Vec headers of 24 bytes.
        let output = examples * (4 * tokens.max_length + 4 + 48);
        let multiple = [TOKENS_MULTIPLE, CHAR_TOKENS_MULTIPLE][i % 2];
        assert_within(
            &format!("r{i}"),
            bytes,
            output + multiple * text.len() + FIXED,
        );
    }
    // Every word new: the map of distinct words at its largest.
    let mut text = String::from("review,label\n");
    for r in 0..20_000 {
        text.push_str(&format!("w{r} w{} x{r},{}\n", r + 1, ["a", "b"][r % 2]));
    }
    let t = table("new.csv", &text);
    let schema = infer_schema(&t).unwrap();
    let tokens = TokenChoices {
        column: "review".into(),
        unit: TokenUnit::Word,
        vocab_size: 1000,
        max_length: 4,
    };
    let choices = TableChoices {
        target: "label".into(),
        ..TableChoices::default()
    };
    let (bytes, data) = peak(|| text_classification(&t, &schema, &choices, &tokens).map(drop));
    assert!(data.is_ok());
    let output = 20_000 * (4 * 4 + 4 + 48);
    assert_within(
        "new words",
        bytes,
        output + TOKENS_MULTIPLE * text.len() + FIXED,
    );
    // The character model of a text: an id of 4 bytes per character, beside the windows.
    let text: String = (0..200_000)
        .map(|_| g.pick(&["a", "b", "é", " ", "\n"]))
        .collect();
    let (length, sequences) = (64, 2000);
    let (bytes, data) = peak(|| uploaded_language_model("t.txt", &text, length, sequences, 0.2, 1));
    assert!(data.is_ok());
    let windows = sequences * (2 * 4 * length + 48);
    assert_within("t.txt", bytes, windows + 4 * text.len() + FIXED);
}

// ---- hostile files: refused, before their cost is allocated ---------------------------------

/// 1 MB: a header of `width` names over a million empty lines.
fn wide_header(width: usize, newline: &str) -> String {
    let names: Vec<String> = (0..width).map(|c| format!("c{c}")).collect();
    format!("{}{}", names.join(","), newline.repeat(1_000_000))
}

#[test]
fn a_wide_header_over_a_million_empty_lines() {
    for newline in ["\n", "\r\n", "\r"] {
        let text = wide_header(300, newline);
        let (bytes, message) = read("wide.csv", &text);
        assert_eq!(
            message.as_deref(),
            Some(
                "wide.csv has 300 columns; the limit is 200: leave out the columns you do not need"
            )
        );
        // Refused at the header, before the file's text is copied.
        assert_within("300 columns", bytes, FIXED);
        // Within the column limit: the empty lines cost no cells.
        let text = wide_header(MAX_COLUMNS, newline);
        let (bytes, message) = read("wide.csv", &text);
        assert_eq!(
            message.as_deref(),
            Some("wide.csv has a header but no data rows")
        );
        assert_within("200 columns", bytes, 2 * text.len() + FIXED);
    }
}

#[test]
fn a_wide_sparse_json_lines_file() {
    // Each line three keys of its own: thousands of keys in all.
    let text: String = (0..5000)
        .map(|i| format!("{{\"a{i}\": 1, \"b{i}\": \"x\", \"c{i}\": null}}\n"))
        .collect();
    let (bytes, message) = read("sparse.jsonl", &text);
    assert_eq!(
        message.as_deref(),
        Some(
            "sparse.jsonl, line 67, column 'c66': is key number 201; the limit is 200 keys \
             (columns) in all: give the rows the same few keys, or leave out the rare ones"
        )
    );
    assert_within("thousands of keys", bytes, 2 * text.len() + FIXED);
    // 200 keys, two a line: 200 cells a row for 25 bytes of file.
    let text: String = (0..20_000)
        .map(|i| format!("{{\"k{}\": 1, \"k{}\": 2}}\n", i % 200, (i + 1) % 200))
        .collect();
    let (bytes, message) = read("sparse.jsonl", &text);
    let message = message.expect("refused");
    assert!(
        message.starts_with("sparse.jsonl has 20,000 rows and 200 keys, most missing"),
        "{message}"
    );
    assert!(message.contains("4,000,000 cells"), "{message}");
    assert_within("200 sparse keys", bytes, 2 * text.len() + FIXED);
}

#[test]
fn a_table_of_more_cells_than_the_limit() {
    // 100,000 rows of 200 columns: every cell one byte and a comma, 40 MB of file.
    let columns = MAX_COLUMNS;
    let rows = MAX_CELLS / columns + 1;
    let header: Vec<String> = (0..columns).map(|c| format!("c{c}")).collect();
    let row = format!("{}\n", vec!["1"; columns].join(","));
    let text = format!("{}\n{}", header.join(","), row.repeat(rows));
    let (bytes, message) = read("big.csv", &text);
    assert_eq!(
        message.as_deref(),
        Some(
            "big.csv has more than 83,886 rows of 200 columns; the limit is 16,777,216 cells \
             (rows × columns): leave out columns or rows you do not need"
        )
    );
    assert_within("cells", bytes, CSV_MULTIPLE * text.len() + FIXED);
}

#[test]
fn a_one_hot_blow_up() {
    // 200 categorical columns of 40 categories: 32 inputs each, 6,400 a row.
    let (columns, rows) = (MAX_COLUMNS - 1, 3000);
    let mut text: String = (0..columns).map(|c| format!("c{c},")).collect();
    text.push_str("y\n");
    for r in 0..rows {
        for c in 0..columns {
            text.push_str(&format!("v{},", (r * 7 + c) % 40));
        }
        text.push_str(&format!("{}\n", r % 2));
    }
    let t = table("onehot.csv", &text);
    let schema = infer_schema(&t).unwrap();
    let choices = TableChoices {
        target: "y".into(),
        features: Some((0..columns).map(|c| format!("c{c}")).collect()),
        ..TableChoices::default()
    };
    let (bytes, out) = peak(|| encode(&t, &schema, &choices).map(drop));
    let message = out.unwrap_err().to_string();
    assert!(
        message.starts_with(
            "onehot.csv has 3,000 rows of 6,368 inputs (199 features, 199 of them categorical"
        ),
        "{message}"
    );
    assert!(
        message.contains(&format!("the limit is {}", group(MAX_INPUT_VALUES))),
        "{message}"
    );
    assert_within("one-hot", bytes, ENCODE_MULTIPLE * text.len() + FIXED);
}

#[test]
fn more_tokens_than_the_limit() {
    let rows = MAX_TOKENS / 128 + 1;
    let mut text = String::from("review,label\n");
    for r in 0..rows {
        text.push_str(["good film,a\n", "bad film,b\n"][r % 2]);
    }
    let t = table("long.csv", &text);
    let schema = infer_schema(&t).unwrap();
    let tokens = TokenChoices {
        column: "review".into(),
        unit: TokenUnit::Char,
        vocab_size: 100,
        max_length: 128,
    };
    let choices = TableChoices {
        target: "label".into(),
        ..TableChoices::default()
    };
    let (bytes, out) = peak(|| text_classification(&t, &schema, &choices, &tokens).map(drop));
    let message = out.unwrap_err().to_string();
    assert_eq!(
        message,
        format!(
            "long.csv, column 'review': has {} texts of 128 tokens ({} tokens); the limit is {} \
             tokens: choose a shorter maximum length, or a file with fewer rows",
            group(rows),
            group(rows * 128),
            group(MAX_TOKENS)
        )
    );
    assert_within("tokens", bytes, TOKENS_MULTIPLE * text.len() + FIXED);
}
