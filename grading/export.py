"""Marks for learning platforms: `python -m grading export --format canvas|moodle|gradescope|csv RECORD... --out FILE`.

The marks come from the same `build()` as the reports, so every number here
is the report's. A mark not known yet (pending) is a blank cell, never 0.
Every CSV cell goes through `csv_cell` (no cell starts a spreadsheet formula).
The reference solutions are never exported: they are not a student.

Each format follows what its platform documents (checked 2026-12-02):

canvas
    Canvas's gradebook CSV import (Grades > Import; the format of Canvas's own
    gradebook export, which Instructure's GradebookImporter reads back): the
    header starts `Student, ID, SIS User ID, SIS Login ID, Section`, then one
    column per assignment. A student is matched on ID (the Canvas user id),
    else SIS User ID, else SIS Login ID, else the name; an assignment column is
    matched on an id in its name, `Name (12345)`, else on the assignment's
    title, and a column no assignment matches becomes a new assignment once the
    instructor confirms. A row whose first cell is "Points Possible" is read as
    the points of the assignments (for new ones) and holds no student. A blank
    cell where Canvas holds no grade is "no change". Sources:
    teaching.resources.osu.edu/toolsets/carmencanvas/guides/calculating-final-grades/import-csv-file-carmen-grades,
    ts.vcu.edu/askit/.../gradebook-action-menu-faculty (read-only Current/Final columns are ignored on import),
    canvas-lms app/models/gradebook_importer.rb (header?, process_pp, parse_assignments, process_student).
    So: the five identifying columns from the roster, one column per experiment
    named "Experiment 6: Anomaly detection in time series" (plain titles:
    Canvas creates them on the first import and matches them by title after;
    no ids needed), its total out of 25, and a Points Possible row. Canvas
    needs the roster; every student must have an ID, SIS User ID or SIS Login
    ID (a match on names alone is how marks reach the wrong student), and a
    graded submission whose folder the roster does not list is an error that
    names them: an instructor who uploads expects every graded student in the
    file, and one silently left out would look like a student with no marks.

moodle
    Moodle's "Import grades from CSV" (Grade administration > Import > CSV
    file; docs.moodle.org/en/Grade_import): a header row, UTF-8 (the encoding
    the form offers first), comma-separated (the separator it offers first);
    on the preview page "Identify user by" maps one column to Email address
    (useremail) or ID number (useridnumber) and each other column to a grade
    item (or "new grade item") or to an item's feedback. Grade import's
    load_data reads '' and '-' as no grade. So: `ID number` (the roster's
    sis_id), `Email address`, `Full name`, then one grade column per
    experiment (its total out of 25) and one `Feedback: ...` column per
    experiment holding the instructor's remark. Every student needs an email
    or an ID number. Moodle's docs note that importing feedback also sets the
    item's grades, so map a feedback column only together with its grades.

gradescope
    Gradescope's autograder results (gradescope-autograders.readthedocs.io/en/latest/specs/):
    `/autograder/results/results.json` with a top-level `score`, `output`,
    `visibility`, `stdout_visibility`, `extra_data` and `tests`, each test with
    `name`, `number`, `score`, `max_score`, `status` ("passed"/"failed"),
    `output`, `tags` and `visibility`; a test's score is optional when the
    top-level score is given. One test per (experiment, rubric criterion):
    max_score is the criterion's points, the output lists its checks with the
    message each gives the student; a late penalty is a test of its own with a
    negative score. The top-level score is the Laboratory Assessment (the sum
    of the graded experiments' LA): Class Participation and Viva are marked in
    class, are not in it, and the output says so. A criterion whose checks did
    not all run has no score (it is not 0) and its experiment is not counted.
    stdout (the session's log) is hidden from students. With `--student NAME`,
    or records that hold one student, `--out` is the results.json; with more,
    `--out` is a folder with `<folder>/results.json` per student.

csv
    A plain CSV like the report's gradebook.csv, keyed by the roster when one is
    given (its columns first, every roster student a row), with each
    experiment's Laboratory Assessment, Class Participation, Viva and total,
    the overall total (blank until every mark is known), the marks known so far
    (blank when none is) and whether they are complete.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from .config import COURSE_FILE, RUBRIC_FILE, CourseExperiment
from .marks import ExperimentMark, StudentMarks
from .report import REFERENCE, Reports, _write, build, csv_cell, fmt
from .roster import COLUMNS as ROSTER_COLUMNS
from .roster import Student, check_roster

FORMATS = ("canvas", "moodle", "gradescope", "csv")
CANVAS_IDENTITY = ("Student", "ID", "SIS User ID", "SIS Login ID", "Section")
MOODLE_IDENTITY = ("ID number", "Email address", "Full name")
NOT_IN_THE_SCORE = ("Class Participation and Viva are marked in class by the instructor: they are not part of this "
                    "score and reach the gradebook separately.")


class ExportError(ValueError):
    """An export that would put marks in the wrong place, or leave some out without saying so."""


def column_title(e: CourseExperiment) -> str:
    """An experiment's column or grade item: what an instructor creates on the platform, or what the first import
    creates there."""
    return f"Experiment {e.sno}: {e.name}"


def _csv(rows: list[list[object]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([csv_cell(cell) for cell in row] for row in rows)
    return out.getvalue()


def students_of(reports: Reports) -> list[str]:
    """The graded students (never the reference solutions), sorted."""
    return [s for s in reports.students if s != REFERENCE]


def rostered(reports: Reports, platform: str) -> list[tuple[Student, StudentMarks]]:
    """Each graded student with their roster row; an error naming every graded folder the roster lacks."""
    if reports.roster is None:
        raise ExportError(f"a {platform} export needs the roster (--roster FILE, or grading/roster.csv): {platform} "
                          "matches students on the ids it lists")
    check = check_roster(reports.roster, reports.students)
    if check.not_on_roster:
        raise ExportError(f"{reports.roster.path}: no row for the graded submission folder"
                          f"{'s' if len(check.not_on_roster) > 1 else ''} {', '.join(check.not_on_roster)}; their "
                          f"marks would not reach {platform}. Add a row for each (folder,name,...) and export again")
    return [(reports.roster.students[s], reports.students[s]) for s in students_of(reports)]


def _require(reports: Reports, pairs: list[tuple[Student, StudentMarks]], fields: tuple[str, ...], platform: str,
             what: str) -> None:
    lacking = [s for s, _ in pairs if not any(getattr(s, f) for f in fields)]
    if lacking:
        raise ExportError(f"{reports.roster.path}: no {' or '.join(fields)} for "
                          + ", ".join(f"{s.folder} (line {s.line})" for s in lacking)
                          + f"; {platform} matches students on {what}, not on names. Fill one in for each")


def canvas_csv(reports: Reports) -> str:
    pairs = rostered(reports, "Canvas")
    _require(reports, pairs, ("lms_id", "sis_id", "login_id"), "Canvas", "ID, SIS User ID or SIS Login ID")
    course = reports.course
    rows: list[list[object]] = [[*CANVAS_IDENTITY, *(column_title(e) for e in course.experiments)],
                                ["Points Possible", "", "", "", "", *(fmt(course.marks.total) for _ in course.experiments)]]
    for student, marks in pairs:
        rows.append([student.name, student.lms_id, student.sis_id, student.login_id, student.section,
                     *(fmt(e.total, "") for e in marks.experiments)])
    return _csv(rows)


def moodle_csv(reports: Reports) -> str:
    pairs = rostered(reports, "Moodle")
    _require(reports, pairs, ("email", "sis_id"), "Moodle", "Email address or ID number")
    course = reports.course
    rows: list[list[object]] = [[*MOODLE_IDENTITY, *(column_title(e) for e in course.experiments),
                                 *(f"Feedback: {column_title(e)}" for e in course.experiments)]]
    for student, marks in pairs:
        rows.append([student.sis_id, student.email, student.name, *(fmt(e.total, "") for e in marks.experiments),
                     *(e.manual.remark for e in marks.experiments)])
    return _csv(rows)


def plain_csv(reports: Reports) -> str:
    course, roster = reports.course, reports.roster
    identity = list(ROSTER_COLUMNS) if roster else ["folder"]
    parts = (("LA", course.marks.laboratory_assessment), ("participation", course.marks.class_participation),
             ("viva", course.marks.viva), ("total", course.marks.total))
    header = identity + [f"{e.sno:02d} {e.id} {part} (/{top:g})" for e in course.experiments for part, top in parts]
    header += [f"total (/{course.marks.total * len(course.experiments):g})", "known so far", "complete"]
    rows: list[list[object]] = [header]

    def marks_cells(marks: StudentMarks | None) -> list[object]:
        if marks is None:  # on the roster, nothing graded: blank, not 0
            return [""] * (len(parts) * len(course.experiments)) + ["", "", "no"]
        known = any(e.total is not None or any(v is not None for v in e.parts.values()) for e in marks.experiments)
        return ([fmt(v, "") for e in marks.experiments for v in (*e.parts.values(), e.total)]
                + [fmt(marks.total) if marks.complete else "", fmt(marks.total) if known else "",
                   "yes" if marks.complete else "no"])

    if roster is None:
        rows += [[s, *marks_cells(reports.students[s])] for s in students_of(reports)]
    else:
        rostered(reports, "CSV")  # a graded folder the roster lacks is an error here too
        rows += [[getattr(st, c) for c in ROSTER_COLUMNS] + marks_cells(reports.students.get(folder))
                 for folder, st in roster.students.items()]
    return _csv(rows)


# --- Gradescope -------------------------------------------------------------------------------------------

def _check_lines(criterion_checks: tuple[dict, ...], missing: tuple[str, ...], entry_checks: dict[str, dict]) -> str:
    lines = []
    for c in criterion_checks:
        lines.append(f"[{c['status']}] {c['name']} (credit {100 * min(max(c['score'], 0.0), 1.0):.0f}%)")
        message = (entry_checks.get(c["name"]) or {}).get("message") or ""
        lines += [f"    {line}" for line in message.splitlines() if line.strip()]
    lines += [f"[not run] {name}: no result recorded, so this criterion is not graded yet" for name in missing]
    return "\n".join(lines)


def _experiment_tests(e: ExperimentMark, entry: dict) -> list[dict]:
    checks = {c["name"]: c for c in entry.get("checks", [])}
    tests = []
    for i, c in enumerate(e.criteria, start=1):
        test: dict = {"name": f"{e.sno}. {e.name}: {c.name}", "number": f"{e.sno}.{i}", "max_score": c.points}
        if c.earned is not None:
            test["score"] = c.earned
            test["status"] = "passed" if c.earned >= c.points else "failed"
        test.update(output=_check_lines(c.checks, c.missing, checks), tags=[e.id], visibility="visible")
        tests.append(test)
    if e.penalty:
        tests.append({"name": f"{e.sno}. {e.name}: late penalty", "number": f"{e.sno}.{len(e.criteria) + 1}",
                      "score": -e.penalty, "max_score": 0, "status": "failed",
                      "output": f"Handed in {e.days_late} started day{'s' if e.days_late != 1 else ''} late (after the "
                                f"grace period): {fmt(e.penalty)} marks off the Laboratory Assessment.",
                      "tags": [e.id], "visibility": "visible"})
    return tests


def gradescope_results(reports: Reports, student: str) -> dict:
    """results.json for one student: a test per rubric criterion of each experiment the records grade."""
    marks = reports.students[student]
    top = reports.course.marks.laboratory_assessment
    graded = [e for e in marks.experiments if e.status in ("graded", "incomplete")]
    tests = [t for e in graded for t in _experiment_tests(e, reports.graded[student][e.id].entry)]
    counted = [e for e in graded if e.la is not None]
    score = sum(e.la for e in counted)
    lines = [f"Laboratory Assessment: {fmt(score)} of {fmt(top * len(counted))}"
             + (f" ({len(counted)} experiments, {fmt(top)} each)." if len(counted) != 1 else ".")]
    for e in graded:
        if e.la is None:
            lines.append(f"{e.sno}. {e.name}: not counted yet; checks {', '.join(m for c in e.criteria for m in c.missing)}"
                         " have no result.")
        else:
            late = f" ({fmt(e.la_raw)} less {fmt(e.penalty)} late penalty)" if e.penalty else ""
            lines.append(f"{e.sno}. {e.name}: {fmt(e.la)} / {fmt(top)}{late}.")
    if not graded:
        lines.append("No experiment was graded: the submission holds none of the files the experiments ask for "
                     "(exp06_anomaly.py or exp06_anomaly.ipynb, ...).")
    lines.append(NOT_IN_THE_SCORE)
    return {"score": score, "output": "\n".join(lines), "visibility": "visible", "stdout_visibility": "hidden",
            "tests": tests,
            "extra_data": {"labmark": {"student": student, "laboratory_assessment": {e.id: e.la for e in graded}}}}


def failed_results(message: str) -> dict:
    """results.json when the grading session itself failed: Gradescope always gets results, and they say why."""
    return {"score": 0, "output": f"{message}\n{NOT_IN_THE_SCORE}", "visibility": "visible",
            "stdout_visibility": "hidden", "tests": []}


def results_json(data: dict) -> str:
    """A results.json's text, as every writer of one here writes it."""
    return json.dumps(data, indent=1, ensure_ascii=False) + "\n"


