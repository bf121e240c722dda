"""The course settings and the rubric: TOML files in grading/, validated on load.

Every problem is a `ConfigError` naming the file and line, what was expected
and what was found, and nothing is rendered from a file that failed.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
COURSE_FILE = HERE / "course.toml"
RUBRIC_FILE = HERE / "rubric.toml"
CREDIT_RULES = ("mean", "all")


class ConfigError(ValueError):
    pass


@dataclass(frozen=True)
class MarkScheme:
    laboratory_assessment: float
    class_participation: float
    viva: float

    @property
    def total(self) -> float:
        return self.laboratory_assessment + self.class_participation + self.viva


@dataclass(frozen=True)
class LatePolicy:
    grace_hours: float
    penalty_per_day: float
    max_penalty: float


@dataclass(frozen=True)
class CourseExperiment:
    sno: int
    id: str
    name: str
    due: datetime


@dataclass(frozen=True)
class Course:
    name: str
    marks: MarkScheme
    late: LatePolicy
    experiments: tuple[CourseExperiment, ...]

    def experiment(self, experiment_id: str) -> CourseExperiment | None:
        return next((e for e in self.experiments if e.id == experiment_id), None)


@dataclass(frozen=True)
class Criterion:
    name: str
    points: float
    checks: tuple[str, ...]
    credit: str
    line: int  # where it is defined, for messages


Rubric = dict[str, tuple[Criterion, ...]]


# --- reading --------------------------------------------------------------------------

def _read(path: Path) -> tuple[dict, list[str]]:
    try:
        text = path.read_text()
    except OSError as exc:
        raise ConfigError(f"{path}: cannot be read ({exc.strerror})") from None
    try:
        return tomllib.loads(text), text.splitlines()
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None


def _line(lines: list[str], needle: str, start: int = 1) -> int:
    """The first line at or after `start` (1-based) that contains needle; `start` if none does."""
    for i in range(start - 1, len(lines)):
        if needle in lines[i]:
            return i + 1
    return start


def _headers(lines: list[str], table: str) -> list[int]:
    """Lines of each `[[table]]` header, in order."""
    return [i + 1 for i, ln in enumerate(lines) if ln.strip().replace(" ", "") == f"[[{table}]]"]


# --- the course ----------------------------------------------------------------------------

def load_course(path: Path = COURSE_FILE) -> Course:
    data, lines = _read(path)

    def fail(message: str, needle: str, start: int = 1):
        raise ConfigError(f"{path}, line {_line(lines, needle, start)}: {message}")

    course, late = data.get("course", {}), data.get("late_policy", {})
    marks = course.get("marks", {})
    for key in ("laboratory_assessment", "class_participation", "viva"):
        if not isinstance(marks.get(key), (int, float)) or marks[key] <= 0:
            fail(f"course.marks.{key} must be a positive number, found {marks.get(key)!r}", "marks")
    for key in ("grace_hours", "penalty_per_day", "max_penalty"):
        if not isinstance(late.get(key), (int, float)) or late[key] < 0:
            fail(f"late_policy.{key} must be a number >= 0, found {late.get(key)!r}", key)
    experiments = []
    headers = _headers(lines, "experiments")
    for i, e in enumerate(data.get("experiments", [])):
        at = headers[i] if i < len(headers) else 1
        if set(e) != {"sno", "id", "name", "due"}:
            fail(f"each [[experiments]] needs exactly sno, id, name, due; found {', '.join(sorted(e))}", "[[", at)
        if e["sno"] != i + 1:
            fail(f"S.No {e['sno']!r} out of order: experiments are listed in the manual's order, expected {i + 1}",
                 "sno", at)
        if not isinstance(e["due"], datetime) or e["due"].tzinfo is None:
            fail(f"due date of {e['id']} must be a date and time with its zone, like 2026-08-07T23:59:00+05:30; "
                 f"found {e['due']!r}", "due", at)
        if any(x.id == e["id"] for x in experiments):
            fail(f"experiment id {e['id']!r} appears twice", "id", at)
        experiments.append(CourseExperiment(e["sno"], e["id"], e["name"], e["due"]))
    if not experiments:
        fail("no [[experiments]]: list the course's experiments in the manual's order", "")
    return Course(name=str(course.get("name", "")), marks=MarkScheme(**{k: float(marks[k]) for k in marks}),
                  late=LatePolicy(**{k: float(late[k]) for k in ("grace_hours", "penalty_per_day", "max_penalty")}),
                  experiments=tuple(experiments))


# --- the rubric -------------------------------------------------------------------------------

def load_rubric(course: Course, path: Path = RUBRIC_FILE,
                catalog: Mapping[str, Sequence[str]] | None = None) -> Rubric:
    """The rubric, checked; with a catalog (experiment id -> its check names, as a run record carries it),
    every check it names must exist and every check must feed a criterion."""
    from reference import EXPERIMENTS

    data, lines = _read(path)
    rubric: Rubric = {}
    for exp_id, criteria in data.items():
        headers = _headers(lines, exp_id)
        first = headers[0] if headers else _line(lines, exp_id)
        where = f"{path}, line {first}"
        if exp_id not in EXPERIMENTS:
            raise ConfigError(f"{where}: unknown experiment {exp_id!r}; experiments the bench grades: "
                              f"{', '.join(EXPERIMENTS)}")
        if not isinstance(criteria, list):
            raise ConfigError(f"{where}: write each criterion of {exp_id} as a [[{exp_id}]] table")
        known = catalog.get(exp_id) if catalog is not None else None  # None: nothing to check names against
        seen: dict[str, int] = {}
        parsed = []
        for i, c in enumerate(criteria):
            at = headers[i] if i < len(headers) else first
            here = f"{path}, line {at}"
            extra = set(c) - {"criterion", "points", "checks", "credit"}
            if extra or not {"criterion", "points", "checks"} <= set(c):
                raise ConfigError(f"{here}: a criterion has keys criterion, points, checks and optionally "
                                  f"credit; found {', '.join(sorted(c))}")
            if not isinstance(c["points"], (int, float)) or c["points"] <= 0:
                raise ConfigError(f"{path}, line {_line(lines, 'points', at)}: points must be a positive number, "
                                  f"found {c['points']!r}")
            credit = c.get("credit", "mean")
            if credit not in CREDIT_RULES:
                raise ConfigError(f"{path}, line {_line(lines, 'credit', at)}: credit must be one of "
                                  f"{', '.join(CREDIT_RULES)}; found {credit!r}")
            if not c["checks"]:
                raise ConfigError(f"{here}: criterion {c['criterion']!r} lists no checks")
            for check in c["checks"]:
                line = _line(lines, f'"{check}"', at)
                if known is not None and check not in known:
                    raise ConfigError(f"{path}, line {line}: {exp_id} has no check {check!r}. Its checks: "
                                      f"{', '.join(known)}")
                if check in seen:
                    raise ConfigError(f"{path}, line {line}: check {check!r} already feeds a criterion "
                                      f"(line {seen[check]}); each check counts once")
                seen[check] = line
            parsed.append(Criterion(str(c["criterion"]), float(c["points"]), tuple(c["checks"]), credit, at))
        unused = [k for k in known or () if k not in seen]
        if unused:
            raise ConfigError(f"{where}: {exp_id}'s checks {', '.join(unused)} feed no criterion; add them to one "
                              "so that every check counts")
        total = sum(c.points for c in parsed)
        expected = course.marks.laboratory_assessment
        if abs(total - expected) > 1e-9:
            raise ConfigError(f"{where}: the criteria of {exp_id} add up to {total:g} points (lines "
                              f"{', '.join(str(c.line) for c in parsed)}); Laboratory Assessment is out of "
                              f"{expected:g}")
        rubric[exp_id] = tuple(parsed)
    missing = [e for e in EXPERIMENTS if e not in rubric]
    if missing:
        raise ConfigError(f"{path}: no criteria for {', '.join(missing)}; every experiment the bench grades needs "
                          "its Laboratory Assessment criteria")
    return rubric
