//! The `kindling` command: goes on training, on a workstation's CPU or GPU, a model exported
//! from the page (a `.safetensors` file) or opened from a share link, and writes a model file
//! and a link the page opens where it stopped. Argument parsing and the terminal only; the
//! logic is `kindling::train::resume`.

use burn::prelude::*;
use kindling::train::resume::{Losses, check_data, evaluate, read_resumable, take_losses, written};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

const HELP: &str = "\
kindling train: go on training a model exported from the Kindling page

USAGE:
    kindling train INPUT [--steps N] [--backend cpu|vulkan|cuda] [--out OUT.safetensors]
                         [--data USER_FILE] [--eval-every N]

INPUT      a .safetensors file exported by the page, or a file holding a share link (the link
           alone or the page's address with model=k1.… in it), or the link itself
--steps    optimiser steps to take (default 1000)
--backend  cpu (Burn's flex backend), vulkan (wgpu on Vulkan: build with --features gpu),
           cuda (not available in this build)
--out      the model file to write (default: INPUT's name with .trained.safetensors); the link
           is written beside it as OUT.link
--data     the file the model was trained on, when it was trained on one (checked against the
           fingerprint the model file holds)
--eval-every  evaluate (train and test loss) every N steps (default: steps / 10)
";

struct Args {
    input: String,
    steps: usize,
    backend: String,
    out: Option<PathBuf>,
    data: Option<PathBuf>,
    eval_every: Option<usize>,
}

fn parse(mut args: impl Iterator<Item = String>) -> Result<Option<Args>, String> {
    match args.next().as_deref() {
        Some("train") => {}
        None | Some("--help" | "-h" | "help") => return Ok(None),
        Some(other) => return Err(format!("unknown command '{other}': try kindling --help")),
    }
    let mut parsed = Args {
        input: String::new(),
        steps: 1000,
        backend: "cpu".into(),
        out: None,
        data: None,
        eval_every: None,
    };
    let count = |flag: &str, v: Option<String>| -> Result<usize, String> {
        v.and_then(|v| v.parse().ok())
            .filter(|n| *n > 0)
            .ok_or_else(|| format!("{flag} needs a whole number above 0"))
    };
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--help" | "-h" => return Ok(None),
            "--steps" => parsed.steps = count("--steps", args.next())?,
            "--eval-every" => parsed.eval_every = Some(count("--eval-every", args.next())?),
            "--backend" => parsed.backend = args.next().ok_or("--backend needs a name")?,
            "--out" => parsed.out = Some(args.next().ok_or("--out needs a path")?.into()),
            "--data" => parsed.data = Some(args.next().ok_or("--data needs a path")?.into()),
            flag if flag.starts_with("--") => return Err(format!("unknown option {flag}")),
            _ if parsed.input.is_empty() => parsed.input = arg,
            _ => return Err(format!("one input only; '{arg}' is a second")),
        }
    }
    if parsed.input.is_empty() {
        return Err("kindling train needs an INPUT: a model file or a link".into());
    }
    Ok(Some(parsed))
}

fn device(backend: &str) -> Result<Device, String> {
    match backend {
        "cpu" => Ok(Device::flex()),
        "vulkan" => vulkan(),
        "cuda" => Err(
            "the cuda backend is not built in: this version has no cuda feature \
                       (use --backend vulkan, built with --features gpu)"
                .into(),
        ),
        other => Err(format!(
            "unknown backend '{other}': use cpu, vulkan or cuda"
        )),
    }
}

#[cfg(feature = "gpu")]
fn vulkan() -> Result<Device, String> {
    use burn::tensor::wgpu::WgpuBackend;
    Device::wgpu_options()
        .graphics_api(WgpuBackend::Vulkan)
        .init()
        .map_err(|e| format!("no GPU through wgpu on Vulkan: {e}"))
}

#[cfg(not(feature = "gpu"))]
fn vulkan() -> Result<Device, String> {
    Err(
        "the vulkan backend is not built in: build with --features gpu \
         (cargo run --release --features gpu --bin kindling -- train …)"
            .into(),
    )
}

fn run(args: Args) -> Result<(), String> {
    let as_path = PathBuf::from(&args.input);
    let bytes = if as_path.exists() {
        std::fs::read(&as_path).map_err(|e| format!("cannot read {}: {e}", args.input))?
    } else if args.input.contains("k1.") {
        args.input.clone().into_bytes()
    } else {
        return Err(format!("{}: no such file (and not a link)", args.input));
    };
    let resumable = read_resumable(&bytes)?;
    let given = match (&resumable.data, &args.data) {
        (Some(needed), Some(path)) => {
            let given =
                std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            let name = path
                .file_name()
                .map_or_else(String::new, |n| n.to_string_lossy().into());
            check_data(needed, &name, &given).map_err(|e| e.to_string())?;
            Some(given)
        }
        (None, Some(_)) => {
            return Err("This model was trained on a built-in dataset: it takes no --data".into());
        }
        // A link may carry the file, or name a bundled sample; else the trainer asks for it.
        _ => None,
    };
    let device = device(&args.backend)?;
    let mut learning = resumable.trainer(&device, given.as_deref())?;
    let out = args.out.clone().unwrap_or_else(|| {
        let stem = as_path.file_stem().filter(|_| as_path.exists());
        PathBuf::from(format!(
            "{}.trained.safetensors",
            stem.map_or("model".into(), |s| s.to_string_lossy())
        ))
    });
    println!(
        "{} model, {} parameters, at step {}, on {}",
        resumable.kind,
        learning.parameters(),
        resumable.step,
        args.backend
    );
    let mut history = resumable.history.clone();
    let first = evaluate(learning.as_ref())?;
    print_eval(&first);
    let eval_every = args.eval_every.unwrap_or((args.steps / 10).max(1));
    let per_read = 10.min(eval_every);
    let start = Instant::now();
    let (mut done, mut running) = (0, f32::NAN);
    while done < args.steps {
        let steps = per_read.min(args.steps - done);
        let before = learning.step_count();
        learning.train(steps);
        // The model's own settings may end training sooner (its "stop after" steps).
        let taken = learning.step_count() - before;
        if taken == 0 {
            eprintln!();
            println!("the model's settings stop training at step {before} (stop after)");
            break;
        }
        let losses = take_losses(learning.as_mut())?;
        running = losses.iter().sum::<f32>() / losses.len().max(1) as f32;
        done += taken;
        let rate = done as f64 / start.elapsed().as_secs_f64();
        progress(done, args.steps, rate, running);
        if done % eval_every == 0 || done == args.steps {
            let losses = evaluate(learning.as_ref())?;
            eprintln!();
            print_eval(&losses);
            history.push([
                losses.step as f32,
                losses.train,
                losses.test,
                losses.accuracy,
            ]);
        }
    }
    let seconds = start.elapsed().as_secs_f64();
    println!(
        "{done} steps in {seconds:.1} s: {:.1} steps/s (last loss {running:.4})",
        done as f64 / seconds
    );
    let (file, link) = written(learning.as_ref(), &resumable, history)?;
    std::fs::write(&out, file).map_err(|e| format!("cannot write {}: {e}", out.display()))?;
    println!("wrote {}", out.display());
    let link_path = out.with_extension("link");
    std::fs::write(&link_path, &link)
        .map_err(|e| format!("cannot write {}: {e}", link_path.display()))?;
    // A link past a few thousand characters fits no chat message or address bar well: the
    // page opens it from its file (or the model file) instead.
    if link.len() <= 8000 {
        println!("link: {link}");
    } else {
        println!(
            "link: {} characters, in {} (open the model file in the page, or paste the link)",
            link.len(),
            link_path.display()
        );
    }
    Ok(())
}

/// One line rewritten in place: a bar, steps/s and the running loss.
fn progress(done: usize, total: usize, rate: f64, loss: f32) {
    let width = 30;
    let filled = done * width / total;
    eprint!(
        "\r[{}{}] {done}/{total} {rate:.1} steps/s loss {loss:.4}",
        "#".repeat(filled),
        "-".repeat(width - filled)
    );
    let _ = std::io::stderr().flush();
}

fn print_eval(l: &Losses) {
    let accuracy = if l.accuracy.is_nan() {
        String::new()
    } else {
        format!(", test accuracy {:.1}%", 100.0 * l.accuracy)
    };
    println!(
        "step {}: train loss {:.4}, test loss {:.4}{accuracy}",
        l.step, l.train, l.test
    );
}

fn main() -> ExitCode {
    match parse(std::env::args().skip(1)) {
        Ok(None) => {
            print!("{HELP}");
            ExitCode::SUCCESS
        }
        Ok(Some(args)) => match run(args) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::FAILURE
            }
        },
        Err(e) => {
            eprintln!("error: {e}\n\n{HELP}");
            ExitCode::from(2)
        }
    }
}
