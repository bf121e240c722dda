"""A self-check needs no Linux-only call: it runs where /proc and CPU affinity do not exist (macOS)."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

from bench import host
from conftest import REPO

# Loaded at the start of the grading process: /proc and the affinity calls disappear, as on macOS, for the
# harness's own code (psutil, which asks each platform in its own way, keeps working).
WITHOUT_LINUX = textwrap.dedent('''
    import builtins, io, os, sys

    for name in ("sched_getaffinity", "sched_setaffinity"):
        if hasattr(os, name):
            delattr(os, name)

    def _from_the_harness():
        frame = sys._getframe(2)
        while frame is not None:
            name = frame.f_globals.get("__name__", "")
            if name.startswith(("bench", "grading")):
                return True
            if not (name.startswith(("pathlib", "io", "os", "_")) or name == "builtins"):
                return False
            frame = frame.f_back
        return False

    def _guard(real):
        def call(path, *args, **kwargs):
            if str(path).startswith("/proc") and _from_the_harness():
                with open(os.environ["LABMARK_PROC_LOG"], "a") as log:
                    log.write(str(path) + "\\n")
                raise FileNotFoundError(2, "No such file or directory (as on macOS)", str(path))
            return real(path, *args, **kwargs)
        return call

    builtins.open = io.open = _guard(io.open)
    os.scandir = _guard(os.scandir)
    os.listdir = _guard(os.listdir)
''')


def test_the_host_answers_without_affinity(monkeypatch):
    monkeypatch.delattr("os.sched_getaffinity", raising=False)
    cores = host.usable_cores()
    assert cores and cores == sorted(set(cores))
    tree = host.process_tree(subprocess.Popen([sys.executable, "-c", "import time; time.sleep(5)"]).pid)
    assert len(tree) == 1 and host.resident_bytes(tree) > 0 and host.cpu_seconds(tree) >= 0
    assert host.memory_total_bytes() > 2**28 and host.cpu_name()


def test_limits_a_platform_cannot_enforce_are_named(monkeypatch):
    monkeypatch.setattr(sys, "platform", "darwin")
    assert host.unenforced_limits() == ["address space (memory)"]
    monkeypatch.setitem(sys.modules, "resource", None)  # Windows: no resource module at all
    assert host.unenforced_limits() == sorted(host.RLIMITS.values())  # all three


@pytest.mark.e2e  # a grading session of the example's Experiment 6 without /proc or affinity
def test_a_self_check_runs_without_proc_or_affinity(tmp_path):
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "sitecustomize.py").write_text(WITHOUT_LINUX)
    log = tmp_path / "proc-reads.log"
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "PYTHONPATH": str(tmp_path / "site"),
           "LABMARK_PROC_LOG": str(log)}
    done = subprocess.run([sys.executable, "-m", "pytest", "bench", "-p", "no:randomly", "--submission=example",
                           "-k", "exp06", "--quick", "--isolation", "process", "--no-fail-on-marks",
                           "--record", str(tmp_path / "r.json")], cwd=REPO, env=env, capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    record = json.loads((tmp_path / "r.json").read_text())
    checks = record["submissions"]["example"]["exp06"]["checks"]
    assert len(checks) == len(record["catalog"]["exp06"]) and checks[0]["status"] == "pass"
    assert record["environment"]["cpu_count"] >= 1
    # The harness tried /proc only where it falls back when it is missing (the CPU's name, OOM counts, cgroups).
    tried = set(log.read_text().split()) if log.exists() else set()
    assert tried <= {"/proc/cpuinfo", "/proc/vmstat", "/proc/self/mountinfo", "/proc/self/cgroup"}, tried
