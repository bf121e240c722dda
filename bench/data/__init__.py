"""Datasets the harness stages for workers. Everything here runs in the parent.

Every dataset of the course is described by a `DatasetSpec`: where its real
files live under the data directory, the canonical files `python -m bench.data
fetch` downloads (with SHA-256 and size), how to find and read them, and how to
generate its embedded default for machines with no network. `DatasetSpec.load`
is the one loader: the real data when its files are found, else the embedded
default drawn from a seed. Loaders return a `Split` whose `DatasetInfo` goes
into the run record, so every graded number says which data variant it came
from. Test labels never leave the parent process.

Layout: `readers/` parse real files into Splits, `generators/` draw the
embedded defaults, and each dataset has its own module here declaring its
`DATASETS` (found by `registry.py`); `splits.py` holds what readers and
generators share for building a Split.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any, Callable

import numpy as np

DATA_DIR_ENV = "LABMARK_DATA_DIR"
DEFAULT_DATA_DIR = Path("~/.cache/labmark/data")
DEFAULT_SEED = 20261123  # public: for `python -m bench.data` and tests; grading passes the run's hidden seed


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

    def hiding_seed(self, seed: int) -> "DatasetInfo":
        """This info with the generator's seed taken out of `source`, for data drawn from a run's hidden
        seed: the record reaches students, and the seed would let them regenerate the hidden labels."""
        return replace(self, source=re.sub(rf"\b{seed}\b", "<the run's hidden seed>", self.source))


@dataclass(frozen=True)
class Split:
    """Train (and validation) data the worker sees; test features it sees; test labels it never sees."""

    x_train: Any
    y_train: Any
    x_test: Any
    y_test: Any  # stays in the parent
    info: DatasetInfo
    x_val: Any = None
    y_val: Any = None


@dataclass(frozen=True)
class RemoteFile:
    """One canonical file of a dataset, as `fetch` downloads and verifies it."""

    url: str
    sha256: str
    size: int
    name: str  # its file name inside the dataset's folder


def no_files(data_dir: Path | None) -> None:
    """`find` for a dataset with no real files to look for: it is generated, or ships inside a package."""


@dataclass(frozen=True)
class DatasetSpec:
    name: str  # "fashion-mnist": what `python -m bench.data fetch NAME` takes
    title: str
    folder: str  # real files live in <data dir>/<folder>/
    files: tuple[RemoteFile, ...]  # what fetch downloads; () when nothing needs downloading
    used_by: tuple[str, ...]  # experiment ids
    embedded: str  # one line: the default used when the real files are absent
    generate: Callable[[int], Any]  # seed -> the embedded default
    find: Callable[[Path | None], Any] = no_files  # the real files under a data dir (or a system copy), or None
    read: Callable[[Any, int], Split] | None = None  # (what find() found, seed) -> the real data
    default_variant: str = "embedded"  # "real" for data that ships inside a package (nothing to fetch)
    default_seed: int = DEFAULT_SEED  # the seed `load` draws from when given none

    def load(self, data_dir: Path | None = None, seed: int | None = None) -> Any:
        """The real data when find() finds its files under data_dir, else the embedded default drawn from seed.

        Readers record variant "real" and the files they read in their DatasetInfo, generators their own
        variant and version. Readers of data without a split of its own (IMDB's CSV) or a validation part
        (Fashion-MNIST, CIFAR-10) carve one with the seed; the other readers ignore it.
        """
        seed = self.default_seed if seed is None else seed
        found = self.find(data_dir)
        return self.read(found, seed) if found else self.generate(seed)


def checksum(*arrays) -> str:
    """sha256 over arrays (or lists of strings), their dtypes and shapes."""
    h = hashlib.sha256()
    for a in arrays:
        if isinstance(a, (list, tuple)) and all(isinstance(s, str) for s in a):
            for s in a:
                h.update(s.encode())
                h.update(b"\0")
            continue
        a = np.ascontiguousarray(a)
        h.update(str((a.dtype.str, a.shape)).encode())
        h.update(a.tobytes())
    return h.hexdigest()


def resolve_data_dir(option: str | None) -> Path | None:
    """--data-dir wins, then $LABMARK_DATA_DIR; None means embedded defaults only."""
    value = option or os.environ.get(DATA_DIR_ENV)
    return Path(value).expanduser() if value else None


def fetch_dir(option: str | None) -> Path:
    """Where `fetch` writes: the data dir if given, else the default cache folder."""
    return resolve_data_dir(option) or DEFAULT_DATA_DIR.expanduser()


def cached(sources: list[Path], name: str, build: Callable[[], dict[str, np.ndarray]]) -> dict[str, np.ndarray]:
    """Decoded arrays of real files, cached beside them so a second run does not parse again.

    The cache key covers each source's path, size and modification time, so a
    replaced file is decoded afresh. Arrays only (strings as numpy unicode),
    loaded with allow_pickle=False.
    """
    key = hashlib.sha256()
    for p in sorted(sources):
        st = p.stat()
        key.update(f"{p.resolve()}:{st.st_size}:{st.st_mtime_ns}".encode())
    folder = sorted(sources)[0].parent / ".labmark-cache"
    path = folder / f"{name}-{key.hexdigest()[:16]}.npz"
    if path.exists():
        with np.load(path, allow_pickle=False) as z:
            return {k: z[k] for k in z.files}
    arrays = build()
    try:
        folder.mkdir(exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp.npz")
        np.savez(tmp, **arrays)
        os.replace(tmp, path)
    except OSError:
        pass  # a read-only data dir: decode again next time
    return arrays
