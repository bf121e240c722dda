"""The Gradescope bundle: a zip Gradescope can run (setup.sh, an executable run_autograder, the student kit and no
solution), that always leaves a results.json, and whose score is the report's Laboratory Assessment."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import zipfile

import pytest

from conftest import REPO, TEST_KEY
from conftest import test_key as key_file
from grading import autograder
from grading.bundle import BundleError, bench_arguments, build_bundle
from grading.report import build, fmt, marks_json


@pytest.fixture(scope="module")
def bundle(tmp_path_factory):
    folder = tmp_path_factory.mktemp("bundle")
    path = folder / "autograder.zip"
    build_bundle(path, key_file(folder), "-k exp06 --quick")
    return path


def unpack(bundle, root):
    """The bundle as Gradescope lays it out: unpacked into <root>/source, modes kept as the zip says."""
    source = root / "source"
    with zipfile.ZipFile(bundle) as zf:
        zf.extractall(source)
        for info in zf.infolist():
            os.chmod(source / info.filename, (info.external_attr >> 16) & 0o777)
    return source


def test_the_bundle_holds_setup_an_executable_run_autograder_the_kit_and_the_key_but_no_solution(bundle):
    with zipfile.ZipFile(bundle) as zf:
        names = zf.namelist()
        modes = {i.filename: (i.external_attr >> 16) for i in zf.infolist()}
        run = zf.read("run_autograder").decode()
        setup = zf.read("setup.sh").decode()
        key = zf.read("grading.key").decode()
    assert names[:3] == ["setup.sh", "run_autograder", "grading.key"]  # at the root of the zip, as Gradescope asks
    assert stat.S_ISREG(modes["run_autograder"]) and modes["run_autograder"] & 0o111 == 0o111
    assert modes["setup.sh"] & 0o111 and modes["grading.key"] & 0o777 == 0o600
    assert not [n for n in names if n.endswith("solution.py")]
    for part in ("labmark/pyproject.toml", "labmark/bench/plugin.py", "labmark/grading/export.py",
                 "labmark/grading/autograder.py", "labmark/reference/exp06_anomaly/__init__.py",
                 "labmark/submissions/example/exp06_anomaly.py"):
        assert part in names, part
    assert not [n for n in names if n.startswith("labmark/tests/") or n.endswith(("roster.csv", ".pyc"))]
    assert run.startswith("#!/usr/bin/env bash\n") and "-m grading.autograder --root \"$root\" -- -k exp06 --quick" in run
    assert "LABMARK_AUTOGRADER_ROOT" in run and "LABMARK_PYTHON" in run
    assert "bubblewrap" in setup and "command -v bwrap" in setup and 'pip install -e "$source/labmark"' in setup
    assert key.strip() == TEST_KEY


def test_the_same_files_make_the_same_bundle(bundle, tmp_path):
    again = tmp_path / "again.zip"
    build_bundle(again, key_file(tmp_path), "-k exp06 --quick")
    assert again.read_bytes() == bundle.read_bytes()


def test_bench_options_the_autograder_sets_itself_are_refused():
    assert bench_arguments("-k 'exp06 or exp01' --quick") == ["-k", "exp06 or exp01", "--quick"]
    for given in ("--submission=alice", "--record r.json", "--key k", "--report out", "--submissions-dir d"):
        with pytest.raises(BundleError, match="run_autograder sets"):
            bench_arguments(given)
    with pytest.raises(BundleError, match="quote it as a shell would"):
        bench_arguments("-k 'exp06")


def test_the_bundle_cli_refuses_a_missing_key(tmp_path):
    done = subprocess.run([sys.executable, "-m", "grading", "gradescope-bundle", "--out", str(tmp_path / "a.zip"),
                           "--key", str(tmp_path / "none.key")], cwd=REPO, capture_output=True, text=True)
    assert done.returncode == 2 and "none.key: cannot be read" in done.stderr and not (tmp_path / "a.zip").exists()


@pytest.mark.parametrize("metadata, folder", [
    ({"users": [{"email": "ann.lee@uni.edu", "id": 1, "name": "Ann Lee", "sid": "2026CS001"}]}, "2026CS001"),
    ({"users": [{"email": "ann.lee@uni.edu", "id": 1, "name": "Ann Lee", "sid": None}]}, "ann.lee_at_uni.edu"),
    ({"users": [{"email": "", "sid": "../../etc"}]}, "etc"),
    ({"users": [{"sid": "reference"}]}, "student"),
    ({"users": []}, "student"),
    ("not json", "student"),
    (None, "student"),
])
def test_the_student_folder_comes_from_gradescopes_metadata(tmp_path, metadata, folder):
    path = tmp_path / "submission_metadata.json"
    if metadata is not None:
        path.write_text(metadata if isinstance(metadata, str) else json.dumps(metadata))
    assert autograder.student_folder(path) == folder


def valid_results(results: dict) -> None:
    """Gradescope's results.json: a numeric score, text output, and tests with the fields the spec names."""
    assert isinstance(results["score"], (int, float)) and isinstance(results["output"], str) and results["output"]
    assert results.get("visibility", "visible") in ("hidden", "after_due_date", "after_published", "visible")
    assert results.get("stdout_visibility", "hidden") in ("hidden", "after_due_date", "after_published", "visible")
    for test in results["tests"]:
        assert isinstance(test["name"], str) and isinstance(test["max_score"], (int, float))
        assert isinstance(test.get("score", 0), (int, float)) and isinstance(test.get("output", ""), str)
        assert test.get("status", "passed") in ("passed", "failed")


