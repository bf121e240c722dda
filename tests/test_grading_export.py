"""The roster and the exports: every roster mistake is an error that names its line, each export is the byte-exact
format its platform reads, a pending mark is blank (never 0), and every number is the report's.

The exports' record is made here from the report tests' fixture record (tests/fixtures/run-record.json), cut
down to exp06 and three students: alice (graded, participation and viva given), bob (handed in three days late,
viva pending) and carol (one check did not run: incomplete). The golden files in tests/golden/exports/ are
refreshed with `pytest tests --update-golden`.
"""

from __future__ import annotations

import copy
import csv
import json
import subprocess
import sys
from datetime import timedelta

import pytest

from conftest import REPO
from grading.config import ConfigError, load_course
from grading.export import (CANVAS_IDENTITY, ExportError, canvas_csv, column_title, export, gradescope_results,
                            moodle_csv, plain_csv, results_json)
from grading.report import build, fmt, marks_json, render_all
from grading.roster import check_roster, load_roster

FIXTURE = REPO / "tests" / "fixtures" / "run-record.json"
GOLDEN = REPO / "tests" / "golden" / "exports"
COURSE = load_course()
EXP06 = COURSE.experiment("exp06")

ROSTER = ("folder,name,email,lms_id,sis_id,login_id,section\n"
          'alice,"Liddell, Alice",alice@example.edu,101,S-001,aliddell,A\n'
          "bob,@Bob Builder,bob@example.edu,102,,bbuilder,B\n"
          "carol,Carol Danvers,carol@example.edu,,S-003,,A\n"
          "dave,Dave Lister,dave@example.edu,104,S-004,dlister,B\n")
MARKS = ("student,experiment,participation,viva,remark,updated_marks\n"
         "alice,exp06,4,3.5,=Clear write-up; tune the window,\n"
         "bob,6,5,,,\n")


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    """The record, roster and marks the exports are made from."""
    folder = tmp_path_factory.mktemp("export")
    record = json.loads(FIXTURE.read_text())
    example = record["submissions"]["example"]["exp06"]
    alice = copy.deepcopy(example)
    bob = copy.deepcopy(example)
    bob["source"]["submitted"] = {"at": (EXP06.due + timedelta(days=2, hours=5)).isoformat(), "from": "git commit"}
    carol = copy.deepcopy(example)
    carol["checks"] = [c for c in carol["checks"] if c["name"] != "speed"]
    record["submissions"] = {"reference": {"exp06": record["submissions"]["reference"]["exp06"]},
                             "alice": {"exp06": alice}, "bob": {"exp06": bob}, "carol": {"exp06": carol}}
    paths = {"record": folder / "record.json", "roster": folder / "roster.csv", "marks": folder / "marks.csv"}
    paths["record"].write_text(json.dumps(record))
    paths["roster"].write_text(ROSTER)
    paths["marks"].write_text(MARKS)
    return paths


@pytest.fixture(scope="module")
def reports(files):
    return build([files["record"]], files["marks"], roster_path=files["roster"])


def rows(text: str) -> list[list[str]]:
    return list(csv.reader(text.splitlines()))


def check_golden(request, name: str, text: str) -> None:
    path = GOLDEN / name
    if request.config.getoption("update_golden"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode())
    assert path.exists(), f"no golden file {name} yet: run pytest tests --update-golden"
    assert text.encode() == path.read_bytes(), f"{name} changed: review it, then pytest tests --update-golden"


@pytest.mark.parametrize("name, render", [
    ("canvas.csv", canvas_csv), ("moodle.csv", moodle_csv), ("plain.csv", plain_csv),
    ("gradescope-bob.json", lambda r: results_json(gradescope_results(r, "bob"))),
])
def test_each_export_matches_its_golden_file(request, reports, name, render):
    check_golden(request, name, render(reports))


def test_the_plain_csv_without_a_roster_matches_its_golden_file(request, files):
    check_golden(request, "plain-no-roster.csv", plain_csv(build([files["record"]], files["marks"])))


def test_canvas_reads_its_identifying_columns_a_points_possible_row_and_a_column_per_experiment(reports):
    table = rows(canvas_csv(reports))
    assert tuple(table[0][:5]) == CANVAS_IDENTITY == ("Student", "ID", "SIS User ID", "SIS Login ID", "Section")
    assert table[0][5:] == [column_title(e) for e in COURSE.experiments]
    assert table[0][10] == "Experiment 6: Anomaly detection in time series"
    assert table[1] == ["Points Possible", "", "", "", ""] + ["25"] * 10
    assert [r[0] for r in table[2:]] == ["Liddell, Alice", "'@Bob Builder", "Carol Danvers"]  # dave has no submission


