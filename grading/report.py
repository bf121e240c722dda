"""Render marks and run records as HTML reports, a gradebook CSV and a marks JSON.

Everything here reads saved run records only, so a report can be rendered
again, identically, without running anything. Templates are autoescaped:
student code chooses some of the strings that end up in the page.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from bench.record import Evidence

from . import plots
from .config import COURSE_FILE, RUBRIC_FILE, Course, load_course, load_rubric
from .manual import ManualMarks, load_marks
from .marks import ExperimentMark, StudentMarks, student_marks
from .records import Graded, catalog_of, load_all, merge
from .roster import Roster, check_roster, load_roster
from .similarity.pairs import Similarity, analyse
from .similarity.pairs import to_json as similarity_json
from .viva import MARKS_HEADER, ORIGINS, VIVA_FILE, Bank, Sheet, load_bank, make_sheet, marks_row

TEMPLATES = Path(__file__).resolve().parent / "templates"
STATUS_ORDER = {"error": 0, "fail": 1, "skipped": 2, "pass": 3}
REFERENCE = "reference"  # the record's student name for the reference solutions (as bench.submission names it)
CLASS_PAGE = "class.html"
VIVA_FOLDER = "viva"  # staff pages: a printable viva sheet per student (grading/viva.py)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")
_PLAIN_FILE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")


def fmt(value: float | None, pending: str = "pending") -> str:
    if value is None:
        return pending
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _environment() -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["fmt"] = fmt
    env.filters["page"] = page_file
    env.filters["percent"] = lambda x: f"{100 * x:.0f}%"
    env.filters["marks_row"] = marks_row
    return env


@dataclass(frozen=True)
class Reports:
    students: dict[str, StudentMarks]
    graded: dict[str, dict[str, Graded]]
    course: Course
    roster: Roster | None = None  # who the submission folders are, where a roster is given
    similarity: Similarity | None = None  # staff evidence for the class page; None when not asked for
    viva: dict[str, list[Sheet]] | None = None  # staff: each student's viva sheets; None when not asked for


def build(record_paths: list[Path], marks_path: Path | None = None, course_path: Path = COURSE_FILE,
          rubric_path: Path = RUBRIC_FILE, roster_path: Path | None = None, similarity: bool = False,
          viva_path: Path | None = None) -> Reports:
    """Load and validate everything first: a bad file stops here, before anything is written.
    viva_path: the viva question bank; with it, every student gets viva sheets (staff pages)."""
    course = load_course(course_path)
    bank = load_bank(viva_path) if viva_path else None
    roster = load_roster(roster_path) if roster_path else None
    records = load_all(record_paths)
    rubric = load_rubric(course, rubric_path, catalog_of(records))
    graded = merge(records)
    manual: ManualMarks = load_marks(marks_path, course, set(graded)) if marks_path else {}
    students = {s: student_marks(s, {e: g.entry for e, g in exps.items()}, course, rubric, manual,
                                 late=s != REFERENCE)
                for s, exps in sorted(graded.items())}
    sheets = {s: viva_sheets(s, graded[s], students[s], course, bank) for s in students if s != REFERENCE} \
        if bank else None
    return Reports(students, graded, course, roster, analyse(records) if similarity else None, sheets)


def viva_sheets(student: str, graded: dict[str, Graded], marks: StudentMarks, course: Course,
                bank: Bank) -> list[Sheet]:
    """A sheet per experiment the student was graded in, in the manual's order; none when nothing was graded."""
    given = {e.id: e.manual.viva for e in marks.experiments}
    return [make_sheet(student, ce, graded[ce.id].entry, str(graded[ce.id].run.get("run_id") or ""), bank, course,
                       given.get(ce.id))
            for ce in course.experiments if ce.id in graded]


def student_page(reports: Reports, student: str, env: Environment | None = None) -> str:
    env = env or _environment()
    marks = reports.students[student]
    sections = []
    for em in marks.experiments:
        g = reports.graded[student].get(em.id)
        if g is None:
            continue
        checks = sorted(g.entry["checks"], key=lambda c: STATUS_ORDER.get(c["status"], 9))
        speed = plots.Found(g.entry).first(Evidence.SPEED)
        sheet = next((v for v in (reports.viva or {}).get(student, []) if v.experiment.id == em.id), None)
        sections.append({"mark": em, "entry": g.entry, "run": g.run, "checks": checks, "speed": speed,
                         "figures": plots.figures(g.entry), "viva": sheet})
    runs = {g.run["run_id"]: g.run for g in reports.graded[student].values()}
    return env.get_template("student.html.j2").render(
        course=reports.course, student=student, marks=marks, sections=sections, runs=list(runs.values()))


