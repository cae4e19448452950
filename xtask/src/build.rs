//! Builds the wasm package: the kindling cdylib for wasm32 (the `wasm` profile: release with fat
//! LTO and size-optimised dependencies; see Cargo.toml), then wasm-bindgen's glue into pkg/
//! (kindling.js + kindling_bg.wasm, name section removed) for `import init from '../pkg/kindling.js'`,
//! with its TypeScript declarations (kindling.d.ts, which tsc checks the JavaScript against; the
//! page never loads them), then two size passes of binaryen's wasm-opt (from npm) over the wasm.

use crate::{Result, cargo, root, run, section, setup, target_dir};
use std::process::Command;

pub fn wasm() -> Result {
    section("Build wasm (profile wasm)");
    run(cargo().args([
        "build",
        "--profile",
        "wasm",
        "--lib",
        "--target",
        "wasm32-unknown-unknown",
        "-p",
        "kindling",
    ]))?;
    let wasm = target_dir().join("wasm32-unknown-unknown/wasm/kindling.wasm");
    if !wasm.exists() {
        return Err(format!("cargo built no {}", wasm.display()));
    }
    let mut bindgen = Command::new(setup::wasm_bindgen());
    bindgen
        .current_dir(root())
        .args(["--target", "web", "--out-dir", "pkg"])
        .args(["--remove-name-section", "--remove-producers-section"])
        .arg(&wasm);
    run(&mut bindgen)?;
    shrink(&root().join("pkg/kindling_bg.wasm"), &[])
}

/// wasm-opt passes that make the gzipped download smaller, and only those: generic Rust code
/// leaves many byte-identical functions (cubecl's kernel builders, monomorphised per type), which
/// `--duplicate-function-elimination` merges (16.5 -> 14.4 MB raw, 3.01 -> 2.98 MB gzipped, ~10 s).
/// `-Oz` made the file smaller raw but *larger* gzipped (3.44 MB) and took 5 minutes.
/// `features`: what the build enables beyond `WASM_FEATURES` (the threaded wasm's atomics).
pub fn shrink(wasm: &std::path::Path, features: &[&str]) -> Result {
    let wasm_opt = root().join("node_modules/binaryen/bin/wasm-opt");
    let mut command = Command::new("node");
    command
        .arg(&wasm_opt)
        .args(WASM_FEATURES)
        .args(features)
        .args([
            "--duplicate-function-elimination",
            "--remove-unused-module-elements",
        ])
        .arg(wasm)
        .arg("-o")
        .arg(wasm);
    run(&mut command)
}

/// What rustc emits for wasm32 with +simd128: wasm-opt must be told, or it refuses the file.
const WASM_FEATURES: [&str; 7] = [
    "--enable-simd",
    "--enable-bulk-memory",
    "--enable-nontrapping-float-to-int",
    "--enable-sign-ext",
    "--enable-mutable-globals",
    "--enable-reference-types",
    "--enable-multivalue",
];
