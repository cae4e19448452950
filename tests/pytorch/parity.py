"""Runs each exported .py under real PyTorch: its predict on the test inputs must match
Kindling's outputs within 1e-5 (f32). A table model's script must encode the table's own text
exactly as Kindling did, and its probabilities (or values) match the page's predictions; its
predict-table command writes one row per input row, and it trains on the table file itself. A
sequence model's script must read a text as the page did (the same ids) and give the same
next-character or class probabilities; its generate and classify commands run. Then the DDP
check: torchrun --nproc_per_node 2 (gloo) trains one exported model a few steps; the loss must
fall and both ranks end with the same weights. Usage: python parity.py DIR (written by `cargo run --release --example pytorch_parity`)."""
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


def table_parity(directory, name):
    script = load(os.path.join(directory, f"{name}.py"))
    model = script.Model()
    script.load_kindling(model, os.path.join(directory, f"{name}.safetensors"))
    test, _ = script.read_safetensors(os.path.join(directory, f"{name}.test.safetensors"))
    rows = script.read_table(os.path.join(directory, f"{name}.rows.csv"))
    x = script.encode_rows(rows)
    assert torch.equal(x, test["x"]), f"{name}: the script encodes the rows otherwise than Kindling"
    got = script.outputs_of(model, x)
    # A value is in the target's units (hundreds here): compare it relative to its size.
    scale = max(1.0, test["outputs"].abs().max().item()) if not script.CLASSES else 1.0
    diff = (got - test["outputs"]).abs().max().item() / scale
    print(f"{name}: {len(rows)} rows of text encoded as Kindling did, max |diff| = {diff:.3g}"
          f"{' (relative)' if scale > 1 else ''}")
    assert diff <= TOLERANCE, f"{name}: max |diff| {diff} > {TOLERANCE}"
    out = os.path.join(directory, f"{name}.predictions.csv")
    run = subprocess.run([sys.executable, os.path.join(directory, f"{name}.py"), "predict-table",
                          os.path.join(directory, f"{name}.safetensors"),
                          os.path.join(directory, f"{name}.rows.csv"), out],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-3000:]
    predicted = script.read_table(out)
    assert len(predicted) == len(rows), (len(predicted), len(rows))
    assert f"predicted {script.TARGET}" in predicted[0], list(predicted[0])
    trained = os.path.join(directory, f"{name}.trained.safetensors")
    run = subprocess.run([sys.executable, os.path.join(directory, f"{name}.py"), "train",
                          os.path.join(directory, f"{name}.safetensors"),
                          os.path.join(directory, f"{name}.rows.csv"), "30", trained],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-3000:]
    report = json.loads(run.stdout.strip().splitlines()[-1])
    assert report["lossAfter"] < report["lossBefore"], report
    print(f"{name}: predict-table wrote {len(predicted)} rows; 30 steps on the CSV itself: loss "
          f"{report['lossBefore']:.4f} -> {report['lossAfter']:.4f}")


def text_parity(directory, name):
    script = load(os.path.join(directory, f"{name}.py"))
    model = script.Model()
    model_file = os.path.join(directory, f"{name}.safetensors")
    script.load_kindling(model, model_file)
    with open(os.path.join(directory, f"{name}.texts.json"), encoding="utf-8") as f:
        texts = json.load(f)
    worst = 0.0
    for case in texts:
        ids = script.encode_text(case["text"])
        # The page keeps a prompt whole and cuts the context where it reads it: the last LENGTH.
        want = case["ids"][-script.LENGTH:] if script.KIND == "lm" else case["ids"]
        assert ids.tolist() == [want], f"{name}: {case['text']!r} read as {ids.tolist()}, Kindling {want}"
        if script.KIND == "lm":
            got = script.next_token(model, ids, case["temperature"]).tolist()
        else:
            got = list(script.classify(model, case["text"]).values())
        assert len(got) == len(case["probabilities"]), (len(got), len(case["probabilities"]))
        worst = max(worst, max(abs(a - b) for a, b in zip(got, case["probabilities"])))
    print(f"{name} ({script.KIND}, {script.UNIT}): {len(texts)} texts read as Kindling read them, "
          f"max |diff| of the probabilities = {worst:.3g}")
    assert worst <= TOLERANCE, f"{name}: max |diff| {worst} > {TOLERANCE}"
    command = ["generate", model_file, "Shall I", "40"] if script.KIND == "lm" else ["classify", model_file, texts[0]["text"]]
    run = subprocess.run([sys.executable, os.path.join(directory, f"{name}.py"), *command],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-3000:]
    if script.KIND == "lm":
        # The sonnets' tokens are single characters: the prompt, 40 of them and print's newline.
        assert run.stdout.startswith("Shall I") and len(run.stdout) == len("Shall I") + 41, run.stdout
    else:
        assert set(json.loads(run.stdout)) == set(script.OUTPUTS), run.stdout
    print(f"{name}: `{command[0]}` ran: {run.stdout.strip()[:60]!r}")


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
    for name in ("table-label", "table-score"):
        table_parity(directory, name)
    for name in ("charlm", "classifier-words", "classifier-chars"):
        text_parity(directory, name)
    ddp(directory, "points")
