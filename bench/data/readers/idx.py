"""IDX files, the format MNIST and Fashion-MNIST ship in: the parser, and the readers of both datasets.

MNIST: the four files (train-images-idx3-ubyte, ..., plain or .gz) in `<data dir>/mnist/` (or
`MNIST/raw/`, the data dir itself). Fashion-MNIST: the same four names in `<data dir>/fashion-mnist/` (or
`fashion_mnist/`, `FashionMNIST/raw/`); when a data dir is given but holds none, the copy that Debian's
package `dataset-fashion-mnist` installs in /usr/share/datasets/fashion-mnist/ is used. Images (n, 28, 28)
float32 in [0, 1], labels int64; both keep their own train/test split, and the decoded arrays are cached
beside the files (`cached`).
"""

from __future__ import annotations

import gzip
from pathlib import Path

import numpy as np

from .. import DEFAULT_SEED, DatasetInfo, Split, cached, checksum
from ..splits import image_split, unit

IDX_FILES = {
    "x_train": "train-images-idx3-ubyte",
    "y_train": "train-labels-idx1-ubyte",
    "x_test": "t10k-images-idx3-ubyte",
    "y_test": "t10k-labels-idx1-ubyte",
}
_IDX_DTYPES = {0x08: np.uint8, 0x09: np.int8, 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}


def read_idx(path: Path) -> np.ndarray:
    """Parse one IDX file (optionally gzipped), as MNIST ships them."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as f:
        raw = f.read()
    if len(raw) < 4 or raw[0] != 0 or raw[1] != 0 or raw[2] not in _IDX_DTYPES:
        raise ValueError(f"{path}: not an IDX file (expected magic 00 00 <type> <ndim>, got {raw[:4].hex()})")
    ndim = raw[3]
    shape = tuple(int.from_bytes(raw[4 + 4 * i : 8 + 4 * i], "big") for i in range(ndim))
    dtype = np.dtype(_IDX_DTYPES[raw[2]])
    offset = 4 + 4 * ndim
    expected = int(np.prod(shape)) * dtype.itemsize
    if len(raw) - offset != expected:
        raise ValueError(f"{path}: header says shape {shape} ({expected} bytes), file holds {len(raw) - offset}")
    return np.frombuffer(raw, dtype=dtype, offset=offset).reshape(shape)


def idx_files(folder: Path) -> dict[str, Path] | None:
    """The four IDX files in folder (plain, .gz, or named with '.idx'), or None unless all four are there."""
    found = {}
    for key, stem in IDX_FILES.items():
        for name in (stem, stem + ".gz", stem.replace("-idx", ".idx")):
            if (folder / name).is_file():
                found[key] = folder / name
                break
    return found if len(found) == len(IDX_FILES) else None


# --------------------------------------------------------------------------------------------------
# MNIST
# --------------------------------------------------------------------------------------------------


def find_mnist(data_dir: Path | None) -> dict[str, Path] | None:
    """The four MNIST IDX files under data_dir (or data_dir/mnist), plain or .gz."""
    if data_dir is None:
        return None
    for folder in (data_dir / "mnist", data_dir / "MNIST" / "raw", data_dir):
        found = idx_files(folder)
        if found:
            return found
    return None


def load_mnist(files: dict[str, Path]) -> Split:
    arrays = cached(list(files.values()), "mnist", lambda: {k: read_idx(p) for k, p in files.items()})
    x_train = (arrays["x_train"].astype(np.float32) / 255.0)
    x_test = (arrays["x_test"].astype(np.float32) / 255.0)
    y_train = arrays["y_train"].astype(np.int64)
    y_test = arrays["y_test"].astype(np.int64)
    info = DatasetInfo(
        name="mnist",
        variant="real",
        version="idx",
        source=f"MNIST IDX files in {files['x_train'].parent}",
        checksum=checksum(x_train, y_train, x_test, y_test),
        sizes={"train": len(y_train), "test": len(y_test)},
    )
    return Split(x_train, y_train, x_test, y_test, info)


# --------------------------------------------------------------------------------------------------
# Fashion-MNIST
# --------------------------------------------------------------------------------------------------

FASHION_CLASSES = ("t-shirt/top", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker", "bag",
                   "ankle boot")
FASHION_FOLDERS = ("fashion-mnist", "fashion_mnist", "FashionMNIST/raw")  # under the data dir
# Where Debian's package dataset-fashion-mnist installs the four .gz files (checked with dpkg -c on
# dataset-fashion-mnist_0.0~git20200523.55506a9-1_all.deb). Its .gz files are recompressed without the
# file name in the gzip header, so their SHA-256 differs from the canonical files'; the decoded IDX content
# is what the loader reads and checksums.
SYSTEM_FASHION_DIRS = (Path("/usr/share/datasets/fashion-mnist"),)


def find_fashion_mnist(data_dir: Path | None, system_dirs=SYSTEM_FASHION_DIRS) -> dict[str, Path] | None:
    """The four Fashion-MNIST IDX files (plain or .gz) under <data dir>/fashion-mnist, else a system copy.

    With no data dir at all the harness uses embedded defaults only, so system copies are looked at
    only when a data dir is given (and holds no Fashion-MNIST files of its own).
    """
    if data_dir is None:
        return None
    for folder in [data_dir / sub for sub in FASHION_FOLDERS] + [Path(d) for d in system_dirs]:
        found = idx_files(folder)
        if found:
            return found
    return None


def _decode_fashion(files: dict[str, Path]) -> dict[str, np.ndarray]:
    arrays = {k: read_idx(p) for k, p in files.items()}
    for part in ("train", "test"):
        x, y = arrays[f"x_{part}"], arrays[f"y_{part}"]
        if x.ndim != 3 or x.shape[1:] != (28, 28) or y.ndim != 1 or len(x) != len(y):
            raise ValueError(f"{files[f'x_{part}']}: expected images (n, 28, 28) and n labels, got images "
                             f"{x.shape} and labels {y.shape}")
        if len(y) and (y.min() < 0 or y.max() > 9):
            raise ValueError(f"{files[f'y_{part}']}: labels must be 0-9, found {y.min()}..{y.max()}")
    return {k: np.ascontiguousarray(a, dtype=np.uint8) for k, a in arrays.items()}


def load_fashion_mnist_files(files: dict[str, Path], seed: int = DEFAULT_SEED, val_fraction: float = 0.1) -> Split:
    """Fashion-MNIST's own 60k/10k split; the validation part is a stratified val_fraction of train."""
    arrays = cached(sorted(files.values()), "fashion-mnist", lambda: _decode_fashion(files))
    folder = files["x_train"].parent
    where = f"Fashion-MNIST IDX files in {folder}"
    if any(folder == Path(d) for d in SYSTEM_FASHION_DIRS):
        where += " (Debian package dataset-fashion-mnist)"
    return image_split(unit(arrays["x_train"]), arrays["y_train"].astype(np.int64), unit(arrays["x_test"]),
                       arrays["y_test"].astype(np.int64), FASHION_CLASSES, val_fraction, seed,
                       name="fashion-mnist", variant="real", version="idx", source=where)
