"""The grading key: a secret file from which a run's hidden data is derived.

Without a key, each run draws its hidden data from a fresh secret seed: nobody
can regenerate it, but two runs see different data. With `--key FILE`, the
hidden seed is an HMAC of the key, so every run with the same key (a regrade,
another shard) grades on the same hidden data, and nobody without the key can
derive it. The public `--seed` plays no part in either. Neither the key nor
the seed derived from it ever reaches a record, a report or a worker.

`python -m bench.key new FILE` writes a new key readable by its owner only.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import stat
import sys
from pathlib import Path

KEY_BYTES = 32
PURPOSE = b"labmark/hidden-seed/v1"
ID_PURPOSE = b"labmark/key-id/v1"


class UnusableKey(ValueError):
    """A key file that cannot be used, with what to do about it."""


def read(path: Path) -> bytes:
    """The key in `path`: at least 16 bytes, the file not readable by anyone but its owner."""
    try:
        info = path.stat()
        data = path.read_bytes().strip()
    except OSError as exc:
        raise UnusableKey(f"--key {path}: cannot read it ({exc.strerror}). Fix: create one with "
                        f"`python -m bench.key new {path}`.") from None
    if info.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise UnusableKey(f"--key {path}: others can read it (mode {stat.filemode(info.st_mode)}); a grading key "
                        f"must be secret. Fix: chmod 600 {path}.")
    if len(data) < 16:
        raise UnusableKey(f"--key {path}: holds {len(data)} bytes, too few to be a secret (expected at least 16). "
                        f"Fix: create one with `python -m bench.key new {path}`.")
    return data


def hidden_seed(key: bytes | None) -> int:
    """The run's hidden seed: derived from the key, or drawn afresh when there is none."""
    if key is None:
        return secrets.randbits(32)
    return int.from_bytes(hmac.new(key, PURPOSE, hashlib.sha256).digest()[:4], "big")


def key_id(key: bytes | None) -> str | None:
    """A name for the key that the record may carry (which key graded this run), like a key fingerprint: an
    HMAC for another purpose than the hidden seed's, so it tells nothing about the seed or the data."""
    return None if key is None else hmac.new(key, ID_PURPOSE, hashlib.sha256).hexdigest()[:16]


def new(path: Path) -> None:
    """Write a new random key to `path` (refusing to overwrite one), readable by its owner only."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(secrets.token_hex(KEY_BYTES) + "\n")


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] != "new":
        print("usage: python -m bench.key new FILE", file=sys.stderr)
        return 2
    try:
        new(Path(argv[1]))
    except FileExistsError:
        print(f"{argv[1]} exists: a key is never overwritten (regrades need it). Choose another name.",
              file=sys.stderr)
        return 1
    print(f"wrote a new grading key to {argv[1]} (mode 600); keep it secret and keep it for regrades")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
