"""Datasets the harness stages for workers. Everything here runs in the parent.

Each loader returns arrays plus a `DatasetInfo` that the run record stores, so
every graded number says which data variant it came from.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

DATA_DIR_ENV = "LABMARK_DATA_DIR"


@dataclass(frozen=True)
class DatasetInfo:
    name: str  # "digits28", "mnist", "seasonal-anomalies"
    variant: str  # "embedded" or "real": what the targets are keyed by
    version: str
    source: str  # where the data came from, in words a reader can check
    checksum: str  # sha256 over the arrays the harness used
    sizes: dict

    def to_json(self) -> dict:
        return asdict(self)


def checksum(*arrays: np.ndarray) -> str:
    h = hashlib.sha256()
    for a in arrays:
        a = np.ascontiguousarray(a)
        h.update(str((a.dtype.str, a.shape)).encode())
        h.update(a.tobytes())
    return h.hexdigest()


def resolve_data_dir(option: str | None) -> Path | None:
    """--data-dir wins, then $LABMARK_DATA_DIR; None means embedded defaults only."""
    value = option or os.environ.get(DATA_DIR_ENV)
    return Path(value).expanduser() if value else None
