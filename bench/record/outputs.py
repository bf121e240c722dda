"""A submission's predictions on the hidden evaluation items, kept compactly in its record entry.

Similarity checks compare *behaviour*: two submissions that make the same mistakes on the same hidden
items far more often than their accuracies explain, or one whose outputs equal the reference's. For that
each classification-like output is recorded once, as the predicted label of every hidden item and
whether it was right. Labels are stored as zlib-compressed uint8 bytes in base64, correctness as packed
bits: a few hundred bytes per thousand items, so a class's record stays small.

This is staff data (with the right/wrong bits, the predictions give away the labels of the hidden items
a submission got right): reports for students never show it.
"""

from __future__ import annotations

import base64
import zlib

import numpy as np

MAX_ITEMS = 20_000  # more items add nothing to the statistics and only size to the record
SCHEMA = "labmark.outputs/1"


def encode(predicted, truth) -> dict:
    """{"n", "predicted", "correct"} for integer labels (bools count as 0/1) of the same length."""
    pred = np.asarray(predicted).ravel()[:MAX_ITEMS]
    true = np.asarray(truth).ravel()[:MAX_ITEMS]
    if pred.shape != true.shape:
        raise ValueError(f"predicted {pred.shape} and truth {true.shape} differ in length")
    labels = np.clip(np.rint(pred.astype(float)), 0, 255).astype(np.uint8)
    correct = pred.astype(float) == true.astype(float)
    return {"schema": SCHEMA, "n": int(len(pred)), "predicted": _pack(labels.tobytes()),
            "correct": _pack(np.packbits(correct).tobytes())}


def decode(data: dict) -> tuple[np.ndarray, np.ndarray]:
    """(predicted labels as uint8, correct as bool), both of length n."""
    n = int(data["n"])
    labels = np.frombuffer(_unpack(data["predicted"]), dtype=np.uint8)[:n]
    correct = np.unpackbits(np.frombuffer(_unpack(data["correct"]), dtype=np.uint8))[:n].astype(bool)
    if len(labels) != n or len(correct) != n:
        raise ValueError(f"recorded outputs hold {len(labels)} labels and {len(correct)} bits; expected {n}")
    return labels, correct


def _pack(raw: bytes) -> str:
    return base64.b64encode(zlib.compress(raw, 9)).decode("ascii")


def _unpack(text: str) -> bytes:
    try:
        return zlib.decompress(base64.b64decode(text, validate=True))
    except (zlib.error, ValueError, TypeError) as exc:
        raise ValueError(f"not base64 of zlib data ({exc})") from None
