"""The plugin end to end, in throwaway projects made with pytester."""

from __future__ import annotations

import json
import shutil

import pytest

from bench.isolation import sandbox

from conftest import REPO, ZOO

PYPROJECT = (REPO / "pyproject.toml").read_text().split("[tool.pytest.ini_options]", 1)[1]
BENCH_MODULE = REPO / "bench" / "checks" / "test_exp06_anomaly.py"


@pytest.fixture
def project(pytester):
    """A course checkout in miniature: the pytest config, the plugin, Experiment 6's checks, students."""
    pytester.makepyprojecttoml("[tool.pytest.ini_options]" + PYPROJECT)
    pytester.makeconftest('pytest_plugins = ["bench.plugin"]')
    (pytester.path / "checks").mkdir()
    shutil.copy(BENCH_MODULE, pytester.path / "checks" / BENCH_MODULE.name)
    for student in ("alice", "bob"):
        (pytester.path / "submissions" / student).mkdir(parents=True)
        shutil.copy(ZOO / "healthy" / "exp06_anomaly.py", pytester.path / "submissions" / student)
    return pytester


def test_unknown_submission_is_a_usage_error_listing_those_that_exist(project):
    result = project.runpytest_subprocess("checks", "--submission", "carol")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*unknown submission 'carol'*Submissions that exist: alice, bob*"])


def test_settings_are_printed_in_the_header(project):
    result = project.runpytest_subprocess("checks", "--submission", "all", "--quick", "--seed", "3",
                                          "--collect-only")
    result.stdout.fnmatch_lines(["*labmark: submissions: alice, bob*",
                                 "*budgets: quick x1 | device: cpu | threads: *| seed: 3*"])


def test_submission_all_and_reference_parametrize_every_check(project):
    result = project.runpytest_subprocess("checks", "--submission", "all", "--submission", "reference",
                                          "--collect-only", "-q")
    ids = [line for line in result.stdout.lines if "::test_" in line]
    assert len(ids) == 3 * 9
    # Grouped per student, the reference (the speed anchor) first.
    assert "[reference]" in ids[0] and all("reference" in i for i in ids[:9])


def test_folders_with_unsafe_names_are_refused_with_the_reason(project):
    (project.path / "submissions" / "=HYPERLINK(x)").mkdir()
    result = project.runpytest_subprocess("checks", "--submission", "all", "--collect-only")
    result.stdout.fnmatch_lines(["*NOT GRADED: folder '=HYPERLINK(x)'*starts with '='*"])
    assert "[=HYPERLINK" not in result.stdout.str()  # alice and bob are graded, the odd folder is not
    result = project.runpytest_subprocess("checks", "--submission", "=HYPERLINK(x)")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*is not graded: it starts with '='*Fix: rename the folder*"])


def test_a_grading_key_fixes_the_hidden_data_and_never_reaches_the_record(project, tmp_path):
    key = tmp_path / "course.key"
    key.write_text("a-key-only-these-tests-use-0123456789\n")
    key.chmod(0o644)
    result = project.runpytest_subprocess("checks", "--key", str(key), "--collect-only")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*others can read it*chmod 600*"])
    key.chmod(0o600)
    checksums = []
    for run in range(2):
        record = tmp_path / f"run{run}.json"
        result = project.runpytest_subprocess("checks", "--submission", "alice", "--key", str(key), "--record",
                                              str(record), "-k", "detector_f1 and zscore")
        result.stdout.fnmatch_lines(["*hidden data: from the grading key*"])
        text = record.read_text()
        assert "a-key-only-these-tests-use" not in text and json.loads(text)["settings"]["keyed"] is True
        checksums.append(json.loads(text)["submissions"]["alice"]["exp06"]["dataset"]["checksum"])
    assert checksums[0] == checksums[1]


def test_k_selects_one_experiment(project):
    result = project.runpytest_subprocess("checks", "-k", "exp01", "--collect-only", "-q")
    assert result.ret == pytest.ExitCode.NO_TESTS_COLLECTED


def test_every_experiment_collects_the_shared_checks_first_and_exactly_what_its_catalog_lists(project):
    from bench.checks.catalog import check_names
    from bench.plugin import _check_name

    for module in sorted((REPO / "bench" / "checks").glob("test_exp*.py")):
        shutil.copy(module, project.path / "checks" / module.name)
    items, _ = project.inline_genitems("checks", "--submission", "alice")
    collected: dict[str, list[str]] = {}
    for item in items:
        collected.setdefault(item.module.EXPERIMENT.id, []).append(_check_name(item))
    assert len(collected) == 10
    for experiment, names in collected.items():
        assert names == check_names(experiment), experiment
        assert names[0] == "interface"
    assert collected["exp01"][1:3] == ["trains_within_budget[cnn]", "trains_within_budget[rnn]"]
    assert {e for e, names in collected.items() if "trains_within_budget" in names} == {"exp02", "exp05", "exp09"}
    assert {e for e, names in collected.items() if names[-1] == "speed"} == set(collected) - {"exp07"}
    speed_checks = [i for i in items if i.get_closest_marker("speed")]
    assert {_check_name(i) for i in speed_checks} == {"speed"} and len(speed_checks) == 9


def test_a_check_module_that_redefines_a_shared_check_fails_collection_saying_so(project):
    path = project.path / "checks" / BENCH_MODULE.name
    path.write_text(path.read_text() + "\n\ndef test_interface(run, check):\n    pass\n")
    result = project.runpytest_subprocess("checks", "--collect-only")
    assert result.ret == pytest.ExitCode.INTERRUPTED
    result.stdout.fnmatch_lines(["*test_exp06_anomaly.py defines test_interface, a check every experiment shares*"])


