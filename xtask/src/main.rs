//! `cargo xtask serve | test | check | bench | dist`: installs what is missing, builds the wasm
//! package, then serves the app, runs every check and test, only the checks, the browser
//! benchmark, or writes the static site (as wgpu's xtask does).

mod bench;
mod build;
mod check;
mod dist;
mod pytorch;
mod serve;
mod setup;
mod threads;

use std::env;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

/// The native tests' features; clippy takes the same, and the PyTorch parity runs the example
/// this build makes.
pub const NATIVE_FEATURES: [&str; 2] = ["--features", "kindling/gpu"];

const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  serve [--port N] [--host ADDR] [--no-build]
                     set up, build, then serve the app at http://127.0.0.1:N/ (default 8000);
                     --host 0.0.0.0 serves it to the local network too (a classroom) and
                     prints the addresses others can open; --no-build serves pkg/ as it is
  test               set up, run the checks, then the native tests (release, with the Vulkan
                     backend of the kindling command: --features gpu), the PyTorch
                     parity of the exported .py (a venv in ~/.cache/kindling-venv) and the
                     browser tests
  check              set up, cargo fmt --check, clippy -D warnings (native and wasm32), build
                     both wasm packages (pkg/, pkg-threads/), then tsc and eslint over the
                     JavaScript (against their .d.ts)
  bench              set up, build, measure the wasm size and run the browser benchmark
                     (writes bench/results.json), and the threaded build against the single
                     one (bench/threads.json)
  build              set up, then only build the wasm package (pkg/)
  threads            set up, then only build the threaded wasm (pkg-threads/: CPU only, every
                     core; a pinned nightly with rust-src, installed where missing)
  dist [--out DIR] [--no-build]
                     set up, build, then write the app as a static folder for any host, at
                     any sub-path, working offline (default DIR: dist/)
  setup              only install what is missing (wasm target, wasm-bindgen CLI, npm packages)
";

/// An error that ends the command with a message for the user.
pub type Result<T = ()> = std::result::Result<T, String>;

fn main() -> ExitCode {
    let args: Vec<String> = env::args().skip(1).collect();
    let outcome = match args.first().map(String::as_str) {
        Some("serve") => serve_args(&args[1..]).and_then(|a| serve_command(&a)),
        Some("test") => test_command(),
        Some("check") => check::command(),
        Some("bench") => bench::command(),
        Some("setup") => setup::install(),
        Some("build") => setup::install().and_then(|()| build::wasm()),
        Some("threads") => setup::install().and_then(|()| threads::wasm()),
        Some("dist") => dist::args(&args[1..]).and_then(|options| dist::command(&options)),
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

struct ServeArgs {
    port: u16,
    host: std::net::IpAddr,
    build: bool,
}

/// `[--port N] [--host ADDR] [--no-build]`.
fn serve_args(args: &[String]) -> Result<ServeArgs> {
    let mut serve = ServeArgs {
        port: 8000,
        host: std::net::Ipv4Addr::LOCALHOST.into(),
        build: true,
    };
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let mut value = || args.next().map(String::as_str).unwrap_or("");
        match arg.as_str() {
            "--port" => {
                let value = value();
                serve.port = value
                    .parse()
                    .map_err(|_| format!("--port wants a number from 0 to 65535, got '{value}'"))?;
            }
            "--host" => {
                let value = value();
                serve.host = value.parse().map_err(|_| {
                    format!("--host wants an IP address (0.0.0.0 for every network), got '{value}'")
                })?;
            }
            "--no-build" => serve.build = false,
            _ => {
                return Err(format!(
                    "serve takes --port N, --host ADDR and --no-build, got '{arg}'"
                ));
            }
        }
    }
    Ok(serve)
}

fn serve_command(args: &ServeArgs) -> Result {
    if args.build {
        setup::install()?;
        build::wasm()?;
        // The page's CPU on every core; without it the page trains on one thread and says so.
        if let Err(e) = threads::wasm() {
            println!("the threaded build failed ({e}): the page will train on one thread");
        }
    }
    section("Serve");
    let server = serve::Server::bind(args.host, args.port)?;
    println!("Kindling at {}  (Ctrl-C to stop)", server.url());
    for url in server.reachable_urls() {
        println!("  others on your network can open {url}");
    }
    if !args.host.is_loopback() && server.reachable_urls().is_empty() {
        println!(
            "  (no network address found: open http://<this computer's address>:{}/)",
            server.port()
        );
    }
    server.run();
    Ok(())
}

fn test_command() -> Result {
    check::command()?;

    section("Native tests (cargo test --release --workspace --features kindling/gpu)");
    // The workspace: the kindling crate and the static server's own tests in xtask. With the
    // `gpu` feature (wgpu natively), so that the `kindling` command's Vulkan backend is tested
    // (tests/cli.rs, on Mesa's lavapipe where it is installed); the PyTorch parity below runs the
    // example this builds, so Burn compiles once.
    run(cargo()
        .args(["test", "--release", "--workspace"])
        .args(NATIVE_FEATURES))?;
    pytorch::parity()?;

    section("Browser tests (node --test tests/e2e)");
    let specs = browser_specs()?;
    // The static site, which tests/e2e/dist.spec.mjs serves from a sub-path with its own server.
    let dist = target_dir().join("dist-test/kindling");
    dist::write(&dist)?;
    println!("static site for the dist tests in {}", dist.display());
    let server = serve::Server::bind(std::net::Ipv4Addr::LOCALHOST.into(), 0)?;
    let url = server.url();
    std::thread::spawn(move || server.run());
    println!("serving {url}");
    let mut node = Command::new("node");
    node.args(["--test", "--test-concurrency=1"])
        .args(&specs)
        .env("KINDLING_URL", &url)
        .env("KINDLING_DIST", &dist);
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
