"""IMDB's real files, under `<data dir>/imdb/`, in the first of these forms found: the
`aclImdb/{train,test}/{pos,neg}/<id>_<stars>.txt` folders, the `aclImdb_v1.tar.gz` archive they come in (read
directly), or the common 50k-row CSV `IMDB Dataset.csv` (columns `review,sentiment`, values
positive/negative).

aclImdb has its own 25k/25k split; the CSV has none, so it is split 50/50 per class with the seed (the
official proportions). Labels: 0 negative, 1 positive (`SENTIMENTS`). aclImdb's unlabelled `train/unsup`
reviews are ignored. Texts are lists of str; the decoded texts are cached beside the files (`cached`).
"""

from __future__ import annotations

import csv
import re
import tarfile
from pathlib import Path, PurePosixPath

import numpy as np

from .. import DEFAULT_SEED, DatasetInfo, Split, cached, checksum
from ..splits import stratified_split
from .texts import folder_sources, store_texts, unpack_texts, visible

SENTIMENTS = ("negative", "positive")
IMDB_CSV = "IMDB Dataset.csv"
IMDB_ARCHIVE = "aclImdb_v1.tar.gz"
_ACL_NAME = re.compile(r"^(\d+)_(\d+)\.txt$")


def find_imdb(data_dir: Path | None) -> dict[str, Path] | None:
    """{"aclimdb": folder}, {"archive": aclImdb_v1.tar.gz} or {"csv": IMDB Dataset.csv} under data_dir/imdb."""
    if data_dir is None:
        return None
    for folder in (data_dir / "imdb", data_dir):
        acl = folder / "aclImdb"
        if all((acl / s / c).is_dir() for s in ("train", "test") for c in ("pos", "neg")):
            return {"aclimdb": acl}
        if (folder / IMDB_ARCHIVE).is_file():
            return {"archive": folder / IMDB_ARCHIVE}
        if (folder / IMDB_CSV).is_file():
            return {"csv": folder / IMDB_CSV}
    return None


def _acl_key(name: str) -> tuple[int, int, str]:
    m = _ACL_NAME.match(name)
    return (int(m.group(1)), int(m.group(2)), name) if m else (1 << 62, 0, name)


def _read_acl_folder(root: Path) -> dict[str, list[tuple[int, str, bytes]]]:
    out = {}
    for split in ("train", "test"):
        docs = []
        for label, cls in ((0, "neg"), (1, "pos")):
            files = [p for p in (root / split / cls).iterdir()
                     if p.is_file() and p.suffix == ".txt" and visible(p.name)]
            docs += [(label, p.name, p.read_bytes()) for p in sorted(files, key=lambda p: _acl_key(p.name))]
        out[split] = docs
    return out


def _read_acl_archive(path: Path) -> dict[str, list[tuple[int, str, bytes]]]:
    out: dict[str, list[tuple[int, str, bytes]]] = {"train": [], "test": []}
    with tarfile.open(path, "r:*") as tar:
        for member in tar:
            parts = PurePosixPath(member.name).parts
            if (not member.isfile() or len(parts) < 3 or parts[-3] not in out or parts[-2] not in ("pos", "neg")
                    or not parts[-1].endswith(".txt") or not visible(parts[-1])):
                continue
            out[parts[-3]].append((int(parts[-2] == "pos"), parts[-1], tar.extractfile(member).read()))
    for docs in out.values():
        docs.sort(key=lambda d: (d[0], _acl_key(d[1])))
    return out


def _decode_acl(files: dict[str, Path]) -> dict[str, np.ndarray]:
    raw = _read_acl_archive(files["archive"]) if "archive" in files else _read_acl_folder(files["aclimdb"])
    if not raw["train"] or not raw["test"]:
        raise ValueError(f"{next(iter(files.values()))}: no reviews under aclImdb/{{train,test}}/{{pos,neg}}/")
    arrays = {}
    for split, docs in raw.items():
        arrays.update(store_texts(f"x_{split}", [b.decode("utf-8", "replace") for _, _, b in docs]))
        arrays[f"y_{split}"] = np.array([label for label, _, _ in docs], dtype=np.int64)
    return arrays


def read_imdb_csv(path: Path) -> tuple[list[str], np.ndarray]:
    """The 50k CSV (review,sentiment): texts and labels, 0 negative, 1 positive, in file order."""
    labels = {"negative": 0, "positive": 1, "neg": 0, "pos": 1, "0": 0, "1": 1}
    with open(path, encoding="utf-8-sig", newline="") as f:
        reader = csv.reader(f)
        header = [h.strip().lower() for h in next(reader, [])]
        if "review" not in header or "sentiment" not in header:
            raise ValueError(f"{path}: expected a header with columns review,sentiment, found {header}")
        ri, si = header.index("review"), header.index("sentiment")
        texts, y = [], []
        for line, row in enumerate(reader, start=2):
            if not row:
                continue
            value = row[si].strip().lower()
            if value not in labels:
                raise ValueError(f"{path}, row {line}: sentiment {row[si]!r} is neither positive nor negative")
            texts.append(row[ri])
            y.append(labels[value])
    return texts, np.array(y, dtype=np.int64)


def _decode_csv(path: Path) -> dict[str, np.ndarray]:
    texts, y = read_imdb_csv(path)
    return {**store_texts("x", texts), "y": y}


def load_imdb_files(files: dict[str, Path], seed: int = DEFAULT_SEED) -> Split:
    if "csv" in files:
        arrays = cached([files["csv"]], "imdb-csv", lambda: _decode_csv(files["csv"]))
        texts, y = unpack_texts(arrays["x_data"], arrays["x_ends"]), arrays["y"].astype(np.int64)
        tr, te = stratified_split(y, test_fraction=0.5, seed=seed)
        x_train, x_test, y_train, y_test = [texts[i] for i in tr], [texts[i] for i in te], y[tr], y[te]
        version, source = "imdb-50k-csv", f"{files['csv']} (50k IMDB reviews), split 50/50 per class, seed {seed}"
    else:
        sources = [files["archive"]] if "archive" in files else \
            folder_sources([files["aclimdb"] / "train", files["aclimdb"] / "test"])
        arrays = cached(sources, "imdb-aclimdb", lambda: _decode_acl(files))
        x_train = unpack_texts(arrays["x_train_data"], arrays["x_train_ends"])
        x_test = unpack_texts(arrays["x_test_data"], arrays["x_test_ends"])
        y_train, y_test = arrays["y_train"].astype(np.int64), arrays["y_test"].astype(np.int64)
        version = "aclImdb_v1"
        source = f"Large Movie Review Dataset (aclImdb) in {next(iter(files.values()))}, its own train/test split"
    info = DatasetInfo(
        name="imdb",
        variant="real",
        version=version,
        source=source,
        checksum=checksum(x_train, y_train, x_test, y_test),
        sizes={"train": len(y_train), "test": len(y_test), "classes": list(SENTIMENTS)},
    )
    return Split(x_train, y_train, x_test, y_test, info)