@pytest.mark.parametrize("report", [False, True])
def test_a_rubric_that_does_not_fit_the_checks_stops_the_run_before_grading(project, tmp_path, report):
    path = project.path / "checks" / BENCH_MODULE.name
    path.write_text(path.read_text() + "\n\ndef test_extra(run, check):\n    pass\n")
    result = project.runpytest_subprocess("checks", "--submission", "alice",
                                          *(["--report", str(tmp_path / "r")] if report else []))
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*the rubric does not fit the checks*exp06's checks extra feed no criterion*"])
    assert "PASSED" not in result.stdout.str() and not (tmp_path / "r").exists()


def test_submissions_are_never_collected(project):
    (project.path / "submissions" / "alice" / "test_sneaky.py").write_text("def test_x():\n    raise SystemExit\n")
    result = project.runpytest_subprocess("--collect-only", "-q")
    assert "test_sneaky" not in result.stdout.str()


def test_markers_are_strict(project):
    (project.path / "checks" / "test_typo.py").write_text(
        "import pytest\n@pytest.mark.slwo\ndef test_x():\n    pass\n")
    result = project.runpytest_subprocess("checks/test_typo.py")
    result.stdout.fnmatch_lines(["*'slwo' not found in `markers` configuration option*"])


def test_a_run_writes_one_record_and_never_imports_student_code(project, tmp_path):
    # This submission refuses to work inside a pytest process: if the parent imported it, it would fail.
    spy = ("import sys\nif '_pytest' in sys.modules:\n    open('IMPORTED_IN_PYTEST', 'w').write('x')\n"
           "    raise RuntimeError('imported inside pytest')\n")
    path = project.path / "submissions" / "alice" / "exp06_anomaly.py"
    path.write_text(spy + path.read_text())
    record_path = tmp_path / "run.json"
    result = project.runpytest_subprocess("checks", "--submission", "alice", "--record", str(record_path),
                                          "-k", "interface or short_series or flat")
    assert result.ret == pytest.ExitCode.OK, result.stdout.str()
    assert not list(project.path.rglob("IMPORTED_IN_PYTEST"))
    record = json.loads(record_path.read_text())
    checks = record["submissions"]["alice"]["exp06"]["checks"]
    assert [c["status"] for c in checks] == ["pass", "pass", "pass"]
    assert record["environment"]["isolation"] == sandbox.resolve("auto").layer
    assert record["submissions"]["alice"]["exp06"]["worker"]["isolation"] == record["environment"]["isolation"]
    assert "hidden_seed" not in record["settings"]
    from bench.checks.catalog import check_names
    assert record["catalog"] == {"exp06": check_names("exp06")}  # every check, not only the three that ran
    assert not list(record_path.parent.glob(".run.json.*"))  # no temporary file left behind


def test_a_grading_run_can_exit_zero_when_only_marks_are_lost(project):
    path = project.path / "submissions" / "bob" / "exp06_anomaly.py"
    path.write_text(path.read_text().replace("> 4", "> 0.5"))  # a threshold so low it flags noise
    args = ("checks", "--submission", "bob", "-k", "detector_f1 and zscore")
    assert project.runpytest_subprocess(*args).ret == pytest.ExitCode.TESTS_FAILED
    assert project.runpytest_subprocess(*args, "--no-fail-on-marks").ret == pytest.ExitCode.OK


def _notebook(path, cells):
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(src) for src in cells]
    nbformat.write(nb, str(path))


def test_notebook_errors_point_at_the_cell_and_line(project, tmp_path):
    folder = project.path / "submissions" / "alice"
    (folder / "exp06_anomaly.py").unlink()
    good = (ZOO / "healthy" / "exp06_anomaly.py").read_text()
    _notebook(folder / "exp06_anomaly.ipynb", ["import this_is_not_graded", "# graded\n" + good,
                                               "# graded\n!pip install numpy\nx = (1,\ny = 2"])
    (project.path / "submissions" / "bob" / "exp06_anomaly.py").unlink()
    _notebook(project.path / "submissions" / "bob" / "exp06_anomaly.ipynb", [good])
    record_path = tmp_path / "run.json"
    project.runpytest_subprocess("checks", "--submission", "all", "--record", str(record_path), "-k", "interface")
    record = json.loads(record_path.read_text())
    alice = record["submissions"]["alice"]["exp06"]
    assert alice["checks"][0]["kind"] == "syntax_error_in_submission"
    assert alice["checks"][0]["message"].startswith("exp06_anomaly.ipynb, code cell 3, line 3: SyntaxError")
    assert alice["source"]["dropped_lines"] == [{"cell": 3, "line": 2, "text": "!pip install numpy",
                                                 "reason": "shell command"}]
    bob = record["submissions"]["bob"]["exp06"]["checks"][0]
    assert bob["kind"] == "notebook" and "no graded cells" in bob["message"]


@pytest.mark.e2e
def test_a_download_in_a_notebook_points_at_its_cell_and_line(project, tmp_path):
    folder = project.path / "submissions" / "alice"
    (folder / "exp06_anomaly.py").unlink()
    good = (ZOO / "healthy" / "exp06_anomaly.py").read_text()
    _notebook(folder / "exp06_anomaly.ipynb", ["# graded\n" + good,
                                               "# graded\nimport urllib.request\n"
                                               "urllib.request.urlopen('http://example.com')"])
    record_path = tmp_path / "run.json"
    project.runpytest_subprocess("checks", "--submission", "alice", "--record", str(record_path), "-k", "interface")
    check = json.loads(record_path.read_text())["submissions"]["alice"]["exp06"]["checks"][0]
    assert check["kind"] == "network_blocked", check
    assert "example.com" in check["message"] and "exp06_anomaly.ipynb, code cell 2, line 3" in check["message"]
    assert "_graded_cells" not in check["message"] + check.get("staff_detail", "")