def viva_page(reports: Reports, student: str, env: Environment | None = None, beside_report: bool = True,
              sheets: list[Sheet] | None = None) -> str | None:
    """The printable viva sheets of one student (a page per experiment on paper); None where there are none.
    beside_report: the page lies in the report folder's viva/, and links back to the student's page."""
    sheets = sheets if sheets is not None else (reports.viva or {}).get(student)
    if not sheets:
        return None
    env = env or _environment()
    return env.get_template("viva.html.j2").render(course=reports.course, student=student, sheets=sheets,
                                                   origins=ORIGINS, marks_header=MARKS_HEADER,
                                                   beside_report=beside_report)


def write_viva(record_paths: list[Path], student: str, out: Path, experiment: str | None = None,
               marks_path: Path | None = None, viva_path: Path = VIVA_FILE, course_path: Path = COURSE_FILE,
               rubric_path: Path = RUBRIC_FILE) -> tuple[Path, list[Sheet]]:
    """One student's viva sheets (or one experiment's) as a standalone page at `out`: `python -m grading viva`."""
    reports = build(record_paths, marks_path, course_path, rubric_path, viva_path=viva_path)
    sheets = (reports.viva or {}).get(student) or []
    if not sheets:
        known = ", ".join(s for s, v in (reports.viva or {}).items() if v) or "none"
        why = "the reference solutions get no viva" if student == REFERENCE else \
            "no experiment of theirs was graded in these records"
        raise ValueError(f"no viva sheet for {student!r}: {why}. Students with graded experiments: {known}")
    if experiment:
        by_sno = {str(e.sno): e.id for e in reports.course.experiments}
        wanted = by_sno.get(experiment.strip(), experiment.strip())
        chosen = [s for s in sheets if s.experiment.id == wanted]
        if not chosen:
            raise ValueError(f"no viva sheet for {student} in {experiment!r}: expected one of the experiments they "
                             f"were graded in, {', '.join(s.experiment.id for s in sheets)} (an id or an S.No)")
        sheets = chosen
    page = viva_page(reports, student, beside_report=False, sheets=sheets)
    out.parent.mkdir(parents=True, exist_ok=True)
    _write(out, page)
    return out, sheets


def class_page(reports: Reports, env: Environment | None = None) -> str:
    env = env or _environment()
    course = reports.course
    distributions = []
    for ce in course.experiments:
        values = [e.la for m in reports.students.values() for e in m.experiments if e.id == ce.id and e.la is not None]
        if values:
            distributions.append({"experiment": ce, "uri": plots.histogram(
                values, course.marks.laboratory_assessment, f"{ce.sno}. {ce.name[:38]}"),
                "mean": sum(values) / len(values), "n": len(values)})
    return env.get_template("class.html.j2").render(
        course=course, students=list(reports.students.values()), distributions=distributions,
        failing=most_failed_checks(reports),
        roster=check_roster(reports.roster, reports.students) if reports.roster else None,
        roster_path=reports.roster.path if reports.roster else None, similarity=reports.similarity)


def most_failed_checks(reports: Reports, limit: int = 15) -> list[dict]:
    """Checks that most students fail or error on: where the teaching should look."""
    failed: Counter = Counter()
    graded: Counter = Counter()
    kinds: dict[tuple, Counter] = {}
    for experiments in reports.graded.values():
        for exp_id, g in experiments.items():
            for c in g.entry["checks"]:
                key = (exp_id, c["name"])
                graded[key] += 1
                if c["status"] in ("fail", "error"):
                    failed[key] += 1
                    kinds.setdefault(key, Counter())[c.get("kind") or "?"] += 1
    return [{"experiment": k[0], "check": k[1], "failed": n, "graded": graded[k],
             "kind": kinds[k].most_common(1)[0][0]} for k, n in failed.most_common(limit)]


