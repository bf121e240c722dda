"""Fixtures for the harness's own tests."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bench import sandbox

pytest_plugins = ["pytester"]

# Both isolation layers, the sandbox's only where bubblewrap can start here (else skipped with its reason).
LAYERS = [pytest.param("process"),
          pytest.param("sandbox", marks=pytest.mark.skipif(not sandbox.probe()[0], reason=sandbox.probe()[1]))]


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


def pids() -> list[int]:
    """Every process on this machine."""
    return [int(p) for p in os.listdir("/proc") if p.isdigit()]


def cmdline(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f.read().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def alive(pid: int) -> bool:
    """Running (not a zombie waiting to be reaped)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(") ", 1)[1][0] != "Z"
    except (OSError, IndexError):
        return False
