"""The grading key: the same key, the same hidden data; no key, fresh hidden data; a careless key, refused."""

from __future__ import annotations

import subprocess
import sys

import pytest

from bench import key

from conftest import REPO


def _key(tmp_path, text="a-grading-key-for-this-test-only", mode=0o600):
    path = tmp_path / "k"
    path.write_text(text + "\n")
    path.chmod(mode)
    return path


def test_the_same_key_gives_the_same_hidden_seed_and_no_key_a_fresh_one(tmp_path):
    k = key.read(_key(tmp_path))
    assert key.hidden_seed(k) == key.hidden_seed(k)
    assert key.hidden_seed(k) != key.hidden_seed(k + b"x")
    assert len({key.hidden_seed(None) for _ in range(5)}) > 1


def test_a_key_others_can_read_is_refused(tmp_path):
    with pytest.raises(key.UnusableKey, match="others can read it.*chmod 600"):
        key.read(_key(tmp_path, mode=0o644))


def test_a_short_or_missing_key_is_refused(tmp_path):
    with pytest.raises(key.UnusableKey, match="too few to be a secret"):
        key.read(_key(tmp_path, text="short"))
    with pytest.raises(key.UnusableKey, match="cannot read it.*bench.key new"):
        key.read(tmp_path / "absent")


def test_new_writes_a_private_key_and_never_overwrites_one(tmp_path):
    path = tmp_path / "course.key"
    run = [sys.executable, "-m", "bench.key", "new", str(path)]
    assert subprocess.run(run, cwd=REPO, capture_output=True, text=True).returncode == 0
    assert path.stat().st_mode & 0o777 == 0o600 and len(key.read(path)) == 2 * key.KEY_BYTES
    before = path.read_bytes()
    again = subprocess.run(run, cwd=REPO, capture_output=True, text=True)
    assert again.returncode == 1 and "never overwritten" in again.stderr and path.read_bytes() == before
