//! `cargo xtask check`: the static checks, each of which names the file and line of what it finds:
//! rustfmt; clippy natively and for wasm32 (the only build that sees src/web); then, over the
//! JavaScript, tsc against the wasm packages' generated types (pkg/ and pkg-threads/kindling.d.ts)
//! and eslint.
//! `cargo xtask test` runs them too. Each group runs to its end so one run shows every finding.

use crate::{Result, build, cargo, root, run, section, setup};
use std::process::Command;

/// The tsc projects: the page, the workers, the Node scripts (see tsconfig.json for why three).
const TSC_PROJECTS: [&str; 3] = [
    "tsconfig.json",
    "tsconfig.worker.json",
    "tests/tsconfig.json",
];

pub fn command() -> Result {
    setup::install()?;
    rust()?;
    build::wasm()?;
    // The threaded build too: it is compiled only here (its code is behind `kindling_threads`,
    // with -D warnings), and tsc checks its bench against pkg-threads/kindling.d.ts.
    crate::threads::wasm()?;
    javascript()
}

/// rustfmt and clippy (warnings are errors), before the wasm is built.
pub fn rust() -> Result {
    section("Rust checks (cargo fmt --check, clippy native and wasm32)");
    let mut fmt = cargo();
    fmt.args(["fmt", "--all", "--check"]);
    let mut native = cargo();
    native.args(["clippy", "--all-targets", "--workspace"]);
    native.args(crate::NATIVE_FEATURES);
    let mut wasm = cargo();
    wasm.args([
        "clippy",
        "--lib",
        "-p",
        "kindling",
        "--target",
        "wasm32-unknown-unknown",
    ]);
    for clippy in [&mut native, &mut wasm] {
        clippy.args(["--", "-D", "warnings"]);
    }
    all([&mut fmt, &mut native, &mut wasm])
}

/// tsc over each project and eslint over the repository, once pkg/ holds kindling.d.ts.
pub fn javascript() -> Result {
    section("JavaScript checks (tsc, eslint)");
    let types = root().join("pkg/kindling.d.ts");
    if !types.exists() {
        return Err(format!(
            "no {}: the JavaScript is checked against the wasm package's types; build it first",
            types.display()
        ));
    }
    let tsc = "node_modules/typescript/bin/tsc";
    let eslint = "node_modules/eslint/bin/eslint.js";
    let node = |script: &str| {
        let mut command = Command::new("node");
        command.current_dir(root()).arg(script);
        command
    };
    let mut commands: Vec<Command> = TSC_PROJECTS
        .iter()
        .map(|project| {
            let mut command = node(tsc);
            command.args(["-p", project]);
            command
        })
        .collect();
    let mut lint = node(eslint);
    lint.args(["--max-warnings", "0", "."]);
    commands.push(lint);
    all(commands.iter_mut())
}

/// Runs every command, then fails naming those that failed.
fn all<'a>(commands: impl IntoIterator<Item = &'a mut Command>) -> Result {
    let mut failed: Vec<String> = commands
        .into_iter()
        .filter_map(|command| run(command).err())
        .collect();
    match failed.len() {
        0 => Ok(()),
        1 => Err(failed.remove(0)),
        n => Err(format!("{n} checks failed:\n  {}", failed.join("\n  "))),
    }
}
