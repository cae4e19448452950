"""Runs each exported .py under real PyTorch: its predict on the test inputs must match
Kindling's outputs within 1e-5 (f32). Then the DDP check: torchrun --nproc_per_node 2 (gloo)
trains one exported model a few steps; the loss must fall and both ranks end with the same
weights. Usage: python parity.py DIR (written by `cargo run --release --example pytorch_parity`)."""
import importlib.util
import json
import os
import subprocess
import sys

import torch

TOLERANCE = 1e-5


def load(path):
    spec = importlib.util.spec_from_file_location(os.path.basename(path)[:-3], path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def parity(directory, name):
    script = load(os.path.join(directory, f"{name}.py"))
    model = script.Model()
    script.load_kindling(model, os.path.join(directory, f"{name}.safetensors"))
    test, _ = script.read_safetensors(os.path.join(directory, f"{name}.test.safetensors"))
    got = script.predict(model, test["x"]).reshape(test["outputs"].shape)
    diff = (got - test["outputs"]).abs().max().item()
    print(f"{name}: {test['outputs'].shape[0]} test rows, max |diff| = {diff:.3g}")
    assert diff <= TOLERANCE, f"{name}: max |diff| {diff} > {TOLERANCE}"


def ddp(directory, name, steps=20):
    out = os.path.join(directory, f"{name}.ddp.safetensors")
    run = subprocess.run(
        [sys.executable, "-m", "torch.distributed.run", "--nproc_per_node", "2",
         os.path.join(directory, f"{name}.py"), "train",
         os.path.join(directory, f"{name}.safetensors"),
         os.path.join(directory, f"{name}.data.safetensors"), str(steps), out],
        capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-3000:]
    reports = [json.loads(line) for line in run.stdout.splitlines() if line.startswith("{")]
    assert len(reports) == 2, run.stdout
    script = load(os.path.join(directory, f"{name}.py"))
    weights = [script.read_safetensors(f"{out}.rank{r}")[0] for r in (0, 1)]
    assert weights[0].keys() == weights[1].keys()
    for key in weights[0]:
        assert torch.equal(weights[0][key], weights[1][key]), f"ranks differ in {key}"
    for report in reports:
        assert report["lossAfter"] < report["lossBefore"], report
    print(f"{name} under torchrun (2 ranks, gloo, {steps} steps): loss "
          f"{reports[0]['lossBefore']:.4f} -> {reports[0]['lossAfter']:.4f}, ranks identical")


if __name__ == "__main__":
    directory = sys.argv[1]
    for name in ("points", "transformer"):
        parity(directory, name)
    ddp(directory, "points")
