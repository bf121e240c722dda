"""Fixtures for the harness's own tests."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bench.isolation import sandbox

pytest_plugins = ["pytester"]

def _cgroups_here() -> tuple[bool, str]:
    """Can this grader give a worker a cgroup (memory, pids, CPU time)? Probed once, by making one."""
    from bench.isolation.cgroups import Cgroup

    if os.geteuid() != 0:
        return False, "the grader is not root"
    cgroup, why = Cgroup.create(f"labmark-test-probe-{os.getpid()}", 1 << 30, 64)
    if cgroup is None:
        return False, why
    cgroup.remove()
    return True, ""


CGROUPS, NO_CGROUP_WHY = _cgroups_here()
# A test that needs a worker's cgroup (never run a fork bomb where nothing caps it).
needs_cgroup = pytest.mark.skipif(not CGROUPS, reason=f"no cgroup for workers here: {NO_CGROUP_WHY}")

# Both isolation layers, the sandbox's only where bubblewrap can start here (else skipped with its reason).
LAYERS = [pytest.param("process"),
          pytest.param("sandbox", marks=pytest.mark.skipif(not sandbox.probe()[0], reason=sandbox.probe()[1]))]


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true", help="rewrite tests/golden/ from the current output")


def pytest_configure(config):
    # The suite's slowest tests are listed at its end (the CI log shows where its minutes go); --durations=N
    # on the command line still decides.
    if config.option.durations is None:
        config.option.durations, config.option.durations_min = 25, 10.0

REPO = Path(__file__).resolve().parent.parent
ZOO = REPO / "tests" / "zoo"


# The tests' grading key: fixed, so that a test's hidden data is the same on every run (not a secret).
TEST_KEY = "labmark-tests-fixed-grading-key-0001"


def test_key(folder: Path) -> Path:
    """A key file holding TEST_KEY, readable by its owner only (as `--key` requires)."""
    path = folder / "grading.key"
    if not path.exists():
        path.write_text(TEST_KEY + "\n")
        path.chmod(0o600)
    return path


def run_bench(tmp_path: Path, *args: str, timeout: float = 900) -> tuple[subprocess.CompletedProcess, dict]:
    """`pytest bench ARGS` in the repository, as a user runs it, with the tests' grading key unless ARGS
    name one; returns the process and its run record."""
    record = tmp_path / "record.json"
    key = [] if "--key" in args else ["--key", str(test_key(tmp_path))]
    proc = subprocess.run([sys.executable, "-m", "pytest", "bench", "-q", "-p", "no:randomly", "--record",
                           str(record), *key, *args], cwd=REPO, capture_output=True, text=True, timeout=timeout)
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


def marks_of(record: dict) -> dict:
    """(student, experiment, check) -> (status, credit) of every check in a run record: what two runs that
    should grade alike are compared on."""
    return {(s, e, c["name"]): (c["status"], round(c["score"], 6))
            for s, exps in record["submissions"].items() for e, entry in exps.items() for c in entry["checks"]}
