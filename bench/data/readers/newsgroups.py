"""20 Newsgroups' real files, the "bydate" version: `<data dir>/20newsgroups/20news-bydate.tar.gz` (read
directly, as `fetch` leaves it) or its extracted folders `20news-bydate-train/<group>/<id>` and
`20news-bydate-test/...`.

Files are decoded as latin-1 and kept whole (headers, quotes and signatures included), exactly as
scikit-learn's `fetch_20newsgroups()` returns them with its default `remove=()`; groups are numbered in sorted
order as scikit-learn does; the train/test split is the dataset's own (by date), so no seed applies. Texts
are lists of str, labels int64; the decoded texts are cached beside the files (`cached`).
"""

from __future__ import annotations

import tarfile
from pathlib import Path, PurePosixPath

import numpy as np

from .. import DatasetInfo, Split, cached, checksum
from .texts import folder_sources, store_texts, unpack_texts, visible

NEWSGROUPS_ARCHIVE = "20news-bydate.tar.gz"
NEWSGROUPS_FOLDERS = {"train": "20news-bydate-train", "test": "20news-bydate-test"}


def find_20newsgroups(data_dir: Path | None) -> dict[str, Path] | None:
    """{"archive": tarball} or {"train": folder, "test": folder} under data_dir/20newsgroups (or data_dir)."""
    if data_dir is None:
        return None
    for folder in (data_dir / "20newsgroups", data_dir / "20newsgroups" / "20news-bydate", data_dir):
        train, test = folder / NEWSGROUPS_FOLDERS["train"], folder / NEWSGROUPS_FOLDERS["test"]
        if train.is_dir() and test.is_dir():
            return {"train": train, "test": test}
        if (folder / NEWSGROUPS_ARCHIVE).is_file():
            return {"archive": folder / NEWSGROUPS_ARCHIVE}
    return None


def _read_bydate_folders(train: Path, test: Path) -> dict[str, list[tuple[str, str, bytes]]]:
    """{"train"|"test": [(group, file name, raw bytes)]} from the extracted folders."""
    out = {}
    for split, root in (("train", train), ("test", test)):
        docs = []
        for group in sorted(p for p in root.iterdir() if p.is_dir() and visible(p.name)):
            for f in sorted(p for p in group.iterdir() if p.is_file() and visible(p.name)):
                docs.append((group.name, f.name, f.read_bytes()))
        out[split] = docs
    return out


def _read_bydate_archive(path: Path) -> dict[str, list[tuple[str, str, bytes]]]:
    out: dict[str, list[tuple[str, str, bytes]]] = {"train": [], "test": []}
    splits = {v: k for k, v in NEWSGROUPS_FOLDERS.items()}
    with tarfile.open(path, "r:*") as tar:
        for member in tar:
            if not member.isfile():
                continue
            parts = [p for p in PurePosixPath(member.name).parts if p not in (".", "")]
            if len(parts) < 3 or parts[-3] not in splits or not all(map(visible, parts[-2:])):
                continue
            out[splits[parts[-3]]].append((parts[-2], parts[-1], tar.extractfile(member).read()))
    for docs in out.values():
        docs.sort(key=lambda d: (d[0], d[1]))
    return out


def _decode_newsgroups(files: dict[str, Path]) -> dict[str, np.ndarray]:
    raw = _read_bydate_archive(files["archive"]) if "archive" in files else \
        _read_bydate_folders(files["train"], files["test"])
    groups = sorted({g for docs in raw.values() for g, _, _ in docs})
    if not raw["train"] or not raw["test"]:
        where = files.get("archive") or files["train"].parent
        raise ValueError(f"{where}: no documents under 20news-bydate-train/<group>/ and 20news-bydate-test/<group>/")
    index = {g: i for i, g in enumerate(groups)}
    arrays: dict[str, np.ndarray] = {"classes": np.array(groups)}
    for split, docs in raw.items():
        arrays.update(store_texts(f"x_{split}", [b.decode("latin-1") for _, _, b in docs]))
        arrays[f"y_{split}"] = np.array([index[g] for g, _, _ in docs], dtype=np.int64)
    return arrays


def load_20newsgroups_files(files: dict[str, Path]) -> Split:
    sources = [files["archive"]] if "archive" in files else folder_sources([files["train"], files["test"]])
    arrays = cached(sources, "20newsgroups", lambda: _decode_newsgroups(files))
    x_train = unpack_texts(arrays["x_train_data"], arrays["x_train_ends"])
    x_test = unpack_texts(arrays["x_test_data"], arrays["x_test_ends"])
    y_train, y_test = arrays["y_train"].astype(np.int64), arrays["y_test"].astype(np.int64)
    classes = [str(c) for c in arrays["classes"]]
    info = DatasetInfo(
        name="20newsgroups",
        variant="real",
        version="20news-bydate",
        source=f"20 Newsgroups by-date files in {sources[0].parent}, latin-1, headers kept (sklearn remove=())",
        checksum=checksum(x_train, y_train, x_test, y_test),
        sizes={"train": len(y_train), "test": len(y_test), "classes": classes},
    )
    return Split(x_train, y_train, x_test, y_test, info)