def test_pending_marks_are_blank_never_zero(reports):
    canvas = {r[1] or r[2]: r[5:] for r in rows(canvas_csv(reports))[2:]}
    assert canvas["101"][5] == fmt(reports.students["alice"].experiments[5].total)  # all parts known: a total
    assert canvas["102"][5] == ""  # bob's viva is pending
    assert canvas["S-003"][5] == ""  # carol's LA is incomplete
    assert all(cell == "" for r in canvas.values() for i, cell in enumerate(r) if i != 5)  # not graded: blank
    plain = {r[0]: r for r in rows(plain_csv(reports))}
    header = rows(plain_csv(reports))[0]
    bob, dave = dict(zip(header, plain["bob"])), dict(zip(header, plain["dave"]))
    assert bob["06 exp06 participation (/5)"] == "5" and bob["06 exp06 viva (/5)"] == ""
    assert bob["06 exp06 total (/25)"] == "" and bob["complete"] == "no"
    assert all(v == "" for k, v in dave.items() if "exp" in k or k.startswith("total"))  # on the roster, no submission
    results = gradescope_results(reports, "carol")
    assert "score" not in results["tests"][2] and results["score"] == 0  # the criterion whose check did not run
    assert "not counted yet; checks speed have no result" in results["output"]


def test_every_exported_number_is_the_reports(reports):
    data = marks_json(reports)["students"]
    canvas = {r[1] or r[2]: r for r in rows(canvas_csv(reports))[2:]}
    moodle = {r[1]: r for r in rows(moodle_csv(reports))[1:]}
    header = rows(plain_csv(reports))[0]
    plain = {r[0]: dict(zip(header, r)) for r in rows(plain_csv(reports))[1:]}
    for student, ids in (("alice", "101"), ("bob", "102"), ("carol", "S-003")):
        exps = data[student]["experiments"]
        assert canvas[ids][5:] == [fmt(e["total"], "") for e in exps]
        assert moodle[f"{student}@example.edu"][3:13] == [fmt(e["total"], "") for e in exps]
        for e in exps:
            prefix = f"{e['sno']:02d} {e['id']}"
            assert plain[student][f"{prefix} LA (/15)"] == fmt(e["laboratory_assessment"], "")
            assert plain[student][f"{prefix} viva (/5)"] == fmt(e["viva"], "")
        assert plain[student]["total (/250)"] == (fmt(data[student]["total"]) if data[student]["complete"] else "")
        assert plain[student]["known so far"] == ("" if student == "carol" else fmt(data[student]["total"]))
        results = gradescope_results(reports, student)
        la = [e["laboratory_assessment"] for e in exps if e["laboratory_assessment"] is not None]
        assert results["score"] == sum(la)
        criteria = [c for e in exps for c in e["criteria"]]
        assert [t.get("score") for t in results["tests"] if "late penalty" not in t["name"]] == \
               [c["earned"] for c in criteria]
        assert [t["max_score"] for t in results["tests"] if "late penalty" not in t["name"]] == \
               [c["points"] for c in criteria]
    bob = data["bob"]["experiments"][5]
    assert bob["penalty"] == 4.5  # three started days late
    penalty = [t for t in gradescope_results(reports, "bob")["tests"] if "late penalty" in t["name"]]
    assert penalty == [{**penalty[0], "score": -4.5, "max_score": 0}]


def test_gradescope_results_follow_the_spec_and_leave_participation_and_viva_out(reports):
    results = gradescope_results(reports, "alice")
    assert set(results) <= {"score", "execution_time", "output", "visibility", "stdout_visibility", "extra_data",
                            "tests", "leaderboard", "output_format"}
    assert results["stdout_visibility"] == "hidden" and results["visibility"] == "visible"
    for test in results["tests"]:
        assert {"name", "max_score", "output", "visibility"} <= set(test)
        assert set(test) <= {"score", "max_score", "status", "name", "number", "output", "tags", "visibility",
                             "extra_data", "name_format", "output_format"}
        assert test["status"] in ("passed", "failed") and 0 <= test["score"] <= test["max_score"]
    assert "Class Participation and Viva are marked in class" in results["output"]
    assert results["score"] == marks_json(reports)["students"]["alice"]["experiments"][5]["laboratory_assessment"]
    f1 = results["tests"][1]
    assert f1["name"] == "6. Anomaly detection in time series: Detection F1 on hidden series, against the reference's targets"
    assert "[fail] detector_f1[zscore] (credit 0%)" in f1["output"]
    assert "staff" not in json.dumps(results)  # messages for the student only


