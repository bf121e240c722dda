"""Marks from run records: pure functions, no I/O.

Laboratory Assessment comes from the checks through the rubric; Class
Participation, Viva, remarks and updated marks come from the instructor.
Anything not known yet is `None` and shown as pending: it never counts as 0.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime

from .config import Course, CourseExperiment, Criterion, LatePolicy, Rubric
from .manual import Manual, ManualMarks


@dataclass(frozen=True)
class CriterionMark:
    name: str
    points: float
    earned: float | None  # None when one of its checks is not in the record
    checks: tuple[dict, ...]  # {"name", "status", "score"} per check, as recorded
    missing: tuple[str, ...] = ()


@dataclass(frozen=True)
class ExperimentMark:
    sno: int
    id: str
    name: str
    due: datetime
    status: str  # "graded", "incomplete", "not graded" (no record for it), "not benched" (no bench checks)
    criteria: tuple[CriterionMark, ...] = ()
    la_raw: float | None = None  # before any late penalty
    submitted: dict | None = None  # {"at": iso time or None when unknown, "from": "git commit" or why unknown}
    days_late: int = 0
    penalty: float = 0.0
    manual: Manual = field(default_factory=Manual)

    @property
    def la(self) -> float | None:
        return None if self.la_raw is None else max(self.la_raw - self.penalty, 0.0)

    @property
    def parts(self) -> dict[str, float | None]:
        return {"laboratory_assessment": self.la, "class_participation": self.manual.participation,
                "viva": self.manual.viva}

    @property
    def pending(self) -> list[str]:
        return [name for name, value in self.parts.items() if value is None]

    @property
    def total(self) -> float | None:
        """The instructor's updated mark if given, else the sum of the three parts once all are known."""
        if self.manual.updated is not None:
            return self.manual.updated
        return None if self.pending else sum(self.parts.values())


@dataclass(frozen=True)
class StudentMarks:
    student: str
    experiments: tuple[ExperimentMark, ...]

    def sum_of(self, part: str) -> float:
        """The sum of the known values of one part (pending ones are listed, not added)."""
        return sum(v for e in self.experiments if (v := e.parts[part]) is not None)

    @property
    def total(self) -> float:
        """Marks known so far: each experiment's total, or the parts of it already known."""
        return sum(e.total if e.total is not None else sum(v for v in e.parts.values() if v is not None)
                   for e in self.experiments)

    @property
    def pending(self) -> int:
        """How many marks are not known yet (shown as pending, not counted)."""
        return sum(len(e.pending) for e in self.experiments if e.total is None)

    @property
    def complete(self) -> bool:
        return all(e.total is not None for e in self.experiments)


def criterion_mark(criterion: Criterion, checks: dict[str, dict]) -> CriterionMark:
    found = tuple({"name": n, "status": checks[n]["status"], "score": float(checks[n]["score"])}
                  for n in criterion.checks if n in checks)
    missing = tuple(n for n in criterion.checks if n not in checks)
    if missing:
        return CriterionMark(criterion.name, criterion.points, None, found, missing)
    scores = [min(max(c["score"], 0.0), 1.0) for c in found]
    if criterion.credit == "all":
        fraction = 1.0 if all(s == 1.0 for s in scores) else 0.0
    else:
        fraction = sum(scores) / len(scores)
    return CriterionMark(criterion.name, criterion.points, criterion.points * fraction, found)


def lateness(submitted_at: str | None, due: datetime, policy: LatePolicy) -> tuple[int, float]:
    """(started days late after the grace period, penalty before capping at the mark)."""
    if not submitted_at:
        return 0, 0.0
    hours = (datetime.fromisoformat(submitted_at) - due).total_seconds() / 3600 - policy.grace_hours
    days = math.ceil(hours / 24) if hours > 0 else 0
    return days, min(days * policy.penalty_per_day, policy.max_penalty)


def trusted_submission_time(submitted: dict | None) -> str | None:
    """The hand-in time a late penalty may rest on: a commit date from the grader's repository only.

    Records made by older versions also hold file modification times ("from": "file time"), which the
    student sets at will; with no trusted time there is no penalty, and the report shows it as unknown."""
    if not submitted or submitted.get("from") != "git commit":
        return None
    return submitted.get("at")


def experiment_mark(course_exp: CourseExperiment, entry: dict | None, rubric: Rubric, policy: LatePolicy,
                    manual: Manual) -> ExperimentMark:
    base = dict(sno=course_exp.sno, id=course_exp.id, name=course_exp.name, due=course_exp.due, manual=manual)
    if course_exp.id not in rubric:
        return ExperimentMark(status="not benched", **base)
    if entry is None or not entry.get("checks"):
        return ExperimentMark(status="not graded", **base)
    checks = {c["name"]: c for c in entry["checks"]}
    criteria = tuple(criterion_mark(c, checks) for c in rubric[course_exp.id])
    complete = all(c.earned is not None for c in criteria)
    submitted = (entry.get("source") or {}).get("submitted")
    days, penalty = lateness(trusted_submission_time(submitted), course_exp.due, policy)
    la_raw = sum(c.earned for c in criteria) if complete else None
    return ExperimentMark(status="graded" if complete else "incomplete", criteria=criteria, la_raw=la_raw,
                          submitted=submitted, days_late=days, penalty=min(penalty, la_raw or 0.0), **base)


NO_LATE_PENALTY = LatePolicy(grace_hours=float("inf"), penalty_per_day=0.0, max_penalty=0.0)


def student_marks(student: str, entries: dict[str, dict], course: Course, rubric: Rubric,
                  manual: ManualMarks, late: bool = True) -> StudentMarks:
    """entries: experiment id -> that experiment's record entry for this student.
    late=False for the reference solutions, which have no deadline."""
    policy = course.late if late else NO_LATE_PENALTY
    return StudentMarks(student, tuple(
        experiment_mark(e, entries.get(e.id), rubric, policy, manual.get((student, e.id), Manual()))
        for e in course.experiments))
