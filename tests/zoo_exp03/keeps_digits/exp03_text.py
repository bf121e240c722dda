"""Defect: preprocess keeps digits: it splits on what is not a letter *or a digit* ("2026 GPUs" -> "2026 gpu").

Output is still lower-case, single-spaced and idempotent, and cleaning never crashes, so only the
letters-only property can see it. The models are the reference's (its own cleaning inside).
"""
import re
import unicodedata

from reference_solution import clean_word, predict, train_model  # noqa: F401

_LETTERS_AND_DIGITS = re.compile(r"[^\W_]+")  # the defect: should be [^\W\d_]


def preprocess(text):
    runs = _LETTERS_AND_DIGITS.findall(unicodedata.normalize("NFC", text).lower())
    return " ".join(w for w in map(clean_word, runs) if w)
