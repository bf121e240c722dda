"""Progress lines and the ETA of a long grading run."""

from __future__ import annotations

import re

from reference import EXPERIMENTS

from bench.record import CheckResult
from bench.progress import OVERHEAD_SECONDS, Progress, duration, expected_seconds


def _checks(passed: int, failed: int = 0) -> list[CheckResult]:
    return ([CheckResult(name=f"p{i}", status="pass", score=1.0) for i in range(passed)]
            + [CheckResult(name=f"f{i}", status="fail", score=0.0) for i in range(failed)])


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_pair_is_expected_to_take_its_training_budget_and_an_allowance():
    assert expected_seconds("exp06", quick=True, scale=2.0) == EXPERIMENTS["exp06"].budget.quick_train_seconds * 2 + \
        OVERHEAD_SECONDS
    assert expected_seconds("exp06", quick=False, scale=1.0) > expected_seconds("exp06", quick=True, scale=1.0)


def test_durations_read_as_people_write_them():
    assert [duration(s) for s in (5, 59.6, 61, 3599, 3600, 7322)] == ["5 s", "1m00s", "1m01s", "59m59s", "1h00m",
                                                                   "2h02m"]


def test_the_eta_starts_from_the_budgets_and_follows_the_pace_of_the_pairs_done():
    clock, lines = Clock(), []
    pairs = [("ann", "exp06"), ("bob", "exp06"), ("cat", "exp06")]
    p = Progress(pairs, quick=True, scale=1.0, write=lines.append, clock=clock)
    each = expected_seconds("exp06", True, 1.0)
    assert p.eta_seconds() == 3 * each
    p.start(pairs[0])
    clock.now = 2 * each  # the first pair took twice what its budget suggests
    p.finish(pairs[0], _checks(passed=8, failed=1))
    assert p.eta_seconds() == 2 * (2 * each)
    p.start(pairs[1])
    clock.now += each  # halfway through the second, at that pace
    assert p.eta_seconds() == each + 2 * each
    assert lines[0] == f"labmark: ann exp06: started (1 of 3; expected {duration(each)} from its budget)"
    assert re.fullmatch(rf"labmark: ann exp06: done in {duration(2 * each)} \(expected {duration(each)}\), 8/9 checks "
                        r"passed; 1 of 3 done, ETA \d\d:\d\d \(about .* left\)", lines[1])


def test_workers_share_what_is_left_and_resumed_pairs_cost_nothing():
    pairs = [("ann", "exp06"), ("bob", "exp06"), ("cat", "exp06"), ("dan", "exp06")]
    p = Progress(pairs, quick=True, scale=1.0, workers=2, write=lambda line: None, clock=Clock())
    p.finished_elsewhere(pairs[0])
    assert p.eta_seconds() == 3 * expected_seconds("exp06", True, 1.0) / 2


def test_each_line_is_said_once_and_training_names_its_budget():
    clock, lines = Clock(), []
    p = Progress([("ann", "exp01")], quick=False, scale=1.0, write=lines.append, clock=clock)
    p.start(("ann", "exp01"))
    p.start(("ann", "exp01"))
    p.training(("ann", "exp01"), "train_cnn", 120.0)
    p.finish(("ann", "exp01"), _checks(passed=5))
    p.finish(("ann", "exp01"), _checks(passed=5))
    p.start(("reference", "exp01"))  # the speed anchor: not a pair of the run
    assert len(lines) == 3 and lines[1] == "labmark: ann exp01: training train_cnn() (budget 2m00s)"
    assert lines[2].endswith("1 of 1 done, nothing left")
