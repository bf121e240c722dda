"""Grading a class in parallel on one machine: `pytest bench --submission=all --workers N`.

The session given `--workers N` (the conductor) collects the checks as any
session does, then runs none itself. It splits the students into N shards and
runs each as its own pytest session, pinned to its own disjoint cores, so a
shard's budgets (`threads`) are its cores and its speed ratios are measured
against the reference timed on those same cores (every shard times its own
anchor). All shards grade the same hidden data: they share the grading key,
or, without one, a key made for this run alone and deleted after it. The
conductor follows the shards' journals and reports each check as it ends, as
a serial session would; at the end the journals assemble into one record.

A shard's record, journal and log go to `<record stem>.shards/`; resume a
killed parallel run with `--resume <record stem>.shards` (every journal in it).
"""

from __future__ import annotations

import ctypes
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from reference import EXPERIMENTS

from . import host
from . import key as key_mod
from .record.journal import journal_path
from .submission import REFERENCE

# Options the conductor sets for each shard itself; anything else on its command line is passed on unchanged.
OWN_OPTIONS = {"--workers": True, "--submission": True, "--record": True, "--report": True, "--marks": True,
               "--key": True, "--junitxml": True, "--junit-xml": True, "--resultlog": True}  # option -> takes a value
_PR_SET_PDEATHSIG = 1
# Set in a shard's environment: a shard grades, it never conducts shards of its own (whatever PYTEST_ADDOPTS
# or an @argfile on the conductor's command line hand on).
SHARD_VARIABLE = "LABMARK_SHARD"


def needs() -> tuple[int, int]:
    """(cores, memory MB) one shard needs: the threads the targets were measured with, and room for two
    workers at once (a student's and the reference anchor that stays up beside it)."""
    return (max(e.budget.threads for e in EXPERIMENTS.values()),
            2 * max(e.budget.memory_mb for e in EXPERIMENTS.values()))


