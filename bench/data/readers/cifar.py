"""CIFAR-10's real files: the python version's pickled batches, read with a restricted unpickler, and the
binary version's records.

Under `<data dir>/cifar-10/` (or `cifar10/`, `CIFAR10/`, the data dir itself): `cifar-10-batches-py/`
(data_batch_1..5, test_batch) or the batch files themselves, or the `cifar-10-python.tar.gz` archive as
`fetch` leaves it (read in one pass, nothing extracted); the binary version (`cifar-10-batches-bin/*.bin`,
`cifar-10-binary.tar.gz`) is read too. The python batches are pickles, and a pickle can run code while it
loads, so they go through `CifarUnpickler`, which lets a pickle name only dict, list, str, bytes and numpy's
array reconstruction and refuses anything else with an error that names what was asked for. Images
(n, 32, 32, 3) float32 in [0, 1], channels last; labels int64, 0-9 in CIFAR_CLASSES order. CIFAR-10's own
train/test split is kept, a stratified `val_fraction` (0.1) of train, fixed by the seed, is the validation
part; the decoded uint8 arrays are cached beside the files (`cached`).
"""

from __future__ import annotations

import io
import pickle
import tarfile
from pathlib import Path

import numpy as np

from .. import DEFAULT_SEED, Split, cached
from ..splits import image_split, unit

try:  # numpy's array reconstruction, which the CIFAR-10 pickles name (see CifarUnpickler)
    from numpy._core.multiarray import _reconstruct as _np_reconstruct
    from numpy._core.numeric import _frombuffer as _np_frombuffer
except ImportError:  # numpy 1.x
    from numpy.core.multiarray import _reconstruct as _np_reconstruct
    from numpy.core.numeric import _frombuffer as _np_frombuffer

CIFAR_CLASSES = ("airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck")
CIFAR_BATCHES = ("data_batch_1", "data_batch_2", "data_batch_3", "data_batch_4", "data_batch_5", "test_batch")
CIFAR_ARCHIVES = {"python": "cifar-10-python.tar.gz", "binary": "cifar-10-binary.tar.gz"}
CIFAR_BATCH_FOLDERS = {"python": "cifar-10-batches-py", "binary": "cifar-10-batches-bin"}
CIFAR_FOLDERS = ("cifar-10", "cifar10", "CIFAR10", "")  # under the data dir; "" is the data dir itself


def find_cifar10(data_dir: Path | None) -> dict[str, Path] | None:
    """CIFAR-10 under <data dir>/cifar-10 (or cifar10, CIFAR10, the data dir itself).

    In the first of these forms found: the extracted cifar-10-batches-py/ (or its six batch files
    directly in the folder), cifar-10-python.tar.gz, then the same for the binary version
    (cifar-10-batches-bin/*.bin, cifar-10-binary.tar.gz). Returns {batch name: path} for the six
    batches (names as in CIFAR_BATCHES), or {"archive": path}; archives are read, not extracted.
    """
    if data_dir is None:
        return None
    for sub in CIFAR_FOLDERS:
        base = data_dir / sub if sub else data_dir
        for layout in ("python", "binary"):
            suffix = ".bin" if layout == "binary" else ""
            for folder in (base / CIFAR_BATCH_FOLDERS[layout], base):
                if all((folder / (b + suffix)).is_file() for b in CIFAR_BATCHES):
                    return {b: folder / (b + suffix) for b in CIFAR_BATCHES}
            if (base / CIFAR_ARCHIVES[layout]).is_file():
                return {"archive": base / CIFAR_ARCHIVES[layout]}
    return None


def cifar_layout(files: dict[str, Path]) -> str:
    """The batch format of what find_cifar10() found: "python" (pickles) or "binary" (3073-byte records)."""
    path = next(iter(files.values()))
    return "binary" if path.name.endswith(".bin") or path.name == CIFAR_ARCHIVES["binary"] else "python"


# What a CIFAR-10 python batch may reference: the containers it is made of and numpy's array
# reconstruction (the batches were pickled by Python 2 numpy as numpy.core.multiarray._reconstruct;
# numpy 2 calls that module numpy._core; pickles of protocol 5 use numeric._frombuffer instead).
_CIFAR_PICKLE_GLOBALS = {
    ("builtins", "dict"): dict, ("builtins", "list"): list, ("builtins", "bytes"): bytes, ("builtins", "str"): str,
    ("__builtin__", "dict"): dict, ("__builtin__", "list"): list, ("__builtin__", "str"): str,
    ("numpy", "ndarray"): np.ndarray, ("numpy", "dtype"): np.dtype,
}
for _core in ("numpy.core", "numpy._core"):
    _CIFAR_PICKLE_GLOBALS[(f"{_core}.multiarray", "_reconstruct")] = _np_reconstruct
    _CIFAR_PICKLE_GLOBALS[(f"{_core}.numeric", "_frombuffer")] = _np_frombuffer


class RefusedGlobal(pickle.UnpicklingError):
    """A pickle named a global that a CIFAR-10 batch has no need of."""


