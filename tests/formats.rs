//! How files write things, read as they mean them: a European CSV's `;` and decimal commas
//! (sniffed, or chosen), thousands separators, and CR-only line ends (old Mac files) in a CSV,
//! JSON Lines and a text.

use kindling::data::table::{
    ColumnKind, Decimal, FileData, Table, infer_schema, read_file, read_file_with,
};

fn table(name: &str, text: &str, decimal: Option<Decimal>) -> Table {
    match read_file_with(name, text.as_bytes(), decimal).unwrap() {
        FileData::Table(t) => t,
        FileData::Text(_) => panic!("{name} read as text"),
    }
}

const EUROPEAN: &str =
    "sepal;petal;species\n5,3;1,9;setosa\n4,9;1,4;setosa\n-6,25;4,5;versicolor\n";

#[test]
fn a_european_csv_reads_its_numbers() {
    let t = table("e.csv", EUROPEAN, None);
    assert_eq!((t.delimiter, t.decimal), (Some(b';'), Decimal::Comma));
    assert_eq!(t.headers, ["sepal", "petal", "species"]);
    assert_eq!(t.row(2).collect::<Vec<_>>(), ["-6.25", "4.5", "versicolor"]);
    let s = infer_schema(&t).unwrap();
    assert_eq!(s.columns[0].kind, ColumnKind::Numeric);
    assert_eq!(
        (s.columns[0].min, s.columns[0].max),
        (Some(-6.25), Some(5.3))
    );
    assert_eq!(s.decimal, Decimal::Comma);
    assert_eq!(s.delimiter.as_deref(), Some(";"));
    // The schema as the preview gets it.
    let json = serde_json::to_value(&s).unwrap();
    assert_eq!(
        (json["decimal"].as_str(), json["delimiter"].as_str()),
        (Some("comma"), Some(";"))
    );
}

#[test]
fn the_user_can_choose_the_other_decimal_mark() {
    let t = table("e.csv", EUROPEAN, Some(Decimal::Point));
    assert_eq!(t.decimal, Decimal::Point);
    assert_eq!(t.cell(0, 0), "5,3");
    let s = infer_schema(&t).unwrap();
    assert_eq!(s.columns[0].kind, ColumnKind::Categorical);
    // and a comma-separated file with quoted decimal commas, read with a comma
    let t = table(
        "q.csv",
        "x,y\n\"1,5\",a\n\"2,25\",b\n",
        Some(Decimal::Comma),
    );
    assert_eq!((t.cell(0, 0), t.cell(1, 0)), ("1.5", "2.25"));
}

#[test]
fn thousands_separators_with_a_decimal_comma() {
    let t = table(
        "t.csv",
        "price;n\n1.234,5;1\n12,0;2\n1.000.000,25;3\n",
        None,
    );
    assert_eq!(t.decimal, Decimal::Comma);
    assert_eq!(t.column_index("price"), Some(0));
    assert_eq!(
        (0..3).map(|r| t.cell(r, 0)).collect::<Vec<_>>(),
        ["1234.5", "12.0", "1000000.25"]
    );
}

#[test]
fn a_semicolon_file_with_points_or_text_keeps_its_commas() {
    // Decimal points: nothing to rewrite.
    let t = table("p.csv", "a;b\n1.5;2\n2.5;3\n", None);
    assert_eq!(t.decimal, Decimal::Point);
    // A text column with commas, no number written with one: a point.
    let t = table("w.csv", "name;age\nSmith, J;30\nLee, K;41\n", None);
    assert_eq!((t.decimal, t.cell(0, 0)), (Decimal::Point, "Smith, J"));
    // A comma-separated file is never sniffed as a decimal comma.
    let t = table("c.csv", "a,b\n\"1,5\",2\n", None);
    assert_eq!((t.delimiter, t.decimal), (Some(b','), Decimal::Point));
}

#[test]
fn a_lone_cr_ends_a_line() {
    let t = table("mac.csv", "x,y\r1,2\r3,4\r\r5,\"a\rb\"\r", None);
    assert_eq!(t.headers, ["x", "y"]);
    assert_eq!(t.rows(), 3);
    assert_eq!(t.cell(2, 1), "a\rb"); // inside quotes a CR is content
    assert_eq!((t.line(0), t.line(1), t.line(2)), (2, 3, 5));
    let t = table("mac.jsonl", "{\"a\": 1}\r{\"a\": 2}\r\n\r{\"a\": 3}", None);
    assert_eq!(t.rows(), 3);
    assert_eq!(t.line(2), 4);
    match read_file("mac.txt", b"one\rtwo\r\nthree").unwrap() {
        FileData::Text(text) => assert_eq!(text, "one\ntwo\nthree"),
        FileData::Table(_) => panic!("a .txt is a text"),
    }
}

#[test]
fn a_ragged_line_after_cr_names_its_line() {
    let message = match read_file("r.csv", b"a,b\r1,2\r3\r") {
        Err(e) => e.to_string(),
        Ok(_) => panic!("a ragged file reads"),
    };
    assert_eq!(message, "r.csv, line 3: has 1 fields; the first line has 2");
}
