//! Builds the wasm package: the kindling cdylib for wasm32 (release), then wasm-bindgen's glue
//! into pkg/ (kindling.js + kindling_bg.wasm) for `import init from '../pkg/kindling.js'`.

use crate::{Result, cargo, root, run, section, setup, target_dir};
use std::process::Command;

pub fn wasm() -> Result {
    section("Build wasm (release)");
    run(cargo().args([
        "build",
        "--release",
        "--lib",
        "--target",
        "wasm32-unknown-unknown",
        "-p",
        "kindling",
    ]))?;
    let wasm = target_dir().join("wasm32-unknown-unknown/release/kindling.wasm");
    if !wasm.exists() {
        return Err(format!("cargo built no {}", wasm.display()));
    }
    let mut bindgen = Command::new(setup::wasm_bindgen());
    bindgen
        .current_dir(root())
        .args(["--target", "web", "--out-dir", "pkg", "--no-typescript"])
        .arg(&wasm);
    run(&mut bindgen)
}