def test_a_session_that_writes_no_record_still_leaves_results_with_score_0(tmp_path, capsys):
    (tmp_path / "submission").mkdir()
    (tmp_path / "submission" / "exp06_anomaly.py").write_text("x = 1\n")
    assert autograder.run(tmp_path, ["-k", "exp06"], python=shutil.which("true")) == 0
    results = json.loads((tmp_path / "results" / "results.json").read_text())
    valid_results(results)
    assert results["score"] == 0 and results["tests"] == []
    assert "without a run record" in results["output"] and "Class Participation and Viva" in results["output"]
    assert "--submission student" in capsys.readouterr().out  # the command, in the log only the instructor sees


def test_run_autograder_writes_results_even_when_python_cannot_start(bundle, tmp_path):
    unpack(bundle, tmp_path)
    env = {**os.environ, "LABMARK_AUTOGRADER_ROOT": str(tmp_path), "LABMARK_PYTHON": str(tmp_path / "no-python")}
    done = subprocess.run([str(tmp_path / "source" / "run_autograder")], env=env, capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    results = json.loads((tmp_path / "results" / "results.json").read_text())
    valid_results(results)
    assert results["score"] == 0 and "could not start (exit status 127)" in results["output"]


@pytest.mark.e2e  # grades a real submission with `pytest bench` from the unpacked bundle (a minute or two)
def test_the_bundle_grades_a_submission_as_gradescope_runs_it(bundle, tmp_path):
    root = tmp_path / "autograder"
    unpack(bundle, root)
    shutil.copytree(REPO / "submissions" / "example", root / "submission")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTEST_ADDOPTS")}
    env.update(LABMARK_AUTOGRADER_ROOT=str(root), LABMARK_PYTHON=sys.executable)
    done = subprocess.run([str(root / "source" / "run_autograder")], env=env, capture_output=True, text=True,
                          timeout=1500)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    results = json.loads((root / "results" / "results.json").read_text())
    valid_results(results)
    assert results["tests"], results["output"] + done.stdout[-3000:]
    assert {t["tags"][0] for t in results["tests"]} == {"exp06"}  # only what --bench-args asked for
    record = root / "results" / "record.json"
    data = json.loads(record.read_text())
    assert list(data["submissions"]) == ["student"] and "anchors" not in data  # the kit: no reference was run
    assert data["settings"]["isolation"] == "sandbox"  # by default the autograder grades in the sandbox or not at all
    la = marks_json(build([record]))["students"]["student"]["experiments"][5]["laboratory_assessment"]
    assert la is not None and results["score"] == la
    report = json.loads((root / "results" / "report" / "marks.json").read_text())  # the HTML report's own numbers
    assert report["students"]["student"]["experiments"][5]["laboratory_assessment"] == la
    assert f"Laboratory Assessment: {fmt(la)} of 15." in results["output"]
    html = (root / "results" / "report" / "student.html").read_text()
    assert "Laboratory Assessment" in html
