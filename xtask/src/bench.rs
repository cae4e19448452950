//! `cargo xtask bench`: the size of the wasm (raw and gzipped), then the browser benchmark
//! (tests/bench/run.mjs drives bench.html, then bench-tfjs.html: TensorFlow.js on the same
//! workload), which prints the tables and writes bench/results.json,
//! then the threaded build against the single one (tests/bench/threads.mjs, bench/threads.json),
//! then the share-link sizes (examples/share_sizes.rs, bench/share.json).

use crate::{Result, build, root, run, section, serve, setup};
use flate2::{Compression, write::GzEncoder};
use std::io::Write;
use std::process::Command;

pub fn command() -> Result {
    setup::install()?;
    build::wasm()?;

    section("Wasm size");
    let wasm = root().join("pkg/kindling_bg.wasm");
    let bytes = std::fs::read(&wasm).map_err(|e| format!("cannot read {}: {e}", wasm.display()))?;
    let gzipped = gzip_len(&bytes).map_err(|e| format!("gzip: {e}"))?;
    println!(
        "pkg/kindling_bg.wasm: {} raw, {} gzipped (level 9)",
        kib(bytes.len()),
        kib(gzipped)
    );
    bench_in_browser(bytes.len(), gzipped)?;
    bench_threads((bytes.len(), gzipped))?;

    section("Share links (native: sizes and encode/decode times)");
    run(crate::cargo().current_dir(root()).args([
        "run",
        "--release",
        "-p",
        "kindling",
        "--example",
        "share_sizes",
    ]))
}

fn bench_in_browser(raw: usize, gzipped: usize) -> Result {
    section("Browser benchmark (bench.html in headless Chromium)");
    let server = serve::Server::bind(std::net::Ipv4Addr::LOCALHOST.into(), 0)?;
    let url = server.url();
    std::thread::spawn(move || server.run());
    println!("serving {url}");
    let mut node = Command::new("node");
    node.current_dir(root())
        .args(["tests/bench/run.mjs", "--out", "bench/results.json"])
        .args([
            "--wasm-bytes",
            &raw.to_string(),
            "--wasm-gzip-bytes",
            &gzipped.to_string(),
        ])
        .env("KINDLING_URL", &url);
    run(&mut node)
}

/// The threaded wasm built (timed), its size beside the single build's, then both on the CPU.
fn bench_threads(single: (usize, usize)) -> Result {
    let start = std::time::Instant::now();
    crate::threads::wasm()?;
    let build_s = start.elapsed().as_secs();
    let wasm = root().join("pkg-threads/kindling_bg.wasm");
    let bytes = std::fs::read(&wasm).map_err(|e| format!("cannot read {}: {e}", wasm.display()))?;
    let gzipped = gzip_len(&bytes).map_err(|e| format!("gzip: {e}"))?;
    println!(
        "pkg-threads/kindling_bg.wasm: {} raw, {} gzipped (level 9), built in {build_s} s",
        kib(bytes.len()),
        kib(gzipped)
    );
    section("Threads benchmark (bench-threads.html in headless Chromium)");
    let server = serve::Server::bind(std::net::Ipv4Addr::LOCALHOST.into(), 0)?;
    let url = server.url();
    std::thread::spawn(move || server.run());
    let sizes = format!(
        "{{\"single\":{{\"raw\":{},\"gzip\":{}}},\"threads\":{{\"raw\":{},\"gzip\":{},\"buildSeconds\":{build_s}}}}}",
        single.0,
        single.1,
        bytes.len(),
        gzipped
    );
    let mut node = Command::new("node");
    node.current_dir(root())
        .args(["tests/bench/threads.mjs", "--out", "bench/threads.json"])
        .args(["--sizes", &sizes])
        .env("KINDLING_URL", &url);
    run(&mut node)
}

fn gzip_len(bytes: &[u8]) -> std::io::Result<usize> {
    let mut gz = GzEncoder::new(Vec::new(), Compression::best());
    gz.write_all(bytes)?;
    Ok(gz.finish()?.len())
}

fn kib(bytes: usize) -> String {
    format!("{:.1} KiB", bytes as f64 / 1024.0)
}
