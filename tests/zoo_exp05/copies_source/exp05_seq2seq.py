"""Learns nothing: translate() hands back the English sentence unchanged (about 0.3 BLEU on the corpus).

Its attention is the alignment of a copy, each output word on the source word it
copies: a proper distribution that follows the source order, so only the
translation-quality checks should catch it.
"""
import numpy as np


def train_translator(source, target, budget):
    return {"pairs_seen": len(source)}


def translate(model, sentences):
    return [str(s) for s in sentences]  # the defect: the source is returned as its own translation


def attention(model, sentence):
    tokens = str(sentence).split()
    return np.eye(len(tokens)), tokens, tokens
