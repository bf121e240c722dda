"""The reference solution of Experiment 5, graded as `--submission=reference`.

The experiment's public part (aim, interface, targets, budgets) is `__init__.py`
beside this file; a student kit ships that part without this one.
"""

from __future__ import annotations

import numpy as np

from reference.spec import Budget

# ---------------------------------------------------------------------------
# Reference solution (PyTorch): a bidirectional GRU encoder and a GRU decoder with
# Luong (multiplicative) attention over word tokens.
#
# Why this shape is fast on a CPU: without "input feeding" the decoder's GRU does not
# depend on the attention, so under teacher forcing it runs over the whole target in
# one nn.GRU call and attention for every step is two batched matrix products. Only
# greedy decoding steps token by token. Batches hold sources of one length, so the
# encoder needs neither packing nor a mask during training.

import re
import time

EMBED, HIDDEN = 128, 256  # the encoder's two directions have HIDDEN // 2 units each
BATCH_SIZE = 64
LR, WARMUP_STEPS, FINAL_LR_FRACTION = 3e-3, 100, 0.05
DROPOUT, LABEL_SMOOTHING = 0.1, 0.1
MAX_SOURCE_TOKENS = 200  # longer inputs are cut: the model never saw anything near this
DECODE_BATCH = 256
PAD, BOS, EOS, UNK = 0, 1, 2, 3
SPECIALS = ("<pad>", "<s>", "</s>", "<unk>")

# Word-level tokens: every English and French word form of the corpus is frequent, so
# subwords would only make the sequences longer. Hyphenated words stay whole
# (vingt-deux); elided French articles are their own token (l' + enfant); the English
# possessive 's too.
_EN_TOKEN = re.compile(r"'s\b|\w+(?:-\w+)*|[^\w\s]")
_FR_TOKEN = re.compile(r"\w+(?:-\w+)*'?|[^\w\s]")


def english_tokens(sentence: str) -> list[str]:
    return _EN_TOKEN.findall(sentence.lower())


def french_tokens(sentence: str, proper: frozenset = frozenset()) -> list[str]:
    """Tokens with the sentence's capital removed unless the word is always capitalised (Paul, Londres)."""
    return uncapitalised(_FR_TOKEN.findall(sentence), proper)


def uncapitalised(tokens: list[str], proper: frozenset) -> list[str]:
    if tokens and tokens[0] not in proper:
        tokens[0] = tokens[0].lower()
    return tokens


def detokenise_french(tokens: list[str]) -> str:
    """The inverse of french_tokens on the corpus: no space before , or . nor after an elision (l')."""
    text = " ".join(tokens)
    text = re.sub(r" ([.,])", r"\1", text)
    text = re.sub(r"(\w') ", r"\1", text)
    return text[:1].upper() + text[1:]


def capitalised_words(token_lists) -> frozenset:
    """Words written with a capital inside a sentence (the sentences' raw tokens), where only names and places have one."""
    return frozenset(t for tokens in token_lists for t in tokens[1:] if t[:1].isupper())


class Vocabulary:
    def __init__(self, counts: dict):
        self.words = list(SPECIALS) + sorted(counts, key=lambda w: (-counts[w], w))
        self.index = {w: i for i, w in enumerate(self.words)}

    def __len__(self):
        return len(self.words)

    def ids(self, tokens) -> list[int]:
        return [self.index.get(t, UNK) for t in tokens]


def build_vocabulary(token_lists) -> Vocabulary:
    from collections import Counter
    from itertools import chain

    return Vocabulary(Counter(chain.from_iterable(token_lists)))


