"""CONTRIBUTING.md's steps, proved: a toy experiment added to a copy of the project by those steps alone is
graded end to end, its zoo member fails what its expected.toml says, and a step left out is a loud error."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from conftest import REPO

PROJECT = ("reference", "bench", "grading", "conftest.py", "pyproject.toml")

# Step 1: the experiment's folder: its public part (aim, interface, budgets) and its solution.
REFERENCE = '''"""Experiment 11 (toy): the mean of a list of numbers, the smallest experiment there is.

Claim: the reference returns the exact mean; nothing here is measured, so there are no targets.
"""

from reference.spec import BudgetSpec, Experiment, Function

SPEC = Experiment(
    id="exp11", module="exp11_toy", title="The mean of numbers (toy)", aim="Return the mean of a list of numbers.",
    interface=(Function("mean", ("values",), "float", "The arithmetic mean of values."),),
    targets=(), budget=BudgetSpec(train_seconds=10, quick_train_seconds=5, call_seconds=20, import_seconds=30))
'''
SOLUTION = '''"""The reference solution of Experiment 11."""


def mean(values):
    return sum(values) / len(values)
'''

# Step 2: the checks particular to it (interface is shared).
CHECKS = '''"""Experiment 11 (toy) checks: the mean of a few numbers."""

from reference import EXPERIMENTS

EXPERIMENT = EXPERIMENTS["exp11"]


def test_mean_of_a_few_numbers(run, check):
    value, _ = run.call("mean", [1.0, 2.0, 6.0])
    assert value == 3.0, f"mean([1, 2, 6]) returned {value!r}. Expected: 3.0, the sum over the count."
'''

# Step 4: a zoo member and what grading it must show.
HALVES = "def mean(values):\n    return sum(values) / len(values) / 2\n"
HALVES_EXPECTED = '[fails]\n"mean_of_a_few_numbers" = "Expected: 3.0"\n'

# Step 5: the rubric and the course.
RUBRIC = '''
[[exp11]]
criterion = "Interface"
points = 5
checks = ["interface"]

[[exp11]]
criterion = "The mean is right"
points = 10
checks = ["mean_of_a_few_numbers"]
'''
COURSE = '''
[[experiments]]
sno = 11
id = "exp11"
name = "The mean of numbers (toy)"
due = 2027-03-19T23:59:00+05:30
'''


@pytest.fixture
def toy(tmp_path):
    """A copy of the project with Experiment 11 added by the steps alone."""
    root = tmp_path / "course"
    for name in PROJECT:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, root / name, ignore=shutil.ignore_patterns("__pycache__", ".labmark-cache"))
        else:
            shutil.copy(source, root / name)
    shutil.copy(REPO / "tests" / "zoos.py", root / "zoos.py")
    (root / "reference" / "exp11_toy").mkdir()
    (root / "reference" / "exp11_toy" / "__init__.py").write_text(REFERENCE)
    (root / "reference" / "exp11_toy" / "solution.py").write_text(SOLUTION)
    (root / "bench" / "checks" / "test_exp11_toy.py").write_text(CHECKS)
    member = root / "tests" / "zoo_exp11" / "halves"
    member.mkdir(parents=True)
    (member / "exp11_toy.py").write_text(HALVES)
    (member / "expected.toml").write_text(HALVES_EXPECTED)
    for path, text in ((root / "grading" / "rubric.toml", RUBRIC), (root / "grading" / "course.toml", COURSE)):
        path.write_text(path.read_text() + text)
    return root


def _run(root, *args, timeout=300):
    """A command in the copy, whose packages come before the installed ones."""
    env = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.run([sys.executable, *args], cwd=root, env=env, capture_output=True, text=True,
                          timeout=timeout, check=False)


def _grade(root, *args):
    return _run(root, "-m", "pytest", "bench", "-k", "exp11", "-p", "no:randomly", *args)


@pytest.mark.e2e  # two grading sessions, small ones
def test_a_toy_experiment_added_by_the_contributing_steps_is_graded_end_to_end(toy, tmp_path):
    record = tmp_path / "run.json"
    proc = _grade(toy, "--submission", "reference", "--record", str(record), "--report", str(tmp_path / "report"))
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    data = json.loads(record.read_text())
    checks = {c["name"]: c["status"] for c in data["submissions"]["reference"]["exp11"]["checks"]}
    assert checks == {"interface": "pass", "mean_of_a_few_numbers": "pass"}
    assert data["catalog"]["exp11"] == ["interface", "mean_of_a_few_numbers"]
    assert (tmp_path / "report" / "class.html").exists()

    # The zoo member, discovered from its folder, fails exactly what its expected.toml says.
    found = _run(toy, "-c", "import json, pathlib, zoos; e = zoos.discover(pathlib.Path('tests'))['exp11']['halves'];"
                            " print(json.dumps({n: f.words for n, f in e.fails.items()}))")
    assert found.returncode == 0, found.stderr[-2000:]
    expected = json.loads(found.stdout)
    proc = _grade(toy, "--submissions-dir", str(toy / "tests" / "zoo_exp11"), "--submission", "halves",
                  "--record", str(record), "--no-fail-on-marks")
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    checks = json.loads(record.read_text())["submissions"]["halves"]["exp11"]["checks"]
    failed = {c["name"]: c["message"] for c in checks if c["status"] != "pass"}
    assert set(failed) == set(expected) and all(w in failed[n] for n in failed for w in expected[n]), failed


@pytest.mark.parametrize("report", [False, True])
def test_a_toy_experiment_without_its_rubric_entry_stops_at_collection_naming_it(toy, tmp_path, report):
    rubric = toy / "grading" / "rubric.toml"
    rubric.write_text(rubric.read_text().replace(RUBRIC, ""))
    proc = _grade(toy, "--submission", "reference", *(["--report", str(tmp_path / "report")] if report else []))
    assert proc.returncode == pytest.ExitCode.USAGE_ERROR, proc.stdout[-3000:]
    assert "no criteria for exp11" in proc.stderr, proc.stderr[-3000:]
    assert "PASSED" not in proc.stdout and not (tmp_path / "report").exists()


def test_a_toy_zoo_member_without_its_expected_file_is_named(toy):
    (toy / "tests" / "zoo_exp11" / "halves" / "expected.toml").unlink()
    found = _run(toy, "-c", "import pathlib, zoos; zoos.discover(pathlib.Path('tests'))")
    assert found.returncode != 0 and "halves: no expected.toml" in found.stderr, found.stderr[-2000:]
