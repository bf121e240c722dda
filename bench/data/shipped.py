"""Datasets that need no files: they ship inside an installed package or are generated.

scikit-learn ships the breast-cancer table (569 rows, 30 features; Experiments 8
and 10) and the 8x8 digits; gymnasium builds CartPole in code (Experiment 9).
These are the real datasets, not stand-ins, so their variant is "real".
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from . import DatasetInfo, DatasetSpec, Split, checksum
from .digits import stratified_split


def load_breast_cancer(data_dir: Path | None = None, split_seed: int = 20261123) -> Split:
    from sklearn.datasets import load_breast_cancer as sk_load

    data = sk_load()
    x, y = data.data.astype(np.float64), data.target.astype(np.int64)
    tr, te = stratified_split(y, test_fraction=0.25, seed=split_seed)
    info = DatasetInfo(name="breast-cancer", variant="real", version="sklearn", checksum=checksum(x, y),
                       source="scikit-learn load_breast_cancer() (UCI Wisconsin diagnostic)",
                       sizes={"train": len(tr), "test": len(te), "features": x.shape[1]})
    return Split(x[tr], y[tr], x[te], y[te], info)


def _nothing_to_find(data_dir: Path | None):
    return None


DATASETS = (
    DatasetSpec(name="breast-cancer", title="Breast cancer Wisconsin (diagnostic)", folder="breast-cancer", files=(),
                used_by=("exp08", "exp10"), embedded="ships with scikit-learn: the real dataset",
                find=_nothing_to_find, load=load_breast_cancer, default_variant="real"),
    DatasetSpec(name="cartpole", title="CartPole-v1", folder="cartpole", files=(), used_by=("exp09",),
                embedded="built by gymnasium in code: no files", find=_nothing_to_find, load=lambda d: None,
                default_variant="real"),
)
