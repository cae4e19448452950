

# ---- Text as token ids, exactly as Kindling read its training texts ----

INDEX = {token: i for i, token in enumerate(TOKENS)}


def tokens_of(text):
    """`text` cut as Kindling cut its texts: each character, or each word lowercased (a word:
    letters, digits and apostrophes; anything else separates words)."""
    if UNIT == "char":
        return list(text)
    words, word = [], ""
    for c in text:
        # Unicode's letters and numbers (Rust's char::is_alphanumeric, which also counts the
        # vowel signs of some scripts as letters: those split a word here).
        if c == "'" or unicodedata.category(c)[0] in "LN":
            word += c
        elif word:
            words.append(word.lower())
            word = ""
    return words + [word.lower()] if word else words


def encode_text(text):
    """Token ids [1, n] of `text` as the model reads it. A text classifier: each token's id or
    <unk>'s, cut or padded with <pad> to LENGTH. A language model (or a built-in task): each
    character the vocabulary holds (others are left out), the last LENGTH at most."""
    if KIND == "classifier":
        ids = [INDEX.get(t, INDEX["<unk>"]) for t in tokens_of(text)][:LENGTH]
        ids += [INDEX["<pad>"]] * (LENGTH - len(ids))
    else:
        ids = [INDEX[c] for c in text if c in INDEX][-LENGTH:]
        if not ids:
            raise ValueError("the text has no character the model knows")
    return torch.tensor([ids])


def decode(ids, vocab=None):
    """Token ids -> text, in the input vocabulary (or `vocab`, e.g. OUTPUTS)."""
    vocab = vocab or TOKENS
    return (" " if UNIT == "word" else "").join(vocab[int(i)] for i in ids)


def next_token(model, ids, temperature=1.0):
    """P(next token | ids) [vocab] at `temperature`: the last position's softmax(logits / t)."""
    logits = predict(model, ids[:, -LENGTH:])[0, -1]
    return torch.softmax(logits / temperature, dim=0)


def generate(model, prompt, length=200, temperature=1.0, seed=0):
    """`prompt` continued by `length` tokens sampled at `temperature` (torch's generator with
    `seed`: the same model and seed give the same text, not the page's text)."""
    generator = torch.Generator().manual_seed(seed)
    ids = encode_text(prompt)
    text = ""
    for _ in range(length):
        p = next_token(model, ids, temperature)
        token = torch.multinomial(p, 1, generator=generator)
        ids = torch.cat([ids, token.reshape(1, 1)], dim=1)
        text += OUTPUTS[int(token)]
    return text


def classify(model, text):
    """{class: probability} of a text, as the page's classifier box shows them."""
    logits = predict(model, encode_text(text))  # [1, 1, classes] when pooled
    if logits.shape[1] != 1:
        raise ValueError("this model predicts a token at every position, not a class per text")
    return dict(zip(OUTPUTS, torch.softmax(logits.reshape(-1), dim=0).tolist()))