def test_student_strings_cannot_start_a_formula_in_any_csv(reports):
    for text in (canvas_csv(reports), moodle_csv(reports), plain_csv(reports)):
        cells = [c for r in rows(text) for c in r]
        assert not [c for c in cells if c.startswith(("=", "+", "@", "\t", "\r"))], text
        assert not [c for c in cells if c.startswith("-") and not c.lstrip("-").replace(".", "").isdigit()]
    assert "'=Clear write-up; tune the window" in moodle_csv(reports)


def test_canvas_and_moodle_need_a_roster_that_lists_every_graded_student(files, tmp_path):
    bare = build([files["record"]])
    for render in (canvas_csv, moodle_csv):
        with pytest.raises(ExportError, match="needs the roster"):
            render(bare)
    short = tmp_path / "roster.csv"
    short.write_text("folder,name,lms_id,email\nalice,Alice,101,a@x.edu\n")
    partial = build([files["record"]], roster_path=short)
    for render in (canvas_csv, moodle_csv, plain_csv):
        with pytest.raises(ExportError, match=r"no row for the graded submission folders bob, carol; .*Add a row"):
            render(partial)
    unmatched = tmp_path / "unmatched.csv"
    unmatched.write_text("folder,name,email\nalice,Alice,a@x.edu\nbob,Bob,\ncarol,Carol,c@x.edu\n")
    no_ids = build([files["record"]], roster_path=unmatched)
    with pytest.raises(ExportError, match=r"no lms_id or sis_id or login_id for alice \(line 2\), bob \(line 3\), "
                                          r"carol \(line 4\); Canvas matches students on ID"):
        canvas_csv(no_ids)
    with pytest.raises(ExportError, match=r"no email or sis_id for bob \(line 3\); Moodle"):
        moodle_csv(no_ids)


def test_gradescope_writes_one_file_per_student_or_the_one_asked_for(files, tmp_path):
    written, _ = export("gradescope", [files["record"]], tmp_path / "all", marks_path=files["marks"])
    assert sorted(p.relative_to(tmp_path).as_posix() for p in written) == [
        "all/alice/results.json", "all/bob/results.json", "all/carol/results.json"]  # never the reference
    one, _ = export("gradescope", [files["record"]], tmp_path / "bob.json", student="bob")
    assert json.loads(one[0].read_text())["extra_data"]["labmark"]["student"] == "bob"
    with pytest.raises(ExportError, match="--student eve: not in these records"):
        export("gradescope", [files["record"]], tmp_path / "eve.json", student="eve")


