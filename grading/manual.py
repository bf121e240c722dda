"""The instructor's manual marks: a CSV of class participation, viva, remarks and updated marks.

    student,experiment,participation,viva,remark,updated_marks
    alice,exp06,4,4.5,Good discussion of the contextual anomalies,
    alice,1,5,,,

`experiment` is an id (exp06) or the manual's S.No (6). A blank cell is
*pending*, never zero. Every problem is an error naming the row.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from .config import ConfigError, Course

COLUMNS = ("student", "experiment", "participation", "viva", "remark", "updated_marks")
REQUIRED = ("student", "experiment")


@dataclass(frozen=True)
class Manual:
    participation: float | None = None
    viva: float | None = None
    remark: str = ""
    updated: float | None = None  # an instructor's override of the experiment's total


ManualMarks = dict[tuple[str, str], Manual]


def load_marks(path: Path, course: Course, students: set[str]) -> ManualMarks:
    try:
        text = Path(path).read_text(encoding="utf-8-sig")  # spreadsheets often save a BOM
    except OSError as exc:
        raise ConfigError(f"{path}: cannot be read ({exc.strerror})") from None
    reader = csv.DictReader(text.splitlines())
    header = [h.strip() for h in reader.fieldnames or []]
    unknown = [h for h in header if h not in COLUMNS]
    if unknown or not set(REQUIRED) <= set(header):
        raise ConfigError(f"{path}, line 1: columns must be {', '.join(COLUMNS)} (student and experiment "
                          f"required); found {', '.join(header) or 'nothing'}")
    by_sno = {str(e.sno): e.id for e in course.experiments}
    ids = {e.id for e in course.experiments}
    out: ManualMarks = {}
    for row_number, row in enumerate(reader, start=1):
        row = {k.strip(): (v or "").strip() for k, v in row.items() if k is not None}
        where = f"{path}, row {row_number} (line {reader.line_num})"
        student = row["student"]
        if student not in students:
            raise ConfigError(f"{where}: unknown student {student!r}; students in these records: "
                              f"{', '.join(sorted(students)) or 'none'}")
        experiment = by_sno.get(row["experiment"], row["experiment"])
        if experiment not in ids:
            raise ConfigError(f"{where}: unknown experiment {row['experiment']!r}; use an id "
                              f"({', '.join(sorted(ids))}) or an S.No (1-{len(ids)})")
        if (student, experiment) in out:
            raise ConfigError(f"{where}: a second row for {student} and {experiment}; keep one")
        out[(student, experiment)] = Manual(
            participation=_mark(row.get("participation"), course.marks.class_participation, "participation", where),
            viva=_mark(row.get("viva"), course.marks.viva, "viva", where),
            remark=row.get("remark", ""),
            updated=_mark(row.get("updated_marks"), course.marks.total, "updated_marks", where),
        )
    return out


def _mark(cell: str | None, maximum: float, column: str, where: str) -> float | None:
    if not cell:
        return None
    try:
        value = float(cell)
    except ValueError:
        raise ConfigError(f"{where}: {column} must be a number from 0 to {maximum:g} or blank (pending); "
                          f"found {cell!r}") from None
    if not 0 <= value <= maximum:
        raise ConfigError(f"{where}: {column} {value:g} is out of range: expected 0 to {maximum:g}")
    return value
