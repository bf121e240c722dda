"""English-French parallel text, read from `<data dir>/en-fr/` in either of two layouts:

* a TSV file, one `English<TAB>French` pair a line, like the Tatoeba/ManyThings `fra.txt` (whose third column,
  the attribution, is ignored), plain or still inside `fra-eng.zip`;
* Moses-style paired files `X.en` / `X.fr` with the same number of lines, like OPUS's `Books.en-fr.en` /
  `Books.en-fr.fr` (opus_books, which the lab used); `train`, `valid`/`dev`/`val` and `test` pairs, when
  present, give the split.

Whitespace is normalised (non-breaking spaces, which fra.txt puts before French '?' and '!', become plain
ones; runs collapse), Unicode is NFC, and pairs with an empty side are dropped. A single file is split by
English sentence (every translation of one English sentence lands in the same part, so nothing leaks between
train and test): 2% validation, 5% test, by a fixed seed. x English, y French (lists of str).
"""

from __future__ import annotations

import unicodedata
import zipfile
from pathlib import Path

import numpy as np

from .. import Split
from ..splits import pairs_split

FOLDER = "en-fr"
VAL_FRACTION, TEST_FRACTION, SPLIT_SEED = 0.02, 0.05, 20261123
_SPLIT_NAMES = {"train": ("train",), "val": ("valid", "dev", "val"), "test": ("test",)}


def normalise(text: str) -> str:
    """NFC, every kind of space as one plain space, trimmed."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def find_parallel(data_dir: Path | None) -> dict | None:
    """The parallel files under data_dir/en-fr (or data_dir).

    {"tsv": path} for a TSV (or fra-eng.zip); for Moses files {part: (en, fr)}
    with parts train/val/test as the file names give them, or {"all": (en, fr)}.
    """
    if data_dir is None:
        return None
    for folder in (data_dir / FOLDER, data_dir):
        if not folder.is_dir():
            continue
        for name in ("fra.txt", "fra-eng.zip"):
            if (folder / name).is_file():
                return {"tsv": folder / name}
        tsv = sorted(folder.glob("*.tsv"))
        if tsv:
            return {"tsv": tsv[0]}
        pairs = {p.with_suffix(""): (p, p.with_suffix(".fr")) for p in sorted(folder.glob("*.en"))
                 if p.with_suffix(".fr").is_file()}
        if not pairs:
            continue
        parts = {}
        for part, stems in _SPLIT_NAMES.items():
            for stem in stems:
                if folder / stem in pairs:
                    parts[part] = pairs[folder / stem]
                    break
        return parts if "train" in parts else {"all": next(iter(pairs.values()))}
    return None


def _tsv_lines(path: Path) -> list[str]:
    if path.suffix == ".zip":
        with zipfile.ZipFile(path) as z:
            names = [n for n in z.namelist() if n.endswith(".txt") and not Path(n).name.startswith("_")]
            if not names:
                raise ValueError(f"{path}: no .txt file of sentence pairs inside")
            raw = z.read("fra.txt" if "fra.txt" in names else names[0])
    else:
        raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig").splitlines()
    except UnicodeDecodeError as err:
        raise ValueError(f"{path}: not UTF-8 text ({err})") from err


def read_tsv(path: Path) -> list[tuple[str, str]]:
    """(English, French) pairs of a TSV file; a third column (fra.txt's attribution) is ignored."""
    pairs = []
    for number, line in enumerate(_tsv_lines(path), 1):
        if not line.strip():
            continue
        fields = line.split("\t")
        if len(fields) < 2:
            raise ValueError(f"{path}:{number}: expected English<TAB>French[<TAB>attribution], got {line[:80]!r}")
        en, fr = normalise(fields[0]), normalise(fields[1])
        if en and fr:
            pairs.append((en, fr))
    if not pairs:
        raise ValueError(f"{path}: no sentence pairs")
    return pairs


def read_moses(en_path: Path, fr_path: Path) -> list[tuple[str, str]]:
    """Line-aligned pairs of X.en / X.fr; lines with an empty side are dropped."""
    en_lines = en_path.read_text(encoding="utf-8").splitlines()
    fr_lines = fr_path.read_text(encoding="utf-8").splitlines()
    if len(en_lines) != len(fr_lines):
        raise ValueError(f"{en_path} has {len(en_lines)} lines but {fr_path} has {len(fr_lines)}: not aligned")
    pairs = [(normalise(e), normalise(f)) for e, f in zip(en_lines, fr_lines)]
    pairs = [(e, f) for e, f in pairs if e and f]
    if not pairs:
        raise ValueError(f"{en_path}: no sentence pairs")
    return pairs


def split_by_source(pairs: list[tuple[str, str]], seed: int = SPLIT_SEED) -> dict[str, list[tuple[str, str]]]:
    """Train/val/test by English sentence, 93/2/5%, each part in file order."""
    sources = list(dict.fromkeys(en for en, _ in pairs))
    if len(sources) < 3:
        raise ValueError(f"need at least 3 distinct English sentences to split, got {len(sources)}")
    order = np.random.default_rng(seed).permutation(len(sources))
    n_test = max(1, round(TEST_FRACTION * len(sources)))
    n_val = max(1, round(VAL_FRACTION * len(sources)))
    part = {}
    for rank, i in enumerate(order):
        part[sources[i]] = "test" if rank < n_test else "val" if rank < n_test + n_val else "train"
    out = {"train": [], "val": [], "test": []}
    for en, fr in pairs:
        out[part[en]].append((en, fr))
    return out


def load_parallel_files(files: dict) -> Split:
    if "tsv" in files:
        path = files["tsv"]
        return pairs_split(split_by_source(read_tsv(path)),
            name="en-fr", variant="real", version="tsv",
            source=f"English-French TSV {path} (split by English sentence, seed {SPLIT_SEED})")
    if "all" in files:
        parts = split_by_source(read_moses(*files["all"]))
        how = f"split by English sentence, seed {SPLIT_SEED}"
    else:
        parts = {part: read_moses(*paths) for part, paths in files.items()}
        how = "split as given by the file names"
    first = next(iter(files.values()))[0]
    return pairs_split(parts, name="en-fr", variant="real", version="moses",
                       source=f"Moses-style .en/.fr files in {first.parent} ({how})")
