//! Every error wording in the core (`Wording::new(code, english)` anywhere under src/) against
//! the page's catalogues: www/messages/en.js holds `error.<code>` with the English word for word,
//! and zh-CN.js holds it too, with the same placeholders. A code added to the core without its
//! words in both languages, or English changed on one side only, fails here by name.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"))
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("src/ should be readable") {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// A Rust string literal starting at `s` (just after its opening quote): its text and the rest.
fn rust_string(s: &str) -> (String, &str) {
    let mut text = String::new();
    let mut chars = s.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return (text, &s[i + 1..]),
            '\\' => match chars.next().map(|(_, c)| c) {
                Some('n') => text.push('\n'),
                Some('"') => text.push('"'),
                Some('\\') => text.push('\\'),
                // A line continuation: the newline and the next line's indentation vanish.
                Some('\n') => {
                    let rest = chars.as_str();
                    let skip = rest.len() - rest.trim_start().len();
                    (0..skip).for_each(|_| {
                        chars.next();
                    });
                }
                other => panic!("an escape this test does not read: \\{other:?}"),
            },
            c => text.push(c),
        }
    }
    panic!("a string literal that never closes");
}

/// Every `W::new("code", "english")` / `Wording::new(...)` in the crate's sources, by code.
fn wordings() -> BTreeMap<String, String> {
    let mut files = Vec::new();
    rust_files(&root().join("src"), &mut files);
    let mut found = BTreeMap::new();
    for file in files {
        let source = std::fs::read_to_string(&file).expect("a source file should be readable");
        // A test's own wordings (src/error.rs's samples) are not the page's.
        let source = source.split("#[cfg(test)]").next().unwrap_or_default();
        for (at, _) in source.match_indices("::new(") {
            let before = &source[..at];
            if !(before.ends_with("Wording") || before.ends_with(" W")) {
                continue;
            }
            let rest = source[at + "::new(".len()..].trim_start();
            let Some(rest) = rest.strip_prefix('"') else {
                continue; // `const fn new(code: …)` itself
            };
            let (code, rest) = rust_string(rest);
            let rest = rest
                .trim_start()
                .strip_prefix(',')
                .expect("a comma after the code");
            let rest = rest
                .trim_start()
                .strip_prefix('"')
                .expect("the English as a literal");
            let (english, _) = rust_string(rest);
            if let Some(old) = found.insert(code.clone(), english.clone()) {
                assert_eq!(
                    old, english,
                    "code '{code}' has two different English texts"
                );
            }
        }
    }
    found
}

/// The `'error.<code>': '…'` entries of a catalogue, by code (JS strings in either quotes).
fn catalogue(name: &str) -> BTreeMap<String, String> {
    let path = root().join("www/messages").join(name);
    let source = std::fs::read_to_string(&path).expect("the catalogue should be readable");
    let mut entries = BTreeMap::new();
    for line in source.lines() {
        let Some(rest) = line.trim_start().strip_prefix("'error.") else {
            continue;
        };
        let (code, rest) = rest.split_once("': ").expect("an entry `'error.x': '…'`");
        let mut chars = rest.chars();
        // A single- or double-quoted JS string (a plural's object is no error's).
        let Some(quote) = chars.next().filter(|q| *q == '\'' || *q == '"') else {
            continue;
        };
        let mut text = String::new();
        while let Some(c) = chars.next() {
            match c {
                c if c == quote => break,
                '\\' => text.push(chars.next().expect("an escaped character")),
                c => text.push(c),
            }
        }
        entries.insert(code.to_string(), text);
    }
    entries
}

fn placeholders(text: &str) -> BTreeSet<&str> {
    text.split('{')
        .skip(1)
        .filter_map(|part| part.split_once('}').map(|(name, _)| name))
        .filter(|name| {
            !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        })
        .collect()
}

#[test]
fn every_core_error_has_its_words_in_both_catalogues() {
    let wordings = wordings();
    assert!(
        wordings.len() > 80,
        "only {} wordings found: is the scan still reading src/?",
        wordings.len()
    );
    let (en, zh) = (catalogue("en.js"), catalogue("zh-CN.js"));
    let mut problems = Vec::new();
    for (code, english) in &wordings {
        match en.get(code) {
            None => problems.push(format!("en.js has no 'error.{code}'")),
            Some(text) if text != english => problems.push(format!(
                "en.js 'error.{code}' reads {text:?}; the core's English is {english:?}"
            )),
            Some(_) => {}
        }
        match zh.get(code) {
            None => problems.push(format!("zh-CN.js has no 'error.{code}'")),
            Some(text) if placeholders(text) != placeholders(english) => problems.push(format!(
                "zh-CN.js 'error.{code}' has placeholders {:?}; the English has {:?}",
                placeholders(text),
                placeholders(english)
            )),
            Some(_) => {}
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_scan_reads_escapes_and_continuations() {
    let (text, rest) = rust_string(
        r#"a \"b\" \\ c\
         d", x"#,
    );
    assert_eq!(text, r#"a "b" \ cd"#);
    assert_eq!(rest, ", x");
    assert_eq!(
        placeholders("{file}, line {line}: {} {x y}"),
        BTreeSet::from(["file", "line"])
    );
}
