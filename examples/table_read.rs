//! Reading a generated CSV of about N MB natively (default 50): parse, infer and encode times,
//! the same file as www/bench-table-worker.js reads in the browser.
//!   cargo run --release --example table_read [MB]

use kindling::data::table::{FileData, TableChoices, encode, infer_schema, read_file};
use std::time::Instant;

fn generate(bytes: usize) -> String {
    let mut state: u64 = 12345;
    let mut random = || {
        state = (state * 1103515245 + 12345) % 2147483648;
        state as f64 / 2147483648.0
    };
    let colours = ["red", "green", "blue", "yellow", "purple"];
    let mut out = String::from("a,b,c,d,e,f,g,h,count,colour,label\n");
    while out.len() < bytes {
        for _ in 0..8 {
            out.push_str(&format!("{:.4},", random() * 200.0 - 100.0));
        }
        let count = (random() * 1000.0) as u32;
        let colour = colours[(random() * 5.0) as usize];
        let label = ["low", "mid", "high"][(random() * 3.0) as usize];
        out.push_str(&format!("{count},{colour},{label}\n"));
    }
    out
}

fn main() {
    let mb: usize = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(50);
    let text = generate(mb * 1024 * 1024);
    let t0 = Instant::now();
    let FileData::Table(table) = read_file("bench.csv", text.as_bytes()).expect("the CSV reads")
    else {
        panic!("a table")
    };
    let t1 = Instant::now();
    let schema = infer_schema(&table).expect("the schema infers");
    let t2 = Instant::now();
    let choices = TableChoices {
        target: "label".into(),
        ..Default::default()
    };
    let target = schema.target(&table, "label", None).expect("a target");
    let t3 = Instant::now();
    let encoded = encode(&table, &schema, &choices).expect("the table encodes");
    let t4 = Instant::now();
    let ms = |a: Instant, b: Instant| (b - a).as_secs_f64() * 1000.0;
    println!(
        "{:.1} MB, {} rows, {} columns -> {} inputs ({} classes)",
        text.len() as f64 / 1048576.0,
        table.rows(),
        table.columns(),
        encoded.inputs.len(),
        target.classes.len()
    );
    println!(
        "parse {:.0} ms, infer {:.0} ms, target {:.0} ms, encode {:.0} ms",
        ms(t0, t1),
        ms(t1, t2),
        ms(t2, t3),
        ms(t3, t4)
    );
}