def auto_workers(cores: int, memory_mb: int) -> int:
    """How many shards this machine holds without starving one: whole cores and memory for each."""
    want_cores, want_mb = needs()
    return max(1, min(cores // want_cores, memory_mb // want_mb))


def machine_memory_mb() -> int:
    return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // 2**20


def split_cores(cores: list[int], n: int) -> list[tuple[int, ...]]:
    """n disjoint groups of consecutive cores, sizes differing by at most one."""
    if not 1 <= n <= len(cores):
        raise ValueError(f"--workers {n}: this session may use {len(cores)} cores ({_ranges(cores)}), and each "
                         f"worker needs at least one of its own. Fix: --workers {len(cores)} or fewer (or auto).")
    size, extra = divmod(len(cores), n)
    groups, start = [], 0
    for i in range(n):
        end = start + size + (i < extra)
        groups.append(tuple(cores[start:end]))
        start = end
    return groups


def split_students(submissions: tuple[str, ...], n: int) -> list[tuple[str, ...]]:
    """n groups as even as possible; the reference (graded, when asked for) opens the first."""
    others = [s for s in submissions if s != REFERENCE]
    groups: list[list[str]] = [[REFERENCE] if REFERENCE in submissions else []] + [[] for _ in range(n - 1)]
    for student in others:  # each to the group with the fewest, so that the reference's group gets one less
        min(groups, key=len).append(student)
    return [tuple(g) for g in groups if g]


@dataclass(frozen=True)
class Shard:
    index: int  # 1-based, as headers and logs name it: w1, w2, ...
    submissions: tuple[str, ...]
    cores: tuple[int, ...]
    record: Path

    @property
    def name(self) -> str:
        return f"w{self.index}"

    @property
    def journal(self) -> Path:
        return journal_path(self.record)

    @property
    def log(self) -> Path:
        return self.record.with_suffix(".log")

    def describe(self) -> str:
        return (f"{self.name}: {len(self.cores)} core{'s' * (len(self.cores) > 1)} ({_ranges(self.cores)}), "
                f"{', '.join(self.submissions)}")

    def to_json(self) -> dict:
        return {"name": self.name, "cores": list(self.cores), "submissions": list(self.submissions),
                "record": str(self.record), "journal": str(self.journal), "log": str(self.log)}


def shards_dir(record_path: Path) -> Path:
    return record_path.with_name(record_path.stem + ".shards")


def plan(submissions: tuple[str, ...], cores: list[int], workers: int, record_path: Path) -> list[Shard]:
    """The shards of a parallel run: students split evenly, cores split disjointly (no more shards than
    students)."""
    groups = split_students(submissions, min(workers, len(submissions)))
    out = shards_dir(record_path)
    return [Shard(i, group, core_set, out / f"w{i}.json")
            for i, (group, core_set) in enumerate(zip(groups, split_cores(cores, len(groups))), 1)]


def shard_args(args: list[str], shard: Shard, key: Path) -> list[str]:
    """The conductor's own command line made into one shard's: the conductor's options dropped, the shard's
    students, record and key added. Selection (-k, -m, paths) and every other setting pass on unchanged."""
    kept, skip = [], False
    for arg in args:
        if skip:
            skip = False
            continue
        name = arg.split("=", 1)[0]
        if name in OWN_OPTIONS:
            skip = OWN_OPTIONS[name] and "=" not in arg
            continue
        kept.append(arg)
    students = [a for s in shard.submissions for a in ("--submission", s)]
    return [*kept, *students, "--record", str(shard.record), "--key", str(key), "-p", "no:cacheprovider"]


class RunKey:
    """The grading key the shards share: the instructor's, or one made for this run alone (in a folder only
    this user can read, deleted with it) so that every shard still grades the same hidden data."""

    def __init__(self, given: Path | None):
        self.path = given
        self._dir = None
        if given is None:
            self._dir = tempfile.mkdtemp(prefix="labmark-key-")  # mode 700
            self.path = Path(self._dir) / "run.key"
            key_mod.new(self.path)

    def discard(self) -> None:
        if self._dir is not None:
            self.path.unlink(missing_ok=True)
            os.rmdir(self._dir)
            self._dir = None


def _pin(cores: tuple[int, ...]):
    def before_exec() -> None:
        if host.can_pin():  # macOS cannot pin: the shards share every core (the header says so)
            os.sched_setaffinity(0, cores)
        try:  # the shard dies with the conductor, even one killed with SIGKILL
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
        except (OSError, AttributeError):
            pass
    return before_exec


class Running:
    """One shard's pytest session, and the journal lines it has written so far."""

    def __init__(self, shard: Shard, args: list[str], cwd: Path):
        self.shard = shard
        shard.record.parent.mkdir(parents=True, exist_ok=True)
        shard.journal.unlink(missing_ok=True)  # a rerun to the same record starts afresh, as a session's does
        self._log = open(shard.log, "wb")
        self.started = time.monotonic()
        self.proc = subprocess.Popen([sys.executable, "-m", "pytest", *args], cwd=cwd, stdout=self._log,
                                     stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                     env={**os.environ, SHARD_VARIABLE: shard.name}, preexec_fn=_pin(shard.cores))
        self._offset = 0

    def new_lines(self) -> list[str]:
        """Whole lines appended to the shard's journal since the last call."""
        try:
            with open(self.shard.journal, "rb") as f:
                f.seek(self._offset)
                data = f.read()
        except FileNotFoundError:
            return []
        end = data.rfind(b"\n") + 1
        self._offset += end
        return data[:end].decode("utf-8").splitlines()

    def done(self) -> bool:
        if self.proc.poll() is None:
            return False
        self._log.close()
        return True

    def stop(self, grace: float = 30.0) -> None:
        """Interrupt the shard as Ctrl-C would (its record keeps what finished), killing it if it lingers."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(grace)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._log.close()

    def log_tail(self, lines: int = 25) -> str:
        text = self.shard.log.read_text(errors="replace").splitlines()
        return "\n".join(text[-lines:])


def _ranges(cores) -> str:
    """[0, 1, 2, 5] -> "0-2,5"."""
    cores = sorted(cores)
    parts, start = [], None
    for i, c in enumerate(cores):
        if start is None:
            start = c
        if i + 1 == len(cores) or cores[i + 1] != c + 1:
            parts.append(str(start) if start == c else f"{start}-{c}")
            start = None
    return ",".join(parts)


def conduct(session, shards: list[Shard], key: Path, on_line, on_exit, poll: float = 0.5) -> dict[str, int]:
    """Run every shard to its end: on_line(shard, journal line) for each line it journals, on_exit(running)
    for each shard as it exits. Returns each shard's exit status. Stops them all, keeping what they finished,
    if the conductor is interrupted or told to stop (-x)."""
    args = list(session.config.invocation_params.args)
    cwd = Path(session.config.invocation_params.dir)
    running = [Running(s, shard_args(args, s, key), cwd) for s in shards]
    codes: dict[str, int] = {}
    try:
        while len(codes) < len(running):
            for r in running:
                if r.shard.name in codes:
                    continue
                exited = r.done()  # before reading, so that lines written just before exiting are read
                _hand_on(r, on_line)
                if exited:
                    codes[r.shard.name] = r.proc.returncode
                    on_exit(r)
            if session.shouldfail or session.shouldstop:
                break
            time.sleep(poll)
    finally:
        for r in running:
            if r.shard.name not in codes:
                r.stop()
                _hand_on(r, on_line)
                codes[r.shard.name] = r.proc.returncode
    return codes


def _hand_on(r: Running, on_line) -> None:
    for line in r.new_lines():
        on_line(r.shard, json.loads(line))
