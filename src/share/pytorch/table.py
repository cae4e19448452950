

# ---- A table's rows as the network's inputs, exactly as Kindling encoded its training rows ----

def is_missing(cell):
    """Kindling's missing cell: empty, R's NA, or NaN in any case."""
    cell = cell.strip()
    return cell in ("", "NA") or cell.lower() == "nan"


def number(cell, column, line):
    """A numeric cell's value: 5.3, or a decimal comma (5,3 and 1.234,5) as Kindling reads it."""
    try:
        value = float(cell)
    except ValueError:
        try:
            value = float(cell.replace(".", "").replace(",", "."))
        except ValueError:
            raise ValueError(f"line {line}: '{cell}' in column '{column}' is not a number") from None
    if not math.isfinite(value):
        raise ValueError(f"line {line}: '{cell}' in column '{column}' is not a finite number")
    return value


def encode_rows(rows):
    """Rows (dicts column -> text, as read_table gives them) -> the inputs [n, INPUTS]: each
    numeric column standardised with the train split's mean and std, each category one-hot in
    ENCODING's order. A missing column or a category training never saw is an error naming it."""
    encoded = []
    for line, row in enumerate(rows, start=2):
        inputs = []
        for column in ENCODING:
            name = column["column"]
            if name not in row:
                raise KeyError(f"the table has no column '{name}'; the model was trained on it")
            cell = (row[name] or "").strip()
            if column["kind"] == "numeric":
                # A missing value is the train mean, 0 once standardised.
                value = column["mean"] if is_missing(cell) else number(cell, name, line)
                inputs.append((value - column["mean"]) / column["std"])
                continue
            one_hot = [0.0] * (len(column["categories"]) + int(column["other"]))
            value = column["mode"] if is_missing(cell) else cell
            if value in column["categories"]:
                one_hot[column["categories"].index(value)] = 1.0
            elif column["other"]:
                one_hot[-1] = 1.0  # the input shared by the rare (and unseen) categories
            else:
                raise ValueError(f"line {line}: '{value}' in column '{name}' was never seen in training")
            inputs.extend(one_hot)
        encoded.append(inputs)
    # In f64 first, then rounded once to f32, as Kindling does.
    return torch.tensor(encoded, dtype=torch.float64).reshape(-1, INPUTS).to(torch.float32)


def read_table(path):
    """A CSV or TSV file's rows as dicts (the delimiter: a tab, ';' or ',', whichever the header
    line holds most of)."""
    with open(path, newline="", encoding="utf-8-sig") as f:
        text = f.read()
    header = text.split("\n", 1)[0]
    delimiter = max(["\t", ";", ","], key=header.count)
    return list(csv.DictReader(io.StringIO(text), delimiter=delimiter))


def outputs_of(model, rows):
    """What the page shows for encoded rows: each class's probability [n, classes], or the value
    in the target's own units [n, 1]."""
    out = predict(model, rows)
    if CLASSES:
        return torch.softmax(out, dim=1)
    mean, std = TARGET_SCALE
    return out * std + mean


def predict_table(model, rows):
    """Each row with the prediction beside its own columns, as the page's predictions CSV:
    "predicted TARGET", then "P(TARGET = class)" for each class."""
    outputs = outputs_of(model, encode_rows(rows))
    table = []
    for row, out in zip(rows, outputs.tolist()):
        row = dict(row)
        if CLASSES:
            row[f"predicted {TARGET}"] = CLASSES[max(range(len(out)), key=out.__getitem__)]
            for name, p in zip(CLASSES, out):
                row[f"P({TARGET} = {name})"] = f"{p:.6g}"
        else:
            row[f"predicted {TARGET}"] = f"{out[0]:.6g}"
        table.append(row)
    return table


def write_table(table, out):
    """The predictions as CSV on `out` (a file or sys.stdout)."""
    if table:
        writer = csv.DictWriter(out, fieldnames=list(table[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(table)


def targets_of(rows):
    """The target column of rows as the network trains on it: the class's index in CLASSES, or
    the value standardised with the train split's mean and std."""
    if CLASSES:
        return torch.tensor([float(CLASSES.index(row[TARGET].strip())) for row in rows])
    mean, std = TARGET_SCALE
    values = [(number(row[TARGET].strip(), TARGET, line) - mean) / std for line, row in enumerate(rows, start=2)]
    return torch.tensor(values, dtype=torch.float64).to(torch.float32)