def make_model(src_vocab: int, tgt_vocab: int):
    import torch
    from torch import nn

    class Seq2Seq(nn.Module):
        def __init__(self):
            super().__init__()
            self.src_embed = nn.Embedding(src_vocab, EMBED, padding_idx=PAD)
            self.tgt_embed = nn.Embedding(tgt_vocab, EMBED, padding_idx=PAD)
            self.encoder = nn.GRU(EMBED, HIDDEN // 2, batch_first=True, bidirectional=True)
            self.bridge = nn.Linear(HIDDEN, HIDDEN)  # encoder's last states -> decoder's first
            self.decoder = nn.GRU(EMBED, HIDDEN, batch_first=True)
            self.key = nn.Linear(HIDDEN, HIDDEN, bias=False)  # Luong's "general" score h^T W s
            self.combine = nn.Linear(2 * HIDDEN, HIDDEN)
            self.out = nn.Linear(HIDDEN, tgt_vocab)
            self.drop = nn.Dropout(DROPOUT)

        def encode(self, src, lengths=None):
            """src (B, S) -> memory (B, S, HIDDEN), keys, the decoder's first state, pad mask or None."""
            x = self.drop(self.src_embed(src))
            if lengths is None or bool((lengths == src.shape[1]).all()):
                memory, h = self.encoder(x)
                mask = None
            else:  # mixed lengths (decoding): pack so the backward direction starts at each real end
                packed = nn.utils.rnn.pack_padded_sequence(x, lengths.cpu(), batch_first=True, enforce_sorted=False)
                memory, h = self.encoder(packed)
                memory, _ = nn.utils.rnn.pad_packed_sequence(memory, batch_first=True, total_length=src.shape[1])
                mask = src == PAD
            state = torch.tanh(self.bridge(torch.cat([h[0], h[1]], dim=1))).unsqueeze(0)
            return memory, self.key(memory), state, mask

        def attend(self, dec, memory, keys, mask):
            """Decoder states (B, T, H) -> logits (B, T, V) and attention (B, T, S)."""
            scores = dec @ keys.transpose(1, 2)
            if mask is not None:
                scores = scores.masked_fill(mask.unsqueeze(1), float("-inf"))
            weights = torch.softmax(scores, dim=-1)
            context = weights @ memory
            hidden = torch.tanh(self.combine(torch.cat([dec, context], dim=-1)))
            return self.out(self.drop(hidden)), weights

        def forward(self, src, tgt_in):  # teacher forcing: the whole target at once
            memory, keys, state, mask = self.encode(src)
            dec, _ = self.decoder(self.drop(self.tgt_embed(tgt_in)), state)
            return self.attend(dec, memory, keys, mask)[0]

        def step(self, y, state, memory, keys, mask):
            dec, state = self.decoder(self.tgt_embed(y).unsqueeze(1), state)
            logits, weights = self.attend(dec, memory, keys, mask)
            return logits[:, 0], weights[:, 0], state

    return Seq2Seq()


class Translator:
    """What train_translator returns: the network and what it needs to read and write text."""

    def __init__(self, net, src_vocab: Vocabulary, tgt_vocab: Vocabulary, proper: frozenset):
        self.net, self.src_vocab, self.tgt_vocab, self.proper = net, src_vocab, tgt_vocab, proper


def length_batches(src_ids: list, rng: np.random.Generator) -> list:
    """Shuffled batches of sentence indices whose sources all have the same length."""
    by_length = {}
    for i in rng.permutation(len(src_ids)):
        by_length.setdefault(len(src_ids[i]), []).append(i)
    batches = [ix[k:k + BATCH_SIZE] for ix in by_length.values() for k in range(0, len(ix), BATCH_SIZE)]
    return [batches[k] for k in rng.permutation(len(batches))]


def stop_margin(budget: Budget) -> float:
    """Seconds to keep in hand: the last step, the return and the harness's own overhead."""
    return 2.0 + 0.06 * budget.seconds


def train_translator(source, target, budget: Budget):
    import torch
    import torch.nn.functional as F

    torch.set_num_threads(budget.threads)
    torch.manual_seed(budget.seed)
    rng = np.random.default_rng(budget.seed)
    device = torch.device(budget.device)
    started = time.monotonic()

    src_tokens = [english_tokens(s)[:MAX_SOURCE_TOKENS] for s in source]
    tgt_tokens = [_FR_TOKEN.findall(t) for t in target]
    proper = capitalised_words(tgt_tokens)
    tgt_tokens = [uncapitalised(t, proper) for t in tgt_tokens]
    keep = [i for i in range(len(source)) if src_tokens[i] and tgt_tokens[i]]
    src_tokens, tgt_tokens = [src_tokens[i] for i in keep], [tgt_tokens[i] for i in keep]
    src_vocab, tgt_vocab = build_vocabulary(src_tokens), build_vocabulary(tgt_tokens)
    src_ids = [list(map(src_vocab.index.__getitem__, t)) for t in src_tokens]  # every word is in its vocabulary
    tgt_ids = [list(map(tgt_vocab.index.__getitem__, t)) for t in tgt_tokens]
    tokenise_seconds = time.monotonic() - started

    net = make_model(len(src_vocab), len(tgt_vocab)).to(device)
    opt = torch.optim.Adam(net.parameters(), lr=LR)
    # The schedule runs on the clock: warm up, then decay linearly to the end of the time we have.
    train_seconds = max(budget.remaining() - stop_margin(budget), 1.0)
    t0 = time.monotonic()
    history = {"loss": [], "seconds": [], "learning_rate": []}
    step, done = 0, False
    while not done:
        net.train()
        loss_sum, tokens = 0.0, 0
        for batch in length_batches(src_ids, rng):
            progress = (time.monotonic() - t0) / train_seconds
            if progress >= 1 or budget.remaining() < stop_margin(budget):
                done = True
                break
            lr = LR * min(1.0, (step + 1) / WARMUP_STEPS) * max(FINAL_LR_FRACTION, 1.0 - progress)
            for group in opt.param_groups:
                group["lr"] = lr
            src = torch.tensor([src_ids[i] for i in batch], device=device)
            width = 1 + max(len(tgt_ids[i]) for i in batch)
            tgt = torch.full((len(batch), width + 1), PAD, dtype=torch.long)
            for row, i in enumerate(batch):
                tgt[row, :len(tgt_ids[i]) + 2] = torch.tensor([BOS, *tgt_ids[i], EOS])
            tgt = tgt.to(device)
            logits = net(src, tgt[:, :-1])
            loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), tgt[:, 1:].reshape(-1),
                                   ignore_index=PAD, label_smoothing=LABEL_SMOOTHING)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(net.parameters(), 1.0)  # the odd exploding recurrent step
            opt.step()
            step += 1
            n = int((tgt[:, 1:] != PAD).sum())
            loss_sum, tokens = loss_sum + float(loss.detach()) * n, tokens + n
        if tokens:
            history["loss"].append(loss_sum / tokens)
            history["seconds"].append(time.monotonic() - t0)
            history["learning_rate"].append(lr)
    history["tokenise_seconds"] = [tokenise_seconds]
    history["steps"] = [step]
    return Translator(net.eval(), src_vocab, tgt_vocab, proper), history


