//! `cargo xtask check`: the static checks, each of which names the file and line of what it finds:
//! rustfmt; clippy natively and for wasm32 (the only build that sees src/web); then, over the
//! JavaScript, tsc against the wasm package's generated types (pkg/kindling.d.ts) and eslint.
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
    javascript()
}

/// rustfmt and clippy (warnings are errors), before the wasm is built.
pub fn rust() -> Result {
    section("Rust checks (cargo fmt --check, clippy native and wasm32)");
    all([
        cargo().args(["fmt", "--all", "--check"]),
        cargo().args([
            "clippy",
            "--all-targets",
            "--workspace",
            "--",
            "-D",
            "warnings",
        ]),
        cargo()
            .args([
                "clippy",
                "--lib",
                "-p",
                "kindling",
                "--target",
                "wasm32-unknown-unknown",
            ])
            .args(["--", "-D", "warnings"]),
    ])
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
    let tsc = root().join("node_modules/typescript/bin/tsc");
    let eslint = root().join("node_modules/eslint/bin/eslint.js");
    let node = |script: &std::path::Path| {
        let mut command = Command::new("node");
        command.current_dir(root()).arg(script);
        command
    };
    let mut commands: Vec<Command> = TSC_PROJECTS
        .iter()
        .map(|project| {
            let mut command = node(&tsc);
            command.args(["-p", project]);
            command
        })
        .collect();
    let mut lint = node(&eslint);
    lint.args(["--max-warnings", "0", "."]);
    commands.push(lint);
    all(commands.iter_mut())
}

/// Runs every command, then fails naming those that failed.
fn all<'a>(commands: impl IntoIterator<Item = &'a mut Command>) -> Result {
    let failed: Vec<String> = commands
        .into_iter()
        .filter_map(|command| run(command).err())
        .collect();
    if failed.is_empty() {
        Ok(())
    } else {
        Err(failed.join("\n"))
    }
}
