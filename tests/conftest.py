"""Fixtures for the harness's own tests."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytest_plugins = ["pytester"]


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true", help="rewrite tests/golden/ from the current output")

REPO = Path(__file__).resolve().parent.parent
ZOO = REPO / "tests" / "zoo"


def run_bench(tmp_path: Path, *args: str, timeout: float = 900) -> tuple[subprocess.CompletedProcess, dict]:
    """`pytest bench ARGS` in the repository, as a user runs it; returns the process and its run record."""
    record = tmp_path / "record.json"
    proc = subprocess.run([sys.executable, "-m", "pytest", "bench", "-q", "-p", "no:randomly", "--record",
                           str(record), *args], cwd=REPO, capture_output=True, text=True, timeout=timeout)
    if not record.exists():
        pytest.fail(f"no run record was written; pytest said:\n{proc.stdout[-4000:]}\n{proc.stderr[-4000:]}")
    return proc, json.loads(record.read_text())


def checks_of(record: dict, student: str, experiment: str) -> dict[str, dict]:
    return {c["name"]: c for c in record["submissions"][student][experiment]["checks"]}
