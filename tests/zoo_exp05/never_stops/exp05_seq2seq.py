"""Greedy decoding that waits for an end-of-sentence token its "model" never writes, with no
maximum length: translate() never returns, and the harness must stop it at its time budget.

The loop keeps only the current word, so the worker's memory stays flat and the
budget (not the memory limit) is what stops it. attention() is a monotone
alignment over the source, a proper distribution, so the attention checks pass;
the checks that need translations must fail or be skipped, naming the timeout.
"""
import numpy as np

EOS = "</s>"


def train_translator(source, target, budget):
    return {"words": sorted({w for t in target for w in t.split()})}


def translate(model, sentences):
    words = model["words"]
    out = []
    for sentence in sentences:
        token, step = None, 0
        while token != EOS:  # the defect: no length limit, and EOS is not among the words
            token = words[step % len(words)]
            step += 1
        out.append(sentence)
    return out


def attention(model, sentence):
    tokens = str(sentence).split()
    return np.eye(len(tokens)), tokens, tokens
