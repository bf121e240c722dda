"""Bad rubric, course and marks files fail with errors that name the line or row."""

from __future__ import annotations

import re

import pytest

from reference import EXPERIMENTS

from bench.checks.catalog import check_names
from grading.config import COURSE_FILE, RUBRIC_FILE, ConfigError, load_course, load_rubric
from grading.manual import load_marks

COURSE = load_course()
CATALOG = {e: check_names(e) for e in EXPERIMENTS}  # what a run record carries


def edited(tmp_path, source, old, new, name=None):
    text = source.read_text()
    assert old in text, old
    path = tmp_path / (name or source.name)
    path.write_text(text.replace(old, new, 1))
    return path, text.replace(old, new, 1).splitlines()


def line_of(lines, needle):
    return next(i for i, ln in enumerate(lines, 1) if needle in ln)


def test_the_shipped_files_are_valid():
    rubric = load_rubric(COURSE, catalog=CATALOG)
    assert set(rubric) == set(EXPERIMENTS)
    assert {e.id for e in COURSE.experiments} == set(EXPERIMENTS), "grading/course.toml lacks an experiment"
    assert [e.sno for e in COURSE.experiments] == list(range(1, len(EXPERIMENTS) + 1))


def test_check_names_are_checked_against_the_records_catalog_and_only_where_there_is_one(tmp_path):
    path, _ = edited(tmp_path, RUBRIC_FILE, '"architecture[rnn]"', '"architecture[lstm]"')
    assert "architecture[lstm]" in str(load_rubric(COURSE, path))  # a record from before catalogs: names unchecked
    catalog = {**CATALOG, "exp06": [*CATALOG["exp06"], "detector_f1[lof]"]}
    with pytest.raises(ConfigError, match=r"exp06's checks detector_f1\[lof\] feed no criterion"):
        load_rubric(COURSE, catalog=catalog)


def test_points_that_do_not_add_up_name_the_criteria_lines(tmp_path):
    path, lines = edited(tmp_path, RUBRIC_FILE, "points = 9", "points = 8")
    with pytest.raises(ConfigError, match=r"exp06 add up to 14 points \(lines \d+, \d+, \d+\).*out of 15") as err:
        load_rubric(COURSE, path, CATALOG)
    assert f"line {line_of(lines, '[[exp06]]')}:" in str(err.value)


def test_a_check_that_does_not_exist_names_its_line(tmp_path):
    path, lines = edited(tmp_path, RUBRIC_FILE, '"architecture[rnn]"', '"architecture[lstm]"')
    with pytest.raises(ConfigError, match=r"exp01 has no check 'architecture\[lstm\]'") as err:
        load_rubric(COURSE, path, CATALOG)
    assert f"line {line_of(lines, 'architecture[lstm]')}:" in str(err.value)


def test_a_check_that_feeds_no_criterion_is_an_error(tmp_path):
    path, _ = edited(tmp_path, RUBRIC_FILE, 'checks = ["speed"]', 'checks = ["speed", "speed"]')
    with pytest.raises(ConfigError, match="already feeds a criterion"):
        load_rubric(COURSE, path, CATALOG)
    path, _ = edited(tmp_path, RUBRIC_FILE, '"zscore_short_series"', '"zscore_shift_invariant"', "r2.toml")
    with pytest.raises(ConfigError, match="already feeds a criterion"):
        load_rubric(COURSE, path, CATALOG)


def test_an_unknown_experiment_and_a_bad_credit_rule(tmp_path):
    path, _ = edited(tmp_path, RUBRIC_FILE, "[[exp06]]", "[[exp66]]")
    with pytest.raises(ConfigError, match="unknown experiment 'exp66'"):
        load_rubric(COURSE, path, CATALOG)
    path, lines = edited(tmp_path, RUBRIC_FILE, 'checks = ["speed"]', 'checks = ["speed"]\ncredit = "max"', "r3.toml")
    with pytest.raises(ConfigError, match="credit must be one of mean, all; found 'max'") as err:
        load_rubric(COURSE, path, CATALOG)
    assert f"line {line_of(lines, 'credit = ')}:" in str(err.value)


def test_invalid_toml_says_where(tmp_path):
    path, _ = edited(tmp_path, RUBRIC_FILE, "points = 3", "points = = 3")
    with pytest.raises(ConfigError, match=r"not valid TOML.*line \d+"):
        load_rubric(COURSE, path, CATALOG)


def test_a_due_date_without_its_zone_is_refused(tmp_path):
    path, lines = edited(tmp_path, COURSE_FILE, "due = 2027-02-12T23:59:00+05:30", "due = 2027-02-12T23:59:00")
    with pytest.raises(ConfigError, match="due date of exp06 must be a date and time with its zone") as err:
        load_course(path)
    assert f"line {line_of(lines, 'due = 2027-02-12T23:59:00')}:" in str(err.value)


def test_experiments_out_of_order_are_refused(tmp_path):
    path, _ = edited(tmp_path, COURSE_FILE, "sno = 2", "sno = 3")
    with pytest.raises(ConfigError, match="S.No 3 out of order"):
        load_course(path)


MARKS_HEADER = "student,experiment,participation,viva,remark,updated_marks\n"


@pytest.mark.parametrize("row, message", [
    ("alice,exp06,6,4,,", "row 1 (line 2): participation 6 is out of range: expected 0 to 5"),
    ("alice,exp06,4,-1,,", "row 1 (line 2): viva -1 is out of range"),
    ("alice,exp06,4,4,,26", "updated_marks 26 is out of range: expected 0 to 25"),
    ("alice,exp06,four,4,,", "participation must be a number from 0 to 5 or blank"),
    ("mallory,exp06,4,4,,", "row 1 (line 2): unknown student 'mallory'; students in these records: alice, bob"),
    ("alice,exp11,4,4,,", "unknown experiment 'exp11'"),
    ("alice,exp06,4,4,,\nalice,6,3,3,,", "row 2 (line 3): a second row for alice and exp06"),
])
def test_bad_marks_rows_are_named(tmp_path, row, message):
    path = tmp_path / "marks.csv"
    path.write_text(MARKS_HEADER + row + "\n")
    with pytest.raises(ConfigError, match=re.escape(message)):
        load_marks(path, COURSE, {"alice", "bob"})


def test_marks_accept_ids_sno_blanks_and_a_spreadsheet_bom(tmp_path):
    path = tmp_path / "marks.csv"
    path.write_text("\ufeff" + MARKS_HEADER + "alice,6,4.5,,Good <b>work</b>,\nbob,exp01,,,,20\n")
    marks = load_marks(path, COURSE, {"alice", "bob"})
    assert marks[("alice", "exp06")].participation == 4.5 and marks[("alice", "exp06")].viva is None
    assert marks[("bob", "exp01")].updated == 20 and marks[("bob", "exp01")].participation is None


def test_a_marks_file_with_wrong_columns(tmp_path):
    path = tmp_path / "marks.csv"
    path.write_text("name,lab,cp\nalice,6,4\n")
    with pytest.raises(ConfigError, match="line 1: columns must be student, experiment"):
        load_marks(path, COURSE, {"alice"})
