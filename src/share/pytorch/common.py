

# ---- Kindling's .safetensors file, read with json + torch.frombuffer (docs/share-format.md) ----

def read_safetensors(path):
    """{name: tensor} and the metadata of a safetensors file (every tensor F32 little-endian)."""
    with open(path, "rb") as f:
        data = f.read()
    (length,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + length])
    metadata = header.pop("__metadata__", {})
    tensors = {}
    for name, entry in header.items():
        if entry["dtype"] != "F32":
            raise ValueError(f"tensor {name} is {entry['dtype']}; Kindling writes F32")
        begin, end = entry["data_offsets"]
        raw = bytearray(data[8 + length + begin:8 + length + end])
        tensors[name] = torch.frombuffer(raw, dtype=torch.float32).reshape(entry["shape"]).clone()
    return tensors, metadata


def write_safetensors(path, tensors, metadata):
    """The inverse of read_safetensors: F32 tensors in name order, 8-byte aligned header."""
    header, chunks, offset = {}, [], 0
    for name in sorted(tensors):
        values = tensors[name].detach().to(torch.float32).flatten().tolist()
        raw = struct.pack(f"<{len(values)}f", *values)
        header[name] = {"dtype": "F32", "shape": list(tensors[name].shape),
                        "data_offsets": [offset, offset + len(raw)]}
        chunks.append(raw)
        offset += len(raw)
    header["__metadata__"] = metadata
    text = json.dumps(header).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(chunks))


def load_kindling(model, path):
    """The weights of Kindling's file into `model`, through LAYOUT (name and layout changes)."""
    tensors, metadata = read_safetensors(path)
    state = {}
    for kindling_name, torch_name, transpose in LAYOUT:
        t = tensors[kindling_name]
        state[torch_name] = t.t().contiguous() if transpose else t
    model.load_state_dict(state)
    return metadata


def save_kindling(model, path, metadata):
    """`model`'s weights in Kindling's layout, so that the page can open the file again."""
    state = model.state_dict()
    tensors = {k: (state[t].t() if transpose else state[t]) for k, t, transpose in LAYOUT}
    write_safetensors(path, tensors, metadata)


# ---- Training: the same loss and optimiser as Kindling; under torchrun, DistributedDataParallel ----

def make_optimizer(params):
    lr, decay = TRAIN["learningRate"], TRAIN["weightDecay"]
    kind = TRAIN["optimizer"]
    if kind == "sgd":
        return torch.optim.SGD(params, lr=lr, momentum=TRAIN["momentum"], weight_decay=decay)
    if kind == "adamw":
        return torch.optim.AdamW(params, lr=lr, betas=(0.9, 0.999), eps=1e-5, weight_decay=decay)
    # Kindling's Adam: β = (0.9, 0.999), ε = 1e-5, weight decay as an L2 penalty on the gradient.
    return torch.optim.Adam(params, lr=lr, betas=(0.9, 0.999), eps=1e-5, weight_decay=decay)


def train(model_path, data_path, steps, out_path):
    """`steps` steps on the file's x (inputs) and y (targets); writes the weights to out_path."""
    distributed = int(os.environ.get("WORLD_SIZE", "1")) > 1
    if distributed:
        torch.distributed.init_process_group("gloo")
    rank = torch.distributed.get_rank() if distributed else 0
    world = torch.distributed.get_world_size() if distributed else 1
    model = Model()
    metadata = load_kindling(model, model_path)
    if data_path.endswith((".csv", ".tsv")):
        rows = read_table(data_path)  # a table model's own file: its rows, encoded as in training
        x, y = encode_rows(rows), targets_of(rows)
    else:
        data, _ = read_safetensors(data_path)
        x, y = data["x"], data["y"]
    net = torch.nn.parallel.DistributedDataParallel(model) if distributed else model
    optimizer = make_optimizer(net.parameters())
    # Every rank draws the same batch order (the same seed) and takes its own share of each batch.
    order = torch.Generator().manual_seed(TRAIN["seed"])
    batch = min(TRAIN["batchSize"], len(x))
    before = full_loss(model, x, y)
    for _ in range(steps):
        rows = torch.randperm(len(x), generator=order)[:batch][rank::world]
        net.train()
        optimizer.zero_grad()
        loss_of(net, x[rows], y[rows]).backward()
        optimizer.step()
    after = full_loss(model, x, y)
    metadata = dict(metadata, **{"kindling.step": str(int(metadata.get("kindling.step", "0")) + steps)})
    target = out_path if world == 1 else f"{out_path}.rank{rank}"
    save_kindling(model, target, metadata)
    # One write per report: the ranks share the terminal, and print's separate newline let two
    # reports run into one line.
    sys.stdout.write(json.dumps({"rank": rank, "lossBefore": before, "lossAfter": after}) + "\n")
    sys.stdout.flush()
    if distributed:
        torch.distributed.destroy_process_group()


def full_loss(model, x, y):
    model.eval()
    with torch.no_grad():
        return float(loss_of(model, x, y))


def main(argv):
    if len(argv) >= 4 and argv[1] == "predict":
        model = Model()
        load_kindling(model, argv[2])
        data, _ = read_safetensors(argv[3])
        print(predict(model, data["x"]).tolist())
    elif len(argv) >= 4 and argv[1] == "predict-table" and "predict_table" in globals():
        model = Model()
        load_kindling(model, argv[2])
        table = predict_table(model, read_table(argv[3]))
        if len(argv) > 4:
            with open(argv[4], "w", newline="", encoding="utf-8") as out:
                write_table(table, out)
        else:
            write_table(table, sys.stdout)
    elif len(argv) >= 4 and argv[1] == "generate" and globals().get("KIND") == "lm":
        model = Model()
        load_kindling(model, argv[2])
        length = int(argv[4]) if len(argv) > 4 else 200
        temperature = float(argv[5]) if len(argv) > 5 else 1.0
        print(argv[3] + generate(model, argv[3], length, temperature))
    elif len(argv) >= 4 and argv[1] == "classify" and globals().get("KIND") in ("classifier", "task"):
        model = Model()
        load_kindling(model, argv[2])
        print(json.dumps(classify(model, argv[3]), indent=1, ensure_ascii=False))
    elif len(argv) >= 5 and argv[1] == "train":
        train(argv[2], argv[3], int(argv[4]), argv[5] if len(argv) > 5 else "trained.safetensors")
    else:
        print(__doc__)


if __name__ == "__main__":
    main(sys.argv)
