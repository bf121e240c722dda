"""What the text readers share: decoded texts packed for the `cached` arrays, hidden files skipped, and the
folders whose modification times key the cache of a folder layout.

Texts are cached as UTF-8 bytes plus end offsets: a numpy unicode array would pad every document to the
longest one at 4 bytes a character, gigabytes for 20 Newsgroups' longest posts.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np


def pack_texts(texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Texts as (UTF-8 bytes as uint8, end offsets as int64): arrays `cached` can store without pickling."""
    encoded = [t.encode("utf-8", "surrogatepass") for t in texts]
    ends = np.cumsum([len(b) for b in encoded], dtype=np.int64) if encoded else np.zeros(0, np.int64)
    return np.frombuffer(b"".join(encoded), dtype=np.uint8).copy(), ends


def unpack_texts(data: np.ndarray, ends: np.ndarray) -> list[str]:
    raw = data.tobytes()
    starts = np.concatenate([[0], ends[:-1]]) if len(ends) else ends
    return [raw[s:e].decode("utf-8", "surrogatepass") for s, e in zip(starts.tolist(), ends.tolist())]


def store_texts(prefix: str, texts: list[str]) -> dict[str, np.ndarray]:
    data, ends = pack_texts(texts)
    return {f"{prefix}_data": data, f"{prefix}_ends": ends}


def visible(name: str) -> bool:
    return not name.startswith(".")


def folder_sources(roots: list[Path]) -> list[Path]:
    """The cache key's sources for a folder layout: the split folders and their class folders, whose
    modification times change when files are added, removed or renamed (not when one is edited in
    place). The first in sorted order is a split folder, so the cache sits beside the split folders."""
    return roots + [p for root in roots for p in root.iterdir() if p.is_dir() and visible(p.name)]

