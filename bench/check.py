"""What one check says about one submission, and how its outcome is recorded.

A check is a pytest test parametrized by `submission`. Inside, it talks to the
`check` fixture (a `Check`) to leave metrics, evidence and partial credit; the
plugin turns the pytest outcome plus that into a record entry.
"""

from __future__ import annotations

import math
import traceback

import pytest

from reference import Experiment, Target

from . import errors
from .record import Entry


class CheckFailed(AssertionError):
    """The submission ran but did not meet the check; `Check.credit` may still be partial."""


class Check:
    def __init__(self, name: str, student: str, experiment_id: str, entry: Entry, quick: bool = False):
        self.name = name
        self.quick = quick  # --quick: graded against the quick budget's targets where an experiment has them
        self.student = student
        self.experiment_id = experiment_id
        self.entry = entry  # the experiment's record entry: metrics land there too
        self.evidence: dict = {}
        self.credit: float | None = None
        self.message: str | None = None

    def metric(self, name: str, value: float) -> float:
        self.entry.metrics[name] = value
        self.evidence.setdefault("metrics", {})[name] = value
        return value

    def add(self, **evidence) -> None:
        self.evidence.update(evidence)

    def grade(self, metric: str, value: float, experiment: Experiment, variant: str, what: str = "",
              hint: str = "") -> float:
        """Partial credit against the experiment's measured target for this data variant."""
        self.evidence.setdefault("variants", {})[metric] = variant  # bench.calibrate reads it
        return self.judge(metric, value, experiment.target(metric, variant, self.quick), what, hint)

    def judge(self, metric: str, value: float, target: Target | None, what: str = "", hint: str = "") -> float:
        """Partial credit from a target; fails the check below the target."""
        self.metric(metric, value)
        what = what or metric
        if target is None:
            pytest.skip(f"{what} = {value:.4g} recorded, not graded: no measured target for this data variant")
        self.credit = target.credit(value)
        self.evidence.setdefault("targets", {})[metric] = {"floor": target.floor, "target": target.target,
                                                             "source": target.source, "variant": target.variant,
                                                             "budget": target.budget or "any",
                                                             "provisional": target.provisional,
                                                             "provenance": target.provenance,
                                                             **({"band": target.band} if target.band else {})}
        # A lab manual figure is named as such wherever the grade is read: nobody has measured it here.
        named = f"the target {target.target:g}" + (f" ({target.provenance})" if target.provisional else "")
        spread = _spread(target.band)
        if self.credit < 1.0:
            direction = "below" if target.higher_is_better else "above"
            raise CheckFailed(f"{what} = {value:.4g}, {direction} {named} (no credit at {target.floor:g}"
                              f"{'; ' + spread if spread else ''}): {_percent(self.credit)} of this check's credit."
                              + (f" {hint}" if hint else ""))
        self.message = f"{what} = {value:.4g} meets {named}" + (f" ({spread})." if spread else ".")
        return self.credit


def _spread(band: dict | None) -> str:
    """The reference's own range over its seeds, in words: what a target is measured below."""
    if not band:
        return ""
    return f"the reference over its seeds: mean {band['mean']:g}, worst {band['worst']:g}, sd {band['sd']:g}"


def _percent(fraction: float) -> str:
    """Rounded down to 0.1%: credit short of full never reads as 100%."""
    return f"{math.floor(fraction * 1000) / 10:g}%"


def outcome(check: Check | None, report: pytest.TestReport, excinfo) -> dict:
    """How one finished check went: its status, kind, score, message and staff detail (see record.CheckResult)."""
    exc = excinfo.value if excinfo is not None else None
    rec = {"status": "pass", "kind": None, "score": 1.0, "message": "", "staff_detail": ""}
    if report.skipped:
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        rec.update(status="skipped", score=0.0, message=reason.removeprefix("Skipped: "))
    elif isinstance(exc, errors.SubmissionError):
        rec.update(status=exc.status, kind=exc.kind, score=0.0, message=exc.message, staff_detail=exc.detail)
    elif isinstance(exc, AssertionError):
        # pytest's assertion rewriting appends "assert ..." introspection: staff detail, not the message.
        message, _, introspection = str(exc).partition("\nassert ")
        rec.update(status="fail", kind="below_target" if isinstance(exc, CheckFailed) else "check_failed",
                   score=check.credit if check and check.credit is not None else 0.0, message=message,
                   staff_detail=("assert " + introspection) if introspection else "")
    elif exc is not None:
        rec.update(status="error", kind="harness_error", score=0.0,
                   message=f"Internal error in the grading harness ({type(exc).__name__}: {exc}); this is not "
                           "a problem with the submission. Please report it to the course staff.",
                   staff_detail="".join(traceback.format_exception(exc)))
    else:
        rec.update(score=check.credit if check and check.credit is not None else 1.0,
                   message=(check.message if check else "") or "")
    if exc is not None and not rec["staff_detail"] and not isinstance(exc, AssertionError):
        rec["staff_detail"] = "".join(traceback.format_exception(exc))[-20000:]
    return rec
