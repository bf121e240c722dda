"""What a long grading run is doing, and when it will end.

One line when a (student, experiment) starts, one per training call (what
trains, on what budget), one when it ends (its time against its budget, its
checks, and the run's ETA). Plain lines through pytest's terminal reporter,
never a cursor movement, so a CI log reads as a terminal does; `-q` hides
them.

The ETA comes from the budgets: each pair is expected to take its
experiment's training budget plus a fixed allowance for loading and scoring,
scaled by how the finished pairs compared with that expectation, and divided
among the workers grading at once.
"""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from typing import Callable

import pytest

from reference import EXPERIMENTS

OVERHEAD_SECONDS = 15.0  # per pair, beyond training: starting the worker, importing, staging data, scoring


def expected_seconds(experiment: str, quick: bool, scale: float) -> float:
    """What one (student, experiment) is expected to take, from its budget alone."""
    return EXPERIMENTS[experiment].budget.train(quick) * scale + OVERHEAD_SECONDS


def duration(seconds: float) -> str:
    seconds = int(round(seconds))
    if seconds < 60:
        return f"{seconds} s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes}m{seconds:02d}s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h{minutes:02d}m"


class Progress:
    def __init__(self, pairs: list[tuple[str, str]], quick: bool, scale: float, workers: int = 1,
                 write: Callable[[str], None] = print, clock: Callable[[], float] = time.monotonic):
        self.expected = {p: expected_seconds(p[1], quick, scale) for p in pairs}
        self.workers = max(1, workers)
        self.write = write
        self.clock = clock
        self.started_at: dict[tuple[str, str], float] = {}
        self.done: dict[tuple[str, str], float] = {}  # pair -> seconds it took
        self.begun = clock()
        self._pair_of: dict[str, tuple[str, str]] = {}
        self._said_after_check: list[str] = []  # lines held until the terminal has shown the check's outcome

    def follow(self, pair_of: dict[str, tuple[str, str]]) -> None:
        """Follow pytest's own run (register self as a plugin): a pair starts as its first check does (nodeid
        -> pair), and a pair's end is said after its last check's outcome is shown."""
        self._pair_of = pair_of

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_logstart(self, nodeid: str, location) -> None:
        """Said before the terminal names the check's file, so that the line stands on its own."""
        if nodeid in self._pair_of:
            self.start(self._pair_of[nodeid])

    def pytest_runtest_logfinish(self, nodeid: str, location) -> None:
        for line in self._said_after_check:
            self.write(line)
        self._said_after_check.clear()

    def finished_elsewhere(self, pair: tuple[str, str]) -> None:
        """A pair taken from an earlier session (--resume): counted done, at no cost."""
        self.expected.pop(pair, None)

    def start(self, pair: tuple[str, str]) -> None:
        if pair in self.started_at or pair not in self.expected:
            return
        self.started_at[pair] = self.clock()
        number = len(self.started_at)
        self.write(f"labmark: {pair[0]} {pair[1]}: started ({number} of {len(self.expected)}; expected "
                   f"{duration(self.expected[pair])} from its budget)")

    def training(self, pair: tuple[str, str], function: str, budget_seconds: float) -> None:
        self.write(f"labmark: {pair[0]} {pair[1]}: training {function}() (budget {duration(budget_seconds)})")

    def finish(self, pair: tuple[str, str], checks: list) -> None:
        """The pair's checks (bench.record.CheckResult) have all ended."""
        if pair not in self.started_at or pair in self.done:
            return
        passed = sum(c.status == "pass" for c in checks)
        took = self.done[pair] = self.clock() - self.started_at[pair]
        say = self._said_after_check.append if self._pair_of else self.write
        say(f"labmark: {pair[0]} {pair[1]}: done in {duration(took)} (expected "
                   f"{duration(self.expected[pair])}), {passed}/{len(checks)} checks passed; {len(self.done)} of "
                   f"{len(self.expected)} done, {self.eta()}")

    def eta_seconds(self) -> float:
        """Seconds left: the expected time of every pair not done, at the pace the done ones set, shared
        among the workers."""
        pace = sum(self.done.values()) / sum(self.expected[p] for p in self.done) if self.done else 1.0
        now = self.clock()
        left = sum(max(0.0, self.expected[p] * pace - (now - self.started_at[p] if p in self.started_at else 0.0))
                   for p in self.expected if p not in self.done)
        return left / self.workers

    def eta(self) -> str:
        left = self.eta_seconds()
        if left <= 0:
            return "nothing left"
        end = datetime.now() + timedelta(seconds=left)
        return f"ETA {end:%H:%M} (about {duration(left)} left)"
