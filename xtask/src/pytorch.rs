//! `cargo xtask test`'s PyTorch section: the exported `.py` of each model under real PyTorch
//! (its predictions within 1e-5 of Kindling's, and two gloo processes under torchrun training it
//! to the same weights; tests/pytorch/parity.py). PyTorch lives in a virtual environment outside
//! the clone, `$KINDLING_VENV` or ~/.cache/kindling-venv, made and filled once (`pip install
//! torch numpy` from PyPI; numpy only quiets torch's warning without it. The wheels download through
//! pip's own cache, ~/.cache/pip).

use crate::{home, output, root, run, section, target_dir};
use std::env;
use std::path::PathBuf;
use std::process::Command;

fn venv() -> PathBuf {
    env::var_os("KINDLING_VENV")
        .filter(|dir| !dir.is_empty())
        .map_or_else(|| home().join(".cache/kindling-venv"), PathBuf::from)
}

/// The venv's python, with torch in it (installed when missing).
fn python_with_torch() -> crate::Result<PathBuf> {
    let venv = venv();
    let python = venv.join("bin/python");
    if !python.exists() {
        run(Command::new("python3").args(["-m", "venv"]).arg(&venv))?;
    }
    let version =
        output(Command::new(&python).args(["-c", "import numpy, torch; print(torch.__version__)"]));
    match version {
        Some(version) => println!("ok   torch {} in {}", version.trim(), venv.display()),
        None => run(Command::new(&python).args(["-m", "pip", "install", "torch", "numpy"]))?,
    }
    Ok(python)
}

pub fn parity() -> crate::Result {
    section("PyTorch parity (tests/pytorch/parity.py, the exported .py under real PyTorch)");
    let python = python_with_torch()?;
    let dir = target_dir().join("pytorch-parity");
    // The example as the native tests built it (`cargo test` builds every example, with their
    // features and xtask's): a `cargo run` would resolve the features anew and build Burn twice.
    let example = target_dir().join("release/examples/pytorch_parity");
    if !example.exists() {
        return Err(format!(
            "no {}: the native tests (cargo test --release --workspace) build it",
            example.display()
        ));
    }
    run(Command::new(example).arg(&dir).current_dir(root()))?;
    run(Command::new(python)
        .arg("tests/pytorch/parity.py")
        .arg(&dir)
        .current_dir(root()))
}
