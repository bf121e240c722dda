"""The class roster: a CSV that says which student each submission folder belongs to.

    folder,name,email,lms_id,sis_id,login_id,section
    alice,Alice Liddell,alice@example.edu,10234,S2026-001,aliddell,A

`folder` is the submission folder (the student's name in run records),
`name` the student's name as the learning platform shows it; `email`,
`lms_id` (the platform's own user id, e.g. Canvas's "ID"), `sis_id` (the
SIS user id, Moodle's "ID number"), `login_id` (Canvas's "SIS Login ID") and
`section` are optional. Exports to a learning platform match students on
these, so every problem is an error naming the file, row and line: an unknown
or missing column, a second row for a folder, an email or id given twice, a
folder that is not a plain folder name. Nothing is guessed.

The roster lives at grading/roster.csv (left out of student kits: it holds
personal data) or wherever `--roster FILE` says.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .config import HERE, ConfigError

ROSTER_FILE = HERE / "roster.csv"
COLUMNS = ("folder", "name", "email", "lms_id", "sis_id", "login_id", "section")
REQUIRED = ("folder", "name")
UNIQUE = ("email", "lms_id", "sis_id")  # a second student with one of these would get the first one's marks
REFERENCE = "reference"  # the reference solutions' name in run records: never a student
_PLAIN_FOLDER = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")  # the names the bench grades (bench.submission)
_RESERVED = {"reference": "the reference solutions", "all": "every folder"}


@dataclass(frozen=True)
class Student:
    folder: str
    name: str
    email: str = ""
    lms_id: str = ""
    sis_id: str = ""
    login_id: str = ""
    section: str = ""
    line: int = 0  # where the row is, for messages


@dataclass(frozen=True)
class Roster:
    path: Path
    students: dict[str, Student]  # folder -> student, in the file's order

    def get(self, folder: str) -> Student | None:
        return self.students.get(folder)


@dataclass(frozen=True)
class RosterCheck:
    """The roster against the graded students: what an instructor must look at before marks go anywhere."""
    not_on_roster: tuple[str, ...]  # submission folders the roster does not list
    no_submission: tuple[Student, ...]  # roster students with nothing graded

    @property
    def clean(self) -> bool:
        return not self.not_on_roster and not self.no_submission


def default_roster() -> Path | None:
    """grading/roster.csv where there is one."""
    return ROSTER_FILE if ROSTER_FILE.is_file() else None


def load_roster(path: Path) -> Roster:
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"{path}: cannot be read ({exc.strerror}); pass the roster with --roster FILE") from None
    try:
        text = raw.decode("utf-8-sig")  # spreadsheets often save a BOM
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        raise ConfigError(f"{path}, line {line}: not UTF-8 text ({exc.reason} at byte "
                          f"{exc.start}); save the roster as \"CSV UTF-8\"") from None
    reader = csv.DictReader(text.splitlines())
    header = [h.strip() for h in reader.fieldnames or []]
    unknown = [h for h in header if h not in COLUMNS]
    missing = [h for h in REQUIRED if h not in header]
    doubled = sorted({h for h in header if header.count(h) > 1})
    if unknown or missing or doubled:
        seen = []
        if unknown:
            seen.append(f"unknown column{'s' if len(unknown) > 1 else ''} {', '.join(unknown)}")
        if missing:
            seen.append(f"no {' or '.join(missing)} column")
        if doubled:
            seen.append(f"{', '.join(doubled)} twice")
        raise ConfigError(f"{path}, line 1: the header must name columns from {', '.join(COLUMNS)} ("
                          f"{' and '.join(REQUIRED)} required), each once; found {'; '.join(seen)} in "
                          f"{', '.join(header) or 'an empty first line'}. Rename or remove those columns.")
    students: dict[str, Student] = {}
    first_row: dict[tuple[str, str], int] = {}  # (column, value) -> row it was first seen in
    for row_number, row in enumerate(reader, start=1):
        where = f"{path}, row {row_number} (line {reader.line_num})"
        if None in row:
            raise ConfigError(f"{where}: {len(header) + len(row[None])} cells, but the header names {len(header)} "
                              "columns; quote cells that hold a comma")
        cells = {k.strip(): (v or "").strip() for k, v in row.items()}
        if not any(cells.values()):
            continue  # a blank line at the end of a spreadsheet's export
        folder, name = cells.get("folder", ""), cells.get("name", "")
        problem = folder_problem(folder)
        if problem:
            raise ConfigError(f"{where}: folder {folder!r} is not a submission folder name: {problem}. Write the "
                              "folder's name as it is under submissions/")
        if not name:
            raise ConfigError(f"{where}: no name for folder {folder!r}; give the student's name as the learning "
                              "platform shows it")
        if folder in students:
            raise ConfigError(f"{where}: a second row for folder {folder!r} (the first is on line "
                              f"{students[folder].line}); keep one row per student")
        for column in UNIQUE:
            value = cells.get(column, "")
            if not value:
                continue
            key = (column, value.casefold() if column == "email" else value)
            if key in first_row:
                raise ConfigError(f"{where}: {column} {value!r} is already the {column} of row {first_row[key]}; "
                                  f"each student needs their own {column} (or leave it blank)")
            first_row[key] = row_number
        students[folder] = Student(**{c: cells.get(c, "") for c in COLUMNS}, line=reader.line_num)
    return Roster(path, students)


def folder_problem(folder: str) -> str | None:
    """Why this is not a folder name the bench grades, or None when it is."""
    if not folder:
        return "it is empty"
    if not _PLAIN_FOLDER.fullmatch(folder):
        return ("a folder name is 1 to 64 letters A-Z, a-z, digits, '.', '_' or '-', starting with a letter or "
                "a digit")
    if folder.lower() in _RESERVED:
        return f"'{folder}' is what --submission uses for {_RESERVED[folder.lower()]}"
    return None


def check_roster(roster: Roster, graded: Iterable[str]) -> RosterCheck:
    """Submission folders missing from the roster, and roster students with no submission (the reference
    solutions are never a student)."""
    students = sorted(s for s in set(graded) if s != REFERENCE)
    return RosterCheck(not_on_roster=tuple(s for s in students if s not in roster.students),
                       no_submission=tuple(s for f, s in roster.students.items() if f not in set(students)))
