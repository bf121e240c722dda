"""Properties of marks: bounded, monotone in the checks, and pending never counted as zero."""

from __future__ import annotations

from datetime import timedelta

from hypothesis import given
from hypothesis import strategies as st

from grading.config import load_course, load_rubric
from grading.manual import Manual
from grading.marks import experiment_mark, lateness

COURSE = load_course()
RUBRIC = load_rubric(COURSE)
EXP06 = COURSE.experiment("exp06")
CHECKS = [c for criterion in RUBRIC["exp06"] for c in criterion.checks]

scores = st.lists(st.floats(0, 1), min_size=len(CHECKS), max_size=len(CHECKS))
manual_part = st.one_of(st.none(), st.floats(0, 5))


def entry(values, submitted=None):
    return {"checks": [{"name": n, "status": "pass" if s == 1 else "fail", "score": s}
                       for n, s in zip(CHECKS, values)],
            "source": {"submitted": {"at": submitted, "from": "git commit"}} if submitted else None}


@given(scores, manual_part, manual_part, st.integers(-5, 40))
def test_no_mark_exceeds_its_maximum(values, participation, viva, days_late):
    at = (EXP06.due + timedelta(days=days_late)).isoformat()
    m = experiment_mark(EXP06, entry(values, at), RUBRIC, COURSE.late, Manual(participation, viva))
    assert 0 <= m.la <= COURSE.marks.laboratory_assessment
    assert m.total is None or 0 <= m.total <= COURSE.marks.total


@given(scores, st.integers(0, len(CHECKS) - 1), st.floats(0, 1))
def test_a_better_check_never_lowers_the_mark(values, index, better):
    improved = list(values)
    improved[index] = max(values[index], better)
    before = experiment_mark(EXP06, entry(values), RUBRIC, COURSE.late, Manual())
    after = experiment_mark(EXP06, entry(improved), RUBRIC, COURSE.late, Manual())
    assert after.la >= before.la


@given(scores, manual_part, manual_part)
def test_missing_manual_marks_are_pending_never_zero(values, participation, viva):
    m = experiment_mark(EXP06, entry(values), RUBRIC, COURSE.late, Manual(participation, viva))
    if participation is None or viva is None:
        assert m.total is None  # not a number that silently treats the missing part as 0
        assert ("class_participation" in m.pending) == (participation is None)
        assert ("viva" in m.pending) == (viva is None)
    else:
        assert m.total == m.la + participation + viva


def test_all_passing_checks_earn_full_laboratory_assessment():
    m = experiment_mark(EXP06, entry([1.0] * len(CHECKS)), RUBRIC, COURSE.late, Manual(5, 5))
    assert m.la == 15 and m.total == 25 and m.status == "graded"


def test_a_check_that_was_not_run_makes_the_mark_incomplete_not_zero():
    partial = entry([1.0] * len(CHECKS))
    partial["checks"] = partial["checks"][:-1]
    m = experiment_mark(EXP06, partial, RUBRIC, COURSE.late, Manual())
    assert m.status == "incomplete" and m.la is None


def test_late_penalty_per_started_day_after_grace_capped():
    due = EXP06.due
    at = lambda hours: (due + timedelta(hours=hours)).isoformat()  # noqa: E731
    assert lateness(at(1.9), due, COURSE.late) == (0, 0.0)  # inside the 2 h grace
    assert lateness(at(3), due, COURSE.late) == (1, 1.5)
    assert lateness(at(2 + 24.5), due, COURSE.late) == (2, 3.0)
    assert lateness(at(24 * 30), due, COURSE.late) == (30, 7.5)
    m = experiment_mark(EXP06, entry([1.0] * len(CHECKS), at(3)), RUBRIC, COURSE.late, Manual())
    assert (m.la_raw, m.penalty, m.la, m.days_late) == (15, 1.5, 13.5, 1)


def test_an_updated_mark_overrides_the_total():
    m = experiment_mark(EXP06, entry([0.0] * len(CHECKS)), RUBRIC, COURSE.late, Manual(updated=21))
    assert m.total == 21


def test_no_late_penalty_without_a_trusted_hand_in_time():
    """Only a commit date from the grader's repository counts: an unknown time, or a file time (which the
    student sets) in a record from an older version, never costs marks."""
    late = (EXP06.due + timedelta(days=3)).isoformat()
    for submitted in ({"at": None, "from": "changed since its last commit in the grader's git repository"},
                      {"at": late, "from": "file time"}):
        graded = entry([1.0] * len(CHECKS))
        graded["source"] = {"submitted": submitted}
        m = experiment_mark(EXP06, graded, RUBRIC, COURSE.late, Manual())
        assert (m.days_late, m.penalty, m.la, m.submitted) == (0, 0.0, 15, submitted)
    m = experiment_mark(EXP06, entry([1.0] * len(CHECKS), late), RUBRIC, COURSE.late, Manual())
    assert m.days_late == 3 and m.penalty > 0  # the same time from a commit does count
