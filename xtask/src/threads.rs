//! The threaded wasm (issue 20, item 4): the crate built CPU only with `--cfg kindling_threads`,
//! WebAssembly threads (atomics, bulk memory, a shared memory) and rayon's pool on web workers
//! (wasm-bindgen-rayon), into pkg-threads/. Threads need the standard library rebuilt with
//! atomics, which only a nightly toolchain does (`-Z build-std`): the nightly is pinned by date
//! and installed, minimal, with rust-src, where missing. Its own target directory: another std
//! and other flags would otherwise rebuild everything the single-threaded build shares.

use crate::{Result, build, output, root, run, section, setup, target_dir};
use std::process::Command;

/// The nightly the threaded build is known to compile with (rustc 1.97.0-nightly, e50aa6fba).
pub const NIGHTLY: &str = "nightly-2026-05-20";

/// The flags of a threaded wasm32 build: threads, SIMD as the single build has it, the linker's
/// shared, imported memory (up to 4 GiB) with the thread-local storage wasm-bindgen sets up in
/// each worker, and the cfg that picks the CPU-only dependencies and modules (Cargo.toml,
/// src/web/threads.rs). rustc passes none of the linker's by itself for wasm32-unknown-unknown.
/// `-D warnings` holds this build's own code to zero warnings, as clippy does the others
/// (cargo caps the lints of dependencies).
const RUSTFLAGS: &str = "-C target-feature=+atomics,+bulk-memory,+mutable-globals,+simd128 \
     -C link-arg=--shared-memory -C link-arg=--max-memory=4294967296 -C link-arg=--import-memory \
     -C link-arg=--export=__wasm_init_tls -C link-arg=--export=__tls_size \
     -C link-arg=--export=__tls_align -C link-arg=--export=__tls_base --cfg kindling_threads \
     -D warnings";

/// The pinned nightly with rust-src and the wasm32 target, installed where missing.
pub fn install() -> Result {
    let installed = output(Command::new("rustup").args(["toolchain", "list"])).unwrap_or_default();
    let has_src = || {
        output(Command::new("rustup").args([
            "component",
            "list",
            "--installed",
            "--toolchain",
            NIGHTLY,
        ]))
        .is_some_and(|list| list.lines().any(|l| l.starts_with("rust-src")))
    };
    if installed.lines().any(|l| l.starts_with(NIGHTLY)) && has_src() {
        println!("ok   {NIGHTLY} with rust-src (the threaded wasm)");
        return Ok(());
    }
    run(Command::new("rustup").args([
        "toolchain",
        "install",
        NIGHTLY,
        "--profile",
        "minimal",
        "--component",
        "rust-src",
        "--target",
        "wasm32-unknown-unknown",
    ]))
}

/// Builds pkg-threads/ (kindling.js, kindling_bg.wasm and wasm-bindgen-rayon's worker helper).
pub fn wasm() -> Result {
    section("Build the threaded wasm (CPU only, every core; pinned nightly, -Z build-std)");
    install()?;
    let dir = target_dir().join("threads");
    let mut build = Command::new("rustup");
    build
        .current_dir(root())
        .args([
            "run",
            NIGHTLY,
            "cargo",
            "build",
            "--profile",
            "wasm",
            "--lib",
        ])
        .args(["--target", "wasm32-unknown-unknown", "-p", "kindling"])
        .args(["-Z", "build-std=std,panic_abort"])
        // `cargo xtask` runs under the stable toolchain: its cargo and rustc must not leak in.
        .env_remove("CARGO")
        .env_remove("RUSTC")
        .env_remove("RUSTUP_TOOLCHAIN")
        .env("CARGO_TARGET_DIR", &dir)
        .env("RUSTFLAGS", RUSTFLAGS);
    run(&mut build)?;
    let wasm = dir.join("wasm32-unknown-unknown/wasm/kindling.wasm");
    let mut bindgen = Command::new(setup::wasm_bindgen());
    bindgen
        .current_dir(root())
        .args(["--target", "web", "--out-dir", "pkg-threads"])
        .args(["--remove-name-section", "--remove-producers-section"])
        .arg(&wasm);
    run(&mut bindgen)?;
    // The single build's size passes; wasm-opt must be told of the shared memory and atomics.
    build::shrink(
        &root().join("pkg-threads/kindling_bg.wasm"),
        &["--enable-threads"],
    )
}