# --- writing -----------------------------------------------------------------------------------------------

def export(fmt_name: str, record_paths: list[Path], out: Path, roster_path: Path | None = None,
           marks_path: Path | None = None, course_path: Path = COURSE_FILE, rubric_path: Path = RUBRIC_FILE,
           student: str | None = None) -> tuple[list[Path], list[str]]:
    """Write one export; returns the files written and warnings for the instructor. Everything is validated and
    rendered in memory before anything is written."""
    if fmt_name not in FORMATS:
        raise ExportError(f"unknown format {fmt_name!r}; one of {', '.join(FORMATS)}")
    reports = build(record_paths, marks_path, course_path, rubric_path, roster_path)
    warnings = []
    if reports.roster is not None:
        missing = check_roster(reports.roster, reports.students).no_submission
        if missing:
            warnings.append(f"{len(missing)} student{'s' if len(missing) != 1 else ''} on the roster with no "
                            f"submission in these records (marks blank, not 0): "
                            + ", ".join(f"{s.folder} ({s.name})" for s in missing))
    files: dict[Path, str] = {}
    if fmt_name == "gradescope":
        names = students_of(reports)
        if student is not None:
            if student not in reports.students:
                raise ExportError(f"--student {student}: not in these records; they hold "
                                  f"{', '.join(reports.students) or 'no student'}")
            files[out] = results_json(gradescope_results(reports, student))
        elif len(names) == 1:
            files[out] = results_json(gradescope_results(reports, names[0]))
        elif not names:
            raise ExportError("these records grade no student (only the reference solutions)")
        else:
            files.update({out / name / "results.json": results_json(gradescope_results(reports, name)) for name in names})
    else:
        render = {"canvas": canvas_csv, "moodle": moodle_csv, "csv": plain_csv}[fmt_name]
        files[out] = render(reports)
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        _write(path, text)
    return list(files), warnings
