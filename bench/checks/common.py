"""Checks every experiment shares, written once and applied to each (like scikit-learn's common checks).

The plugin adds these to every experiment's check module (`bench/checks/test_expNN_*.py`,
one with an `EXPERIMENT`): the first two before that module's own checks (cheap
first), the speed check after them.

- `interface`: the submission imports and defines the experiment's functions with
  callable signatures (its SPEC's `interface`);
- `trains_within_budget`: for a module that has a `training` fixture, each
  training entry point finished within the training budget. The fixture runs the
  experiment's own training stage and says what it saw as a `Training`. With
  several entry points, the module lists them as `TRAINING_ENTRIES` and the
  fixture reads its one from `request.param`: one check each, `trains_within_budget[cnn]`;
- `speed` (marker `speed`): for a module that has a `speed` fixture, the
  throughput of the experiment's workload as a ratio to the reference's in the
  same run. The fixture times the workload for the submission, and for the
  reference through `harness.reference_figure(EXPERIMENT, measure)` (which,
  in a student kit without the solution, gives the figure recorded on the
  grading machine instead), and returns a `Speed`. It runs only on code whose outputs
  passed: the module lists the checks that judge the outputs its workload times as
  `SPEED_NEEDS` (base names: `decoding_stops` covers `decoding_stops[x]` too), and
  when one of them failed on its outputs in this run, the speed check is skipped with a
  reason naming it, before anything is timed. One bug is charged once, by the check
  that found it, never again as slowness or as a speed check's error.

A check module that defines a function of the same name is an error at
collection: an experiment keeps only what is particular to it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from ..check import CheckFailed
from ..scoring.speed import grade_speed


@dataclass
class Training:
    """What one training call did, as the budget check needs it."""

    function: str  # the entry point that trained, e.g. "train_cnn"
    seconds: float  # as the harness timed the call
    metric: str = "train_seconds"  # the record's metric for those seconds
    evidence: dict = field(default_factory=dict)  # the report's figures: history, reward curve, ...
    metrics: dict[str, float] = field(default_factory=dict)  # more metrics for the record
    problem: str = ""  # a failure particular to the experiment, whatever the time (a message)
    summary: str = ""  # the passing message, where "trained in X s of a Y s budget" says too little


@dataclass
class Speed:
    """One experiment's speed workload, timed by the grader for the submission and the reference in one run."""

    what: str  # the workload, as the message names it: "prediction"
    seconds: float  # the submission's time for it (or per unit of it)
    reference_seconds: float  # the reference's, for the same work
    metrics: dict[str, float] = field(default_factory=dict)  # the submission's throughput, for the record
    evidence: dict = field(default_factory=dict)  # more figures for the report
    reference_figure: object = None  # what Harness.reference_figure returned, where not reference_seconds itself


def test_interface(run, check):
    loaded = run.interface()
    check.add(functions={name: info.get("signature") for name, info in loaded["functions"].items()})


def test_trains_within_budget(run, check, training: Training):
    budget = run.budgets.train_seconds
    check.metric(training.metric, training.seconds)
    for name, value in training.metrics.items():
        check.metric(name, value)
    check.add(**training.evidence, train_seconds=training.seconds, budget_seconds=budget)
    assert not training.problem, training.problem
    # The worker is stopped at budget + grace; finishing in the grace period is still over budget.
    assert training.seconds <= budget, (
        f"{training.function}() took {training.seconds:.1f} s, over its budget of {budget:.0f} s. Expected: "
        "training stops when budget.remaining() runs low. Fix: check budget.remaining() each epoch (or batch, "
        "or episode).")
    check.message = training.summary or f"trained in {training.seconds:.1f} s of a {budget:.0f} s budget"


# Failures that leave the outputs valid: a graded metric short of its target, and the harness's own errors.
NOT_ABOUT_OUTPUTS = ("below_target", "harness_error")


def failed_outputs(entry, needs: tuple[str, ...]) -> list:
    """The recorded checks of this run, among `needs` (base names), that failed on the submission's outputs."""
    def named(name: str) -> bool:
        return any(name == n or name.startswith(f"{n}[") for n in needs)
    return [c for c in entry.checks if named(c.name) and c.status in ("fail", "error")
            and c.kind not in NOT_ABOUT_OUTPUTS]


def require_passed_outputs(run, module) -> None:
    """Skip a speed check whose workload's outputs failed a check of this run (the module's SPEED_NEEDS)."""
    failed = failed_outputs(run.entry, tuple(getattr(module, "SPEED_NEEDS", ())))
    if failed:
        first = failed[0]
        others = f" (and {', '.join(c.name for c in failed[1:])})" if len(failed) > 1 else ""
        pytest.skip(f"not run: speed is measured only on code whose outputs passed, and check {first.name}{others} "
                    f"failed ({first.kind}: {first.message.split('. ')[0][:200]}): the problem is reported there, "
                    "not as slowness. Fix it and the speed check runs.")


@pytest.mark.speed
def test_speed(run, check, harness, outputs_passed, speed: Speed):
    for name, value in speed.metrics.items():
        check.metric(name, value)
    figure = speed.reference_seconds if speed.reference_figure is None else speed.reference_figure
    check.add(**speed.evidence, reference_figure=figure)  # what `python -m bench.calibrate speed` records
    if run.experiment.id not in harness.recorded_speed:
        grade_speed(check, speed.what, speed.seconds, speed.reference_seconds)
        return
    check.add(reference_recorded=run.experiment.reference_speed_source)
    note = (" Approximate: the reference's time was recorded on the grading machine, not measured beside you; "
            "the official ratio comes from the instructor's run.")
    try:
        grade_speed(check, speed.what, speed.seconds, speed.reference_seconds)
    except CheckFailed as exc:
        raise CheckFailed(f"{exc}{note}") from None
    check.message += note


def shared_checks(module) -> tuple[list[tuple[str, object]], list[tuple[str, object]]]:
    """(name, function) of the shared checks that apply to this check module: those that run before its own
    checks, and those that run after."""
    first: list[tuple[str, object]] = [("test_interface", test_interface)]
    if hasattr(module, "training"):
        first.append(("test_trains_within_budget", test_trains_within_budget))
    last = [("test_speed", test_speed)] if hasattr(module, "speed") else []
    return first, last


def parametrize(metafunc) -> None:
    """One trains_within_budget check per entry point the module lists."""
    entries = getattr(metafunc.module, "TRAINING_ENTRIES", None)
    if metafunc.function is test_trains_within_budget and entries:
        metafunc.parametrize("training", entries, indirect=True, ids=[str(e) for e in entries])


def check_names(module) -> tuple[list[str], list[str]]:
    """The record names of the shared checks this module gets, before and after its own (see bench/checks/catalog.py)."""
    def names(checks):
        out = []
        for name, function in checks:
            base = name.removeprefix("test_")
            entries = getattr(module, "TRAINING_ENTRIES", None) if function is test_trains_within_budget else None
            out.extend([f"{base}[{e}]" for e in entries] if entries else [base])
        return out
    first, last = shared_checks(module)
    return names(first), names(last)
