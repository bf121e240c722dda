"""translate() returns an empty string for every sentence: a decoder that checks for the end token
before it writes the first word, so it stops at once.

attention() reports a monotone alignment over the source, a proper distribution
in the source's order, so only the translation-quality checks should catch it.
"""
import numpy as np


def train_translator(source, target, budget):
    return {"pairs_seen": len(source)}


def translate(model, sentences):
    return ["" for _ in sentences]  # the defect: nothing is ever written


def attention(model, sentence):
    tokens = str(sentence).split()
    return np.eye(len(tokens)), tokens, tokens
