"""Building a Split, shared by readers and generators: stratified parts, image splits with a validation part,
text corpora, sentence pairs."""

from __future__ import annotations

import numpy as np

from . import DatasetInfo, Split, checksum


def stratified_split(y: np.ndarray, test_fraction: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Indices (train, test), the same for the same labels and seed."""
    rng = np.random.default_rng(seed)
    train, test = [], []
    for c in np.unique(y):
        idx = rng.permutation(np.flatnonzero(y == c))
        k = int(round(len(idx) * test_fraction))
        test.append(idx[:k])
        train.append(idx[k:])
    return np.sort(np.concatenate(train)), np.sort(np.concatenate(test))


def unit(x: np.ndarray) -> np.ndarray:
    """uint8 pixels as float32 in [0, 1], without a float64 copy of a large array on the way."""
    out = x.astype(np.float32)
    out /= 255
    return out


def image_split(x_train, y_train, x_test, y_test, classes, val_fraction, seed, **info) -> Split:
    """Split with a stratified validation part carved from train (none when val_fraction is 0)."""
    x_val = y_val = None
    if val_fraction > 0:
        tr, va = stratified_split(y_train, val_fraction, seed)
        x_train, y_train, x_val, y_val = x_train[tr], y_train[tr], x_train[va], y_train[va]
    arrays = [x_train, y_train] + ([x_val, y_val] if x_val is not None else []) + [x_test, y_test]
    sizes = {"train": len(y_train), "val": 0 if y_val is None else len(y_val), "test": len(y_test),
             "classes": list(classes)}
    return Split(x_train, y_train, x_test, y_test, DatasetInfo(checksum=checksum(*arrays), sizes=sizes, **info),
                 x_val=x_val, y_val=y_val)


def drawn_image_split(draw, n_train: int, n_test: int, seed: int, classes, val_fraction: float, **info) -> Split:
    """Train and test drawn independently from the seed, as parts 0 and 1 of draw(n, seed, part), then image_split."""
    x_train, y_train = draw(n_train, seed, part=0)
    x_test, y_test = draw(n_test, seed, part=1)
    return image_split(x_train, y_train, x_test, y_test, classes, val_fraction, seed, **info)


def corpus_split(texts: list[str], y: np.ndarray, n_test: int, seed: int, classes, **info) -> Split:
    """A generated corpus split stratified by label, n_test texts held out, fixed by the seed."""
    tr, te = stratified_split(y, test_fraction=n_test / len(texts), seed=seed)
    x_train, x_test = [texts[i] for i in tr], [texts[i] for i in te]
    return Split(x_train, y[tr], x_test, y[te], DatasetInfo(
        checksum=checksum(x_train, y[tr], x_test, y[te]),
        sizes={"train": len(tr), "test": len(te), "classes": list(classes)}, **info))


def pairs_split(parts: dict[str, list[tuple[str, str]]], **info) -> Split:
    """Sentence pairs {"train"|"val"|"test": [(source, target)]} as a Split: x the sources, y the targets."""
    def cols(name):
        rows = parts.get(name) or []
        return [e for e, _ in rows], [f for _, f in rows]

    (xtr, ytr), (xva, yva), (xte, yte) = cols("train"), cols("val"), cols("test")
    info = DatasetInfo(checksum=checksum(xtr, ytr, xva, yva, xte, yte),
                       sizes={"train": len(xtr), "val": len(xva), "test": len(xte)}, **info)
    return Split(xtr, ytr, xte, yte, info, x_val=xva, y_val=yva)