def max_output_tokens(sentence: str) -> int:
    """Decoding stops here at the latest: 2x the source words + 5 (French runs ~1.25x English)."""
    return 2 * len(sentence.split()) + 5


def greedy_decode(model: Translator, sentences: list[str], keep_attention: bool = False):
    """Greedy decoding of sentences batched by length -> (token lists, attention arrays or None)."""
    import torch

    net = model.net
    device = next(net.parameters()).device
    src_ids = [model.src_vocab.ids(english_tokens(s)[:MAX_SOURCE_TOKENS]) or [UNK] for s in sentences]
    limits = [max_output_tokens(s) for s in sentences]
    order = sorted(range(len(sentences)), key=lambda i: len(src_ids[i]))
    outputs, attentions = [None] * len(sentences), [None] * len(sentences)
    with torch.inference_mode():
        for start in range(0, len(order), DECODE_BATCH):
            batch = order[start:start + DECODE_BATCH]
            lengths = torch.tensor([len(src_ids[i]) for i in batch])
            src = torch.full((len(batch), int(lengths.max())), PAD, dtype=torch.long)
            for row, i in enumerate(batch):
                src[row, :len(src_ids[i])] = torch.tensor(src_ids[i])
            memory, keys, state, mask = net.encode(src.to(device), lengths.to(device))
            limit = torch.tensor([limits[i] for i in batch], device=device)
            y = torch.full((len(batch),), BOS, dtype=torch.long, device=device)
            finished = torch.zeros(len(batch), dtype=torch.bool, device=device)
            tokens, weights = [], []
            for t in range(int(limit.max())):
                logits, w, state = net.step(y, state, memory, keys, mask)
                y = logits.argmax(-1)
                finished |= y == EOS
                y = y.masked_fill(finished, EOS)  # once finished, keep writing EOS
                tokens.append(y)
                if keep_attention:
                    weights.append(w)
                finished |= limit <= t + 1
                if bool(finished.all()):
                    break
            tokens = torch.stack(tokens, 1).cpu().tolist()
            weights = torch.stack(weights, 1).cpu().numpy() if keep_attention else None
            for row, i in enumerate(batch):
                ids = tokens[row][:limits[i]]
                n = ids.index(EOS) if EOS in ids else len(ids)
                outputs[i] = [model.tgt_vocab.words[k] for k in ids[:n]]
                if keep_attention:
                    attentions[i] = weights[row, :n, :len(src_ids[i])]
    return outputs, (attentions if keep_attention else None)


def translate(model: Translator, sentences):
    sentences = list(sentences)
    todo = [i for i, s in enumerate(sentences) if s.strip()]
    result = [""] * len(sentences)
    decoded, _ = greedy_decode(model, [sentences[i] for i in todo])
    for i, tokens in zip(todo, decoded):
        result[i] = detokenise_french(tokens)
    return result


def attention(model: Translator, sentence: str):
    """Attention of each emitted token (end token excluded) over the source tokens the encoder read."""
    source = english_tokens(sentence)[:MAX_SOURCE_TOKENS]
    if not source:
        return np.zeros((0, 0)), [], []
    decoded, weights = greedy_decode(model, [sentence], keep_attention=True)
    return weights[0].astype(np.float64), source, decoded[0]