def test_the_export_cli_writes_the_file_and_warns_of_students_with_no_submission(files, tmp_path):
    out = tmp_path / "canvas.csv"
    done = subprocess.run([sys.executable, "-m", "grading", "export", "--format", "canvas", str(files["record"]),
                           "--roster", str(files["roster"]), "--marks", str(files["marks"]), "--out", str(out)],
                          cwd=REPO, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert out.read_text() == canvas_csv(build([files["record"]], files["marks"], roster_path=files["roster"]))
    assert "warning: 1 student on the roster with no submission in these records (marks blank, not 0): " \
           "dave (Dave Lister)" in done.stderr
    refused = subprocess.run([sys.executable, "-m", "grading", "export", "--format", "moodle", str(files["record"]),
                              "--roster", str(tmp_path / "none.csv"), "--out", str(tmp_path / "m.csv")],
                             cwd=REPO, capture_output=True, text=True)
    assert refused.returncode == 2 and "none.csv: cannot be read" in refused.stderr
    assert not (tmp_path / "m.csv").exists()


# --- the roster ----------------------------------------------------------------------------------------------

def roster_error(tmp_path, text: str, encoding: str = "utf-8") -> str:
    path = tmp_path / "roster.csv"
    path.write_text(text, encoding=encoding)
    with pytest.raises(ConfigError) as caught:
        load_roster(path)
    message = str(caught.value)
    assert message.startswith(f"{path}, "), message
    return message


@pytest.mark.parametrize("text, expected", [
    ("folder,name,phone\nalice,Alice,123\n",
     "line 1: the header must name columns from folder, name, email, lms_id, sis_id, login_id, section (folder and "
     "name required), each once; found unknown column phone in folder, name, phone. Rename or remove those columns."),
    ("folder,email\nalice,a@x.edu\n", "line 1: the header must name columns from folder"),
    ("name,email\nAlice,a@x.edu\n", "found no folder column in name, email"),
    ("folder,name,name\nalice,A,B\n", "found name twice"),
    ("", "found no folder or name column in an empty first line"),
    ("folder,name\nalice,Alice\nbob,Bob\nalice,Alicia\n",
     "row 3 (line 4): a second row for folder 'alice' (the first is on line 2); keep one row per student"),
    ("folder,name,lms_id\nalice,Alice,101\nbob,Bob,101\n",
     "row 2 (line 3): lms_id '101' is already the lms_id of row 1; each student needs their own lms_id (or leave it "
     "blank)"),
    ("folder,name,sis_id\nalice,Alice,S1\nbob,Bob,\ncarol,Carol,S1\n", "row 3 (line 4): sis_id 'S1' is already"),
    ("folder,name,email\nalice,Alice,A@X.edu\nbob,Bob,a@x.EDU\n", "row 2 (line 3): email 'a@x.EDU' is already"),
    ("folder,name\n../alice,Alice\n", "row 1 (line 2): folder '../alice' is not a submission folder name: a folder "
                                      "name is 1 to 64 letters"),
    ("folder,name\nalice smith,Alice\n", "folder 'alice smith' is not a submission folder name"),
    ("folder,name\nreference,Ref\n", "'reference' is what --submission uses for the reference solutions"),
    ("folder,name\n,Alice\n", "folder '' is not a submission folder name: it is empty"),
    ("folder,name\nalice,\n", "row 1 (line 2): no name for folder 'alice'"),
    ("folder,name\nalice,Alice,extra\n", "row 1 (line 2): 3 cells, but the header names 2 columns"),
    ('folder,name\nbob,Bob\nalice,"Alice\nLiddell"\nalice,A\n', "row 3 (line 5): a second row for folder 'alice' "
                                                               "(the first is on line 4)"),
])
def test_every_roster_mistake_is_an_error_naming_its_line(tmp_path, text, expected):
    assert expected in roster_error(tmp_path, text)


def test_a_roster_that_is_not_utf8_or_not_there_says_so(tmp_path):
    assert "line 2: not UTF-8 text" in roster_error(tmp_path, "folder,name\nzoe,Zoë\n", encoding="latin-1")
    with pytest.raises(ConfigError, match="cannot be read"):
        load_roster(tmp_path / "missing.csv")


def test_a_roster_with_a_bom_and_blank_lines_loads(tmp_path):
    path = tmp_path / "roster.csv"
    path.write_bytes("\ufefffolder , name,section\r\nalice, Alice ,A\r\n,,\r\nbob,Bob,\r\n".encode())
    roster = load_roster(path)
    assert list(roster.students) == ["alice", "bob"]
    assert roster.students["alice"].name == "Alice" and roster.students["alice"].section == "A"
    assert roster.students["bob"].line == 4


def test_the_roster_check_never_counts_the_reference(files):
    roster = load_roster(files["roster"])
    check = check_roster(roster, ["reference", "alice", "bob", "eve"])
    assert check.not_on_roster == ("eve",)
    assert [s.folder for s in check.no_submission] == ["carol", "dave"]
    assert not check.clean and check_roster(roster, ["alice", "bob", "carol", "dave"]).clean


def test_the_class_report_lists_the_roster_mismatches_and_hints_without_a_roster(files, tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER.replace("carol,", "carla,"))
    render_all([files["record"]], tmp_path / "with", files["marks"], roster_path=roster)
    page = (tmp_path / "with" / "class.html").read_text()
    section = page[page.index('<h2 id="roster">'):page.index('<h2 id="similarity">')]
    assert 'Submissions not on the roster (1)' in section and '<li><a href="carol.html">carol</a></li>' in section
    assert "Students with no submission (2)" in section
    assert "<td><code>carla</code></td><td>Carol Danvers</td>" in section and "<td>Dave Lister</td>" in section
    assert "reference" not in section
    render_all([files["record"]], tmp_path / "without", files["marks"])
    bare = (tmp_path / "without" / "class.html").read_text()
    assert "No roster given" in bare and "Submissions not on the roster" not in bare


def test_the_report_cli_takes_a_roster_and_refuses_a_bad_one_before_writing(files, tmp_path):
    out = tmp_path / "out"
    ok = subprocess.run([sys.executable, "-m", "grading", "report", str(files["record"]), "--roster",
                         str(files["roster"]), "--out", str(out)], cwd=REPO, capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr
    assert "Students with no submission (1)" in (out / "class.html").read_text()
    bad = tmp_path / "bad.csv"
    bad.write_text("folder,name\nalice,Alice\nalice,Alice\n")
    refused = subprocess.run([sys.executable, "-m", "grading", "report", str(files["record"]), "--roster", str(bad),
                              "--out", str(tmp_path / "fresh")], cwd=REPO, capture_output=True, text=True)
    assert refused.returncode == 2 and "row 2 (line 3): a second row for folder 'alice'" in refused.stderr
    assert not (tmp_path / "fresh").exists()
