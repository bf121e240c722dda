"""Viva sheets: the bank is validated, sheets are the same for every examiner, the record's questions quote the
record's own numbers, student strings are escaped, and a student with nothing graded gets no sheet."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import sys

import pytest

from bench import kit
from conftest import REPO
from grading.config import ConfigError, load_course
from grading.report import build, render_all, student_page, viva_page, viva_sheets
from grading.viva import GENERAL, MIN_GENERAL, MIN_PER_EXPERIMENT, VIVA_FILE, load_bank, make_sheet, seed_of
from grading.viva_record import first_sentence, record_questions, weakest_check
from reference import EXPERIMENTS

FIXTURE = REPO / "tests" / "fixtures" / "run-record.json"


@pytest.fixture(scope="module")
def record() -> dict:
    return json.loads(FIXTURE.read_text())


@pytest.fixture(scope="module")
def bank():
    return load_bank()


@pytest.fixture(scope="module")
def course():
    return load_course()


def sheet_for(record, bank, course, experiment="exp06", student="example", run_id=None, entry=None):
    entry = entry if entry is not None else record["submissions"][student][experiment]
    return make_sheet(student, course.experiment(experiment), entry, run_id or record["run_id"], bank, course)


# --- the bank -------------------------------------------------------------------------------------------

def test_the_bank_covers_every_experiment_and_the_general_topics(bank):
    assert set(bank.experiments) == set(EXPERIMENTS)
    assert all(len(qs) >= MIN_PER_EXPERIMENT for qs in bank.experiments.values())
    assert len(bank.general) >= MIN_GENERAL
    topics = {q.topic for q in bank.general}
    for topic in ("libraries", "missing-data", "categorical-data", "overfitting", "learning-curves",
                  "precision-recall", "logistic-regression", "gan", "parallelism", "containers", "deployment-errors",
                  "nlp-advances"):
        assert topic in topics, topic
    every = [q for qs in bank.experiments.values() for q in qs] + list(bank.general)
    assert all(2 <= len(q.points) <= 4 and q.text.endswith(("?", ".")) for q in every)
    assert len({q.text for q in every}) == len(every)


def _bank_with(tmp_path, text: str):
    path = tmp_path / "viva.toml"
    path.write_text(text)
    return load_bank(path)


def _line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), start=1) if needle in line)


REAL = VIVA_FILE.read_text()
FIRST = 'question = "Why does a convolutional layer suit images better than a dense layer on the flattened pixels?"'


def test_an_unknown_experiment_is_named_with_its_line(tmp_path):
    text = REAL + '\n[[exp11]]\ntopic = "x"\nquestion = "What?"\npoints = ["a", "b"]\n'
    with pytest.raises(ConfigError, match=rf"line {_line_of(text, '[[exp11]]')}: unknown experiment 'exp11'; "
                                          r"write questions under \[\[general\]\] or an experiment"):
        _bank_with(tmp_path, text)


def test_an_empty_question_is_named_with_its_entry_and_line(tmp_path):
    assert FIRST in REAL
    text = REAL.replace(FIRST, 'question = "   "')
    header = _line_of(text, "[[exp01]]")
    with pytest.raises(ConfigError, match=rf"line {header}: exp01 question 1: the question is empty; write it as "):
        _bank_with(tmp_path, text)


def test_missing_or_too_few_points_are_named(tmp_path):
    entry = '[[exp03]]\ntopic = "features"\nquestion = "What is TF-IDF'
    assert entry in REAL
    start = REAL.index(entry)
    block_end = REAL.index("[[exp03]]", start + 1)
    block = REAL[start:block_end]
    no_points = block[:block.index("points")] + "\n"
    with pytest.raises(ConfigError, match=r"exp03 question 1: a question has exactly the keys question, points and "
                                          r"topic; missing points"):
        _bank_with(tmp_path, REAL[:start] + no_points + REAL[block_end:])
    one_point = block[:block.index("points")] + 'points = ["term frequency"]\n\n'
    with pytest.raises(ConfigError, match=r"exp03 question 1 \('What is TF-IDF.*points must list 2 to 4 non-empty "
                                          r"points a good answer covers; found 1 entries"):
        _bank_with(tmp_path, REAL[:start] + one_point + REAL[block_end:])


def test_too_few_questions_and_repeats_are_refused(tmp_path):
    cut = REAL.index("# --- 10. Differential privacy")
    end = REAL.index("# --- general topics")
    # An experiment with no questions yet (one just added to the course) draws general questions only ...
    assert "exp10" not in _bank_with(tmp_path, REAL[:cut] + REAL[end:]).experiments
    # ... but one with a table needs enough of them that sheets differ.
    tables = REAL[cut:end].split("[[exp10]]")
    with pytest.raises(ConfigError, match=r"at least 6 so that sheets differ; exp10 has 2"):
        _bank_with(tmp_path, REAL[:cut] + "[[exp10]]".join(tables[:3]) + "\n" + REAL[end:])
    repeated = REAL + f'\n[[{GENERAL}]]\ntopic = "x"\n{FIRST.replace("Why", "why")}\npoints = ["a", "b"]\n'
    with pytest.raises(ConfigError, match=r"general question 16 repeats exp01 question 1 \(line \d+\)"):
        _bank_with(tmp_path, repeated)


# --- drawing sheets -------------------------------------------------------------------------------------

def test_the_same_inputs_give_the_same_sheet(record, bank, course):
    a, b = sheet_for(record, bank, course), sheet_for(record, bank, course)
    assert a == b and a.seed == seed_of("example", "exp06", record["run_id"])
    assert 4 <= len(a.from_bank) <= 6 and 2 <= len(a.from_record) <= 3
    general = [q for q in a.from_bank if q.origin == GENERAL]
    assert 1 <= len(general) <= 2
    assert len({q.text for q in a.questions}) == len(a.questions)
    # seeded from a hash, not Python's salted hash(): another interpreter draws the same sheet
    other = subprocess.run([sys.executable, "-c", (
        "import json; from grading.viva import load_bank, make_sheet; from grading.config import load_course; "
        f"r = json.load(open({str(FIXTURE)!r})); c = load_course(); "
        "s = make_sheet('example', c.experiment('exp06'), r['submissions']['example']['exp06'], r['run_id'], "
        "load_bank(), c); print('\\n'.join(q.text for q in s.questions))")],
        cwd=REPO, capture_output=True, text=True, env={"PYTHONHASHSEED": "12345", "PATH": "/usr/bin:/bin"})
    assert other.returncode == 0, other.stderr
    assert other.stdout.splitlines() == [q.text for q in a.questions]


def test_another_run_may_draw_other_bank_questions_but_asks_the_same_of_the_record(record, bank, course):
    first = sheet_for(record, bank, course)
    others = [sheet_for(record, bank, course, run_id=f"run{i}") for i in range(8)]
    assert all(o.from_record == first.from_record for o in others)
    assert len({o.seed for o in others}) == 8
    assert any(o.from_bank != first.from_bank for o in others), "the bank draw ignores the run id"


def test_the_record_questions_quote_the_example_students_numbers(record, bank, course):
    entry = record["submissions"]["example"]["exp01"]
    m = entry["metrics"]
    texts = [q.text for q in sheet_for(record, bank, course, "exp01").from_record]
    weakest = texts[0]
    assert weakest.startswith("Your check accuracy[rnn] failed: RNN test accuracy = 0.666, below the target 0.96")
    assert weakest.endswith("— what went wrong, and how would you fix it?")
    rnn, cnn = f"{m['accuracy_rnn']:.2f}", f"{m['accuracy_cnn']:.2f}"
    assert (rnn, cnn) == ("0.67", "0.98")
    trained = next(c for c in entry["checks"] if c["name"] == "trains_within_budget[rnn]")["evidence"]
    assert (f"Your RNN reached {rnn} test accuracy while your CNN reached {cnn}; the RNN trained for "
            f"{trained['train_seconds']:.1f} s of its {trained['budget_seconds']:g} s budget") in texts[1]

    m6 = record["submissions"]["example"]["exp06"]["metrics"]
    texts6 = [q.text for q in sheet_for(record, bank, course, "exp06").from_record]
    assert texts6[0].startswith("Your check zscore_flat_series_flags_nothing failed: zscore_detector flagged 10 of "
                                "10 samples of a constant series")
    assert (f"Your one_class_svm detector had precision {m6['precision_one_class_svm']:.2f} and recall "
            f"{m6['recall_one_class_svm']:.2f}") in texts6[1]
    assert "precision 0.24 and recall 0.75" in texts6[1]


def test_the_weakest_check_is_the_one_with_least_credit_and_errors_come_first():
    checks = [{"name": "a", "status": "fail", "score": 0.5, "message": "A."},
              {"name": "b", "status": "pass", "score": 1.0, "message": ""},
              {"name": "c", "status": "fail", "score": 0.0, "message": "C."},
              {"name": "d", "status": "error", "score": 0.0, "message": "D."},
              {"name": "e", "status": "skipped", "score": 0.0, "message": "E."}]
    assert weakest_check({"checks": checks})["name"] == "d"
    assert weakest_check({"checks": checks[:3]})["name"] == "c"
    assert weakest_check({"checks": [checks[1], checks[4]]}) is None
    assert first_sentence("Accuracy = 0.666, below 0.96. Weakest class: 1.") == "Accuracy = 0.666, below 0.96."
    assert first_sentence("  no full stop\nat all ") == "no full stop at all"


def test_a_perfect_run_still_gets_questions_from_its_numbers(record, bank, course):
    sheet = sheet_for(record, bank, course, "exp06", student="reference")
    assert not any("failed" in q.text for q in sheet.from_record)
    m = record["submissions"]["reference"]["exp06"]["metrics"]
    worst = min(("zscore", "isolation_forest", "one_class_svm"), key=lambda d: m[f"f1_{d}"])
    assert f"Your {worst} detector had precision {m[f'precision_{worst}']:.2f}" in sheet.from_record[0].text


def test_an_experiment_without_its_own_generator_falls_back_to_its_metrics(record):
    entry = json.loads(json.dumps(record["submissions"]["example"]["exp06"]))
    entry["source"] = {}
    texts = [q.text for q in record_questions("exp99", entry)]
    assert texts[1].startswith("Your run recorded f1_zscore = 0.49. What does it measure")  # the 0-credit check's


def _entry_with_code(record, tmp_path, code: str, name="exp06_anomaly.py", sha: str | None = None):
    path = tmp_path / name
    path.write_text(code)
    entry = json.loads(json.dumps(record["submissions"]["example"]["exp06"]))
    entry["source"] = {"path": str(path), "kind": "py",
                       "sha256": sha or hashlib.sha256(path.read_bytes()).hexdigest()}
    return entry


def test_a_design_choice_in_the_code_is_asked_about(record, bank, course, tmp_path):
    code = ("import numpy as np\n# IsolationForest(contamination=0.5) was too many\n"
            "model = IsolationForest(n_estimators=200, contamination=0.02)\n")
    sheet = sheet_for(record, bank, course, entry=_entry_with_code(record, tmp_path, code))
    asked = [q for q in sheet.from_record if q.origin == "code"]
    assert len(asked) == 1 and asked[0].text.startswith("Your code uses contamination = 0.02 (line 3).")
    assert asked[0].quote == "model = IsolationForest(n_estimators=200, contamination=0.02)"
    assert "isolation-forest" not in {q.topic for q in sheet.from_bank}  # not asked twice


def test_a_missing_or_changed_submission_file_gives_no_code_question(record, bank, course, tmp_path):
    changed = _entry_with_code(record, tmp_path, "nu = 0.5\n", sha="0" * 64)
    gone = json.loads(json.dumps(changed))
    gone["source"]["path"] = str(tmp_path / "nowhere" / "exp06_anomaly.py")
    for entry in (changed, gone):
        sheet = sheet_for(record, bank, course, entry=entry)
        assert [q.origin for q in sheet.from_record] == ["record"] * 3  # a second number takes the code's place
        assert "found 0% of the contextual anomalies" in sheet.from_record[2].text


# --- pages -----------------------------------------------------------------------------------------------

HOSTILE = "<script>alert('viva')</script> broke it. More."


def test_student_strings_are_escaped_on_the_sheet(record, tmp_path):
    data = json.loads(json.dumps(record))
    entry = data["submissions"]["example"]["exp06"]
    entry["checks"][1]["message"] = HOSTILE  # zscore_flat_series_flags_nothing: the weakest check
    code = tmp_path / "exp06_anomaly.py"
    code.write_text('detector = OneClassSVM(nu=0.2)  # <img src=x onerror=alert(1)>\n')
    entry["source"] = dict(entry["source"], path=str(code), sha256=hashlib.sha256(code.read_bytes()).hexdigest())
    path = tmp_path / "record.json"
    path.write_text(json.dumps(data))
    reports = build([path], viva_path=VIVA_FILE)
    for html in (viva_page(reports, "example"), student_page(reports, "example")):
        assert "<script>alert" not in html and "<img src=x" not in html
        assert "&lt;script&gt;alert(&#39;viva&#39;)&lt;/script&gt; broke it" in html
        assert "# &lt;img src=x onerror=alert(1)&gt;" in html


def test_a_student_with_no_graded_experiment_gets_no_sheet(record, tmp_path, course):
    data = json.loads(json.dumps(record))
    data["submissions"]["ghost"] = {"exp06": dict(data["submissions"]["example"]["exp06"], checks=[])}
    path = tmp_path / "record.json"
    path.write_text(json.dumps(data))
    reports = build([path], viva_path=VIVA_FILE)
    assert "ghost" not in reports.viva and viva_page(reports, "ghost") is None
    assert viva_sheets("ghost", {}, reports.students["example"], course, load_bank()) == []
    assert "reference" not in reports.viva  # the reference solutions sit no viva
    refused = subprocess.run([sys.executable, "-m", "grading", "viva", str(path), "--student", "ghost", "--out",
                              str(tmp_path / "ghost.html")], cwd=REPO, capture_output=True, text=True)
    assert refused.returncode == 2 and not (tmp_path / "ghost.html").exists()
    assert ("no viva sheet for 'ghost': no experiment of theirs was graded in these records. Students with graded "
            "experiments: example") in refused.stderr


def test_the_reports_hold_a_viva_page_per_student_and_leave_it_out_when_asked(tmp_path):
    marks = tmp_path / "marks.csv"
    marks.write_text("student,experiment,participation,viva\nexample,exp06,4,3.5\n")
    written = render_all([FIXTURE], tmp_path / "staff", marks)
    page = tmp_path / "staff" / "viva" / "example.html"
    assert page in written and not (tmp_path / "staff" / "viva" / "reference.html").exists()
    html = page.read_text()
    assert html.count('<section class="viva-sheet"') == 2
    assert re.search(r"@media print \{[^@]*section\.viva-sheet \{ break-before: page;", html)
    assert "<code>example,exp06,,3.5,,</code>" in html and "The marks CSV already gives 3.5." in html
    assert "<code>example,exp01,,MARK,,</code>" in html and "/ 5</div>" in html
    student = (tmp_path / "staff" / "example.html").read_text()
    assert student.count("<summary>Viva sheet (staff)</summary>") == 2
    assert '<a href="viva/example.html#exp06">' in student
    render_all([FIXTURE], tmp_path / "public", marks, viva_path=None)
    assert not (tmp_path / "public" / "viva").exists()
    assert "Viva sheet" not in (tmp_path / "public" / "example.html").read_text()


def test_the_cli_writes_one_sheet_on_demand(tmp_path):
    out = tmp_path / "sheets" / "example-exp06.html"
    done = subprocess.run([sys.executable, "-m", "grading", "viva", str(FIXTURE), "--student", "example",
                           "--experiment", "6", "--out", str(out)], cwd=REPO, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"{out}: 1 viva sheet for example (exp06)"
    html = out.read_text()
    assert html.count('<section class="viva-sheet"') == 1 and 'id="exp06"' in html
    assert "../example.html" not in html  # standalone: no link to a report that is not beside it
    wrong = subprocess.run([sys.executable, "-m", "grading", "viva", str(FIXTURE), "--student", "example",
                            "--experiment", "exp02", "--out", str(tmp_path / "x.html")], cwd=REPO,
                           capture_output=True, text=True)
    assert wrong.returncode == 2
    assert "expected one of the experiments they were graded in, exp01, exp06" in wrong.stderr


def test_the_student_kit_ships_no_question_bank_and_its_reports_draw_no_sheets(tmp_path):
    ignored = shutil.ignore_patterns(*kit.LEFT_OUT)(str(VIVA_FILE.parent), [VIVA_FILE.name, "course.toml"])
    assert ignored == {VIVA_FILE.name}
    built = tmp_path / "kit"
    kit.build(built)
    assert (built / "grading" / "viva.py").exists() and not (built / "grading" / VIVA_FILE.name).exists()
    out = tmp_path / "report"
    done = subprocess.run([sys.executable, "-m", "grading", "report", str(FIXTURE), "--out", str(out)], cwd=built,
                          capture_output=True, text=True, env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(built)})
    assert done.returncode == 0, done.stderr
    assert (out / "example.html").exists() and not (out / "viva").exists()
    asked = subprocess.run([sys.executable, "-m", "grading", "viva", str(FIXTURE), "--student", "example", "--out",
                            str(tmp_path / "x.html")], cwd=built, capture_output=True, text=True,
                           env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(built)})
    assert asked.returncode == 2 and f"{built / 'grading' / VIVA_FILE.name}: cannot be read" in asked.stderr
