//! `cargo xtask serve | test | check | bench`: installs what is missing, builds the wasm package,
//! then serves the app, runs every check and test, only the checks, or the browser benchmark (as
//! wgpu's xtask does).

mod bench;
mod build;
mod check;
mod serve;
mod setup;

use std::env;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  serve [--port N] [--no-build]
                     set up, build, then serve the app at http://127.0.0.1:N/ (default 8000);
                     --no-build serves pkg/ as it is
  test               set up, run the checks, then the native tests (release) and the browser
                     tests
  check              set up, cargo fmt --check, clippy -D warnings (native and wasm32), build,
                     then tsc and eslint over the JavaScript (against pkg/kindling.d.ts)
  bench              set up, build, measure the wasm size and run the browser benchmark
                     (writes bench/results.json)
  build              set up, then only build the wasm package (pkg/)
  setup              only install what is missing (wasm target, wasm-bindgen CLI, npm packages)
";

/// An error that ends the command with a message for the user.
pub type Result<T = ()> = std::result::Result<T, String>;

fn main() -> ExitCode {
    let args: Vec<String> = env::args().skip(1).collect();
    let outcome = match args.first().map(String::as_str) {
        Some("serve") => {
            serve_args(&args[1..]).and_then(|(port, build)| serve_command(port, build))
        }
        Some("test") => test_command(),
        Some("check") => check::command(),
        Some("bench") => bench::command(),
        Some("setup") => setup::install(),
        Some("build") => setup::install().and_then(|()| build::wasm()),
        Some("help" | "-h" | "--help") => {
            print!("{USAGE}");
            Ok(())
        }
        Some(other) => Err(format!("unknown command '{other}'\n\n{USAGE}")),
        None => Err(USAGE.to_string()),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("\nxtask: error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// `[--port N] [--no-build]` -> (port, build first).
fn serve_args(args: &[String]) -> Result<(u16, bool)> {
    let (mut port, mut build) = (8000, true);
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--port" => {
                let value = args.next().map(String::as_str).unwrap_or("");
                port = value
                    .parse()
                    .map_err(|_| format!("--port wants a number from 0 to 65535, got '{value}'"))?;
            }
            "--no-build" => build = false,
            _ => return Err(format!("serve takes --port N and --no-build, got '{arg}'")),
        }
    }
    Ok((port, build))
}

fn serve_command(port: u16, build: bool) -> Result {
    if build {
        setup::install()?;
        build::wasm()?;
    }
    section("Serve");
    let server = serve::Server::bind(port)?;
    println!("Kindling at {}  (Ctrl-C to stop)", server.url());
    server.run();
    Ok(())
}

fn test_command() -> Result {
    check::command()?;

    section("Native tests (cargo test --release --workspace)");
    // The workspace: the kindling crate and the static server's own tests in xtask.
    run(cargo().args(["test", "--release", "--workspace"]))?;

    section("Browser tests (node --test tests/e2e)");
    let specs = browser_specs()?;
    let server = serve::Server::bind(0)?;
    let url = server.url();
    std::thread::spawn(move || server.run());
    println!("serving {url}");
    let mut node = Command::new("node");
    node.args(["--test", "--test-concurrency=1"])
        .args(&specs)
        .env("KINDLING_URL", &url);
    run(node.current_dir(root()))?;

    section("All tests passed");
    Ok(())
}

/// The spec files, listed explicitly: Node 20's `--test` does not pick up `*.spec.mjs` by itself.
fn browser_specs() -> Result<Vec<PathBuf>> {
    let dir = root().join("tests/e2e");
    let entries =
        std::fs::read_dir(&dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    let mut specs: Vec<PathBuf> = entries
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| {
            path.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.ends_with(".spec.mjs"))
        })
        .map(|path| {
            path.strip_prefix(root())
                .map(Path::to_path_buf)
                .unwrap_or(path)
        })
        .collect();
    specs.sort();
    if specs.is_empty() {
        return Err(format!(
            "no browser tests (*.spec.mjs) in {}",
            dir.display()
        ));
    }
    Ok(specs)
}

/// The workspace root (the directory above xtask/). `cargo run` sets CARGO_MANIFEST_DIR for
/// the process it runs: that one, not the compile-time value, because a target dir shared by
/// clones at other paths (CI's warm cache) keeps an xtask binary built for another clone, and
/// cargo does not rebuild it when only the checkout's path changed.
pub fn root() -> &'static Path {
    static ROOT: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    ROOT.get_or_init(|| {
        let manifest = env::var_os("CARGO_MANIFEST_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")));
        manifest
            .parent()
            .expect("xtask/ should sit inside the workspace root")
            .to_path_buf()
    })
}

/// The shared cargo target dir: CARGO_TARGET_DIR, or ~/.cache/kindling-target when unset.
pub fn target_dir() -> PathBuf {
    match env::var_os("CARGO_TARGET_DIR").filter(|dir| !dir.is_empty()) {
        Some(dir) => root().join(dir),
        None => home().join(".cache/kindling-target"),
    }
}

pub fn home() -> PathBuf {
    env::var_os("HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("."))
}

/// The cargo that runs us (same toolchain), with the shared target dir made explicit.
pub fn cargo() -> Command {
    let mut command = Command::new(env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    command
        .current_dir(root())
        .env("CARGO_TARGET_DIR", target_dir());
    command
}

/// Runs a command to completion, output straight to the terminal; fails on a non-zero exit.
pub fn run(command: &mut Command) -> Result {
    let shown = show(command);
    println!("$ {shown}");
    let status = command
        .status()
        .map_err(|e| format!("cannot start `{shown}`: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{shown}` failed ({status})"))
    }
}

/// Runs a command quietly and returns its stdout, or None if it cannot start or fails.
pub fn output(command: &mut Command) -> Option<String> {
    let out = command.output().ok().filter(|out| out.status.success())?;
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

fn show(command: &Command) -> String {
    let program = command.get_program().to_string_lossy();
    let program = Path::new(&*program)
        .file_name()
        .map_or(program.to_string(), |n| n.to_string_lossy().into());
    std::iter::once(program)
        .chain(
            command
                .get_args()
                .map(|arg| arg.to_string_lossy().into_owned()),
        )
        .collect::<Vec<_>>()
        .join(" ")
}

pub fn section(title: &str) {
    println!("\n==== {title} ====");
}