class CifarUnpickler(pickle.Unpickler):
    """Unpickles a CIFAR-10 batch and nothing else: any other global a pickle names is refused.

    A pickle can call any importable function while it loads; CIFAR batches need only dicts, lists,
    strings, bytes and numpy arrays, so those (and numpy's array reconstruction) are all it may name.
    """

    def __init__(self, file, source: str = "pickle"):
        super().__init__(file, encoding="bytes")  # Python 2 str -> bytes, as the batches were written
        self.source = source

    def find_class(self, module: str, name: str):
        try:
            return _CIFAR_PICKLE_GLOBALS[(module, name)]
        except KeyError:
            raise RefusedGlobal(
                f"{self.source}: refusing to load the global {module}.{name}: a CIFAR-10 batch holds only dicts, "
                f"lists, strings and numpy arrays, so this file is not one (or has been tampered with)") from None


def read_cifar_batch(raw: bytes, source: str) -> tuple[np.ndarray, np.ndarray]:
    """One python-version batch: images (n, 32, 32, 3) uint8 and labels int64."""
    try:
        batch = CifarUnpickler(io.BytesIO(raw), source).load()
    except RefusedGlobal:
        raise
    except Exception as exc:  # truncated, or not a pickle at all
        raise ValueError(f"{source}: not a CIFAR-10 python batch ({type(exc).__name__}: {exc})") from None
    if not isinstance(batch, dict):
        raise ValueError(f"{source}: expected a dict with 'data' and 'labels', got {type(batch).__name__}")
    batch = {k.decode("latin-1") if isinstance(k, bytes) else k: v for k, v in batch.items()}
    if "data" not in batch or "labels" not in batch:
        raise ValueError(f"{source}: expected keys 'data' and 'labels', found {sorted(map(str, batch))}")
    data, labels = batch["data"], np.asarray(batch["labels"], dtype=np.int64)
    if not isinstance(data, np.ndarray) or data.dtype != np.uint8 or data.ndim != 2 or data.shape[1] != 3072:
        raise ValueError(f"{source}: 'data' must be a uint8 array (n, 3072), got "
                         f"{getattr(data, 'dtype', type(data).__name__)} {getattr(data, 'shape', '')}")
    if labels.shape != (len(data),):
        raise ValueError(f"{source}: {len(data)} images but {labels.size} labels")
    return data.reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1), labels


def read_cifar_binary(raw: bytes, source: str) -> tuple[np.ndarray, np.ndarray]:
    """One binary-version batch: records of 1 label byte + 3072 pixel bytes (red, green, blue planes)."""
    if len(raw) % 3073:
        raise ValueError(f"{source}: {len(raw)} bytes is not a whole number of 3073-byte CIFAR-10 records")
    rec = np.frombuffer(raw, dtype=np.uint8).reshape(-1, 3073)
    return rec[:, 1:].reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1), rec[:, 0].astype(np.int64)


def _read_cifar_members(path: Path, names: list[str]) -> dict[str, bytes]:
    """The named batch files from the archive, by base name, in one streaming pass (nothing is extracted)."""
    wanted, found = set(names), {}
    with tarfile.open(path, "r|gz") as tar:
        for member in tar:
            base = member.name.rsplit("/", 1)[-1]
            if member.isfile() and base in wanted and base not in found:
                found[base] = tar.extractfile(member).read()
    missing = [n for n in names if n not in found]
    if missing:
        raise ValueError(f"{path}: the archive holds no {', '.join(missing)}")
    return found


def _decode_cifar(files: dict[str, Path]) -> dict[str, np.ndarray]:
    layout = cifar_layout(files)
    if "archive" in files:
        names = [b + ".bin" if layout == "binary" else b for b in CIFAR_BATCHES]
        found = _read_cifar_members(files["archive"], names)
        raws = [found[n] for n in names]
        sources = [f"{files['archive']}:{n}" for n in names]
    else:
        raws = [files[b].read_bytes() for b in CIFAR_BATCHES]
        sources = [str(files[b]) for b in CIFAR_BATCHES]
    read = read_cifar_binary if layout == "binary" else read_cifar_batch
    parts = [read(raw, src) for raw, src in zip(raws, sources)]
    for (_, y), src in zip(parts, sources):
        if len(y) and (y.min() < 0 or y.max() > 9):
            raise ValueError(f"{src}: labels must be 0-9, found {y.min()}..{y.max()}")
    return {"x_train": np.ascontiguousarray(np.concatenate([x for x, _ in parts[:5]])),
            "y_train": np.concatenate([y for _, y in parts[:5]]),
            "x_test": np.ascontiguousarray(parts[5][0]), "y_test": parts[5][1]}


def load_cifar10_files(files: dict[str, Path], seed: int = DEFAULT_SEED, val_fraction: float = 0.1) -> Split:
    """CIFAR-10's own 50k/10k split; the validation part is a stratified val_fraction of train."""
    layout = cifar_layout(files)
    arrays = cached(sorted(files.values()), f"cifar-10-{layout}", lambda: _decode_cifar(files))
    what = "archive" if "archive" in files else "batches"
    return image_split(unit(arrays["x_train"]), arrays["y_train"].astype(np.int64), unit(arrays["x_test"]),
                       arrays["y_test"].astype(np.int64), CIFAR_CLASSES, val_fraction, seed,
                       name="cifar-10", variant="real", version=f"{layout}-batches",
                       source=f"CIFAR-10 {layout}-version {what} in {next(iter(files.values())).parent}")