def page_file(student: str) -> str:
    """The file name of a student's page. Student names come from records, so one made by another tool or an
    older version may hold anything: a name that is not plain (or that is the class page's) gets a plain form
    plus a hash of the name, so that no page lands outside the report folder, over another page, or behind a
    link that is not a relative file name."""
    if _PLAIN_FILE_NAME.fullmatch(student) and f"{student}.html" != CLASS_PAGE:
        return f"{student}.html"
    plain = re.sub(r"[^A-Za-z0-9._-]+", "_", student).strip("._-")[:40] or "student"
    digest = hashlib.sha256(student.encode("utf-8", "surrogatepass")).hexdigest()[:12]
    return f"{plain}-{digest}.html"


def csv_cell(value: object) -> object:
    """A cell a spreadsheet shows as text, never runs as a formula (OWASP "CSV injection").

    Text that starts with = + - @, a tab or a carriage return gets a leading single quote. Numbers, and text
    that is a plain number (marks are written formatted), stay as they are: they cannot be formulas."""
    if isinstance(value, str) and value.startswith(_FORMULA_START) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def _csv(rows: list[list[object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerows([csv_cell(cell) for cell in row] for row in rows)
    return out.getvalue()


def gradebook_csv(reports: Reports) -> str:
    """One row per student, a column per experiment (its total out of 25, blank while pending) and totals."""
    course = reports.course
    rows = [["student"] + [f"{e.sno:02d} {e.id} (/{course.marks.total:g})" for e in course.experiments]
            + [f"total (/{course.marks.total * len(course.experiments):g})", "complete"]]
    for marks in reports.students.values():
        rows.append([marks.student] + [fmt(e.total, "") for e in marks.experiments]
                    + [fmt(marks.total), "yes" if marks.complete else "no"])
    return _csv(rows)


def marks_json(reports: Reports) -> dict:
    def experiment(e: ExperimentMark) -> dict:
        return {"sno": e.sno, "id": e.id, "name": e.name, "status": e.status, "laboratory_assessment": e.la,
                "laboratory_assessment_before_penalty": e.la_raw, "late_days": e.days_late, "penalty": e.penalty,
                "class_participation": e.manual.participation, "viva": e.manual.viva, "remark": e.manual.remark,
                "updated_marks": e.manual.updated, "total": e.total, "pending": e.pending,
                "submitted": e.submitted,
                "criteria": [{"name": c.name, "points": c.points, "earned": c.earned, "missing": list(c.missing)}
                             for c in e.criteria]}
    return {"schema": "labmark.marks/1", "course": reports.course.name,
            "students": {s: {"total": m.total, "complete": m.complete,
                             "experiments": [experiment(e) for e in m.experiments]}
                         for s, m in reports.students.items()}}


def _write(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text)
    os.chmod(tmp, 0o644)
    os.replace(tmp, path)


def render_all(record_paths: list[Path], out: Path, marks_path: Path | None = None,
               course_path: Path = COURSE_FILE, rubric_path: Path = RUBRIC_FILE,
               roster_path: Path | None = None, similarity: bool = True,
               viva_path: Path | None = VIVA_FILE) -> list[Path]:
    """Every report for these records into `out`. Validates and renders all in memory before writing any.
    With a roster, the class report lists the submissions it does not know and the students with none.
    similarity: the class page gets the similarity section (grading/similarity), and `similarity.json`.
    viva_path: the question bank for the staff viva sheets, `viva/<student>.html`; None leaves them out (a
    report students see). The student kit ships no bank: there the default is left out too."""
    if viva_path == VIVA_FILE and not VIVA_FILE.exists():
        viva_path = None
    reports = build(record_paths, marks_path, course_path, rubric_path, roster_path, similarity, viva_path)
    env = _environment()
    pages = {page_file(student): student_page(reports, student, env) for student in reports.students}
    for student in reports.viva or {}:
        sheet_page = viva_page(reports, student, env)
        if sheet_page is not None:
            pages[f"{VIVA_FOLDER}/{page_file(student)}"] = sheet_page
    pages[CLASS_PAGE] = class_page(reports, env)
    pages["gradebook.csv"] = gradebook_csv(reports)
    pages["marks.json"] = json.dumps(marks_json(reports), indent=1, default=str)
    if reports.similarity is not None:
        pages["similarity.json"] = json.dumps(similarity_json(reports.similarity), indent=1)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in pages.items():
        (out / name).parent.mkdir(exist_ok=True)
        _write(out / name, text)
        written.append(out / name)
    return written
