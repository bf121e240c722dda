"""Defect: a crude stemmer that takes one final 'e' or 's' off every word of four letters or more.

It shortens words again on every pass ("geese" -> "gees" -> "gee", "studies" -> "studie" ->
"studi"), so cleaning clean text changes it. Output is still lower-case letters in single
spaces, and it never crashes: only idempotence fails. The models are the reference's.
"""
from reference_solution import letter_runs, predict, stop_words, train_model  # noqa: F401


def stem(word):
    return word[:-1] if len(word) >= 4 and word[-1] in "es" else word  # the defect: not a fixed point


def preprocess(text):
    stop = stop_words()
    return " ".join(stem(w) for w in letter_runs(text) if w not in stop and len(w) > 1)
