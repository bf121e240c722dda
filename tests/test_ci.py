"""`python -m grading ci`: the pull request's changed submissions self-checked, summarised, never failed on marks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from bench import kit
from grading.ci import WORKFLOW, CIError, base_commit, changed
from conftest import REPO

STEMS = {"exp06_anomaly": "exp06", "exp06": "exp06", "exp01_cnn_rnn": "exp01", "exp01": "exp01"}


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args], cwd=repo,
                          check=True, capture_output=True, text=True).stdout.strip()


def _commit(repo: Path, files: dict[str, str], message: str) -> str:
    for name, text in files.items():
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_text(text)
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", message)
    return _git(repo, "rev-parse", "HEAD")


def test_the_changed_students_and_experiments_come_from_the_diff(tmp_path):
    _git(tmp_path, "init", "-q")
    base = _commit(tmp_path, {"README.md": "x", "submissions/old/exp06_anomaly.py": "a"}, "base")
    _commit(tmp_path, {"submissions/ann/exp06_anomaly.py": "a", "submissions/bob/exp01.ipynb": "{}",
                       "submissions/bob/exp06_anomaly.py": "b", "submissions/cat/helpers.py": "h",
                       "submissions/cat/exp01_cnn_rnn.py": "c", "docs/other.md": "x"}, "pull request")
    found = {c.student: c.experiments for c in changed(tmp_path, base, STEMS)}
    assert found == {"ann": ("exp06",), "bob": ("exp01", "exp06"), "cat": ("exp01",)}  # cat: a helper changed


def test_the_base_comes_from_the_pull_request_event(tmp_path):
    event = tmp_path / "event.json"
    event.write_text(json.dumps({"pull_request": {"base": {"sha": "abc123"}}}))
    assert base_commit(str(event)) == "abc123"
    event.write_text(json.dumps({"push": {}}))
    with pytest.raises(CIError, match="triggered by pull_request"):
        base_commit(str(event))
    with pytest.raises(CIError, match="pass --base REF"):
        base_commit(None)


def test_the_workflow_self_checks_pull_requests_and_caches_the_environment():
    flow = yaml.safe_load(WORKFLOW.read_text())
    trigger = flow.get("on", flow.get(True))  # YAML 1.1 reads a bare `on` as true
    assert trigger["pull_request"]["paths"] == ["submissions/**"] and flow["permissions"] == {"contents": "read"}
    (job,) = flow["jobs"].values()
    steps = job["steps"]
    assert job["runs-on"] and all(("uses" in s) != ("run" in s) for s in steps)
    uses = {s["uses"].split("@")[0]: s for s in steps if "uses" in s}
    assert uses["actions/checkout"]["with"]["fetch-depth"] == 0
    assert "hashFiles('pyproject.toml')" in uses["actions/cache"]["with"]["key"]
    assert uses["actions/upload-artifact"]["if"] == "always()"
    assert any("python -m grading ci --report labmark-report" in s.get("run", "") for s in steps)
    assert uses["actions/upload-artifact"]["with"]["path"] == "labmark-report"


@pytest.mark.e2e  # two students' quick self-checks of Experiment 6, in a class repository made from the kit
def test_a_pull_request_touching_two_students_gets_their_marks_in_the_summary(tmp_path):
    repo = tmp_path / "class"
    kit.build(repo)
    assert (repo / ".github" / "workflows" / "labmark.yml").read_text() == WORKFLOW.read_text()
    _git(repo, "init", "-q")
    base = _commit(repo, {}, "the kit")
    example = (REPO / "submissions" / "example" / "exp06_anomaly.py").read_text()
    _commit(repo, {"submissions/ann/exp06_anomaly.py": example,
                   "submissions/bob/exp06_anomaly.py": "def zscore_detector(series, period):\n    return None\n"},
            "ann and bob hand in Experiment 6")
    event, summary = tmp_path / "event.json", tmp_path / "summary.md"
    event.write_text(json.dumps({"pull_request": {"base": {"sha": base}}}))
    env = {**os.environ, "GITHUB_EVENT_PATH": str(event), "GITHUB_STEP_SUMMARY": str(summary)}
    env.pop("PYTHONPATH", None)
    done = subprocess.run([sys.executable, "-m", "grading", "ci", "--report", str(tmp_path / "report")], cwd=repo,
                          env=env, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]  # marks lost: still a green build
    text = summary.read_text()
    assert "## ann" in text and "## bob" in text and "## example" not in text
    marks = json.loads((tmp_path / "report" / "marks.json").read_text())["students"]
    for student in ("ann", "bob"):
        (exp06,) = [e for e in marks[student]["experiments"] if e["id"] == "exp06"]
        section = text.split(f"## {student}")[1].split("## ")[0]
        assert f"| {exp06['laboratory_assessment']:.2f} / 15 |" in section
    bob = text.split("## bob")[1]
    assert "Failed checks:" in bob and "**exp06 interface**" in bob  # what bob must fix, in the summary
    assert (tmp_path / "report" / "class.html").exists()
    gated = subprocess.run([sys.executable, "-m", "grading", "ci", "--report", str(tmp_path / "report2"),
                            "--gate", "14"], cwd=repo, env={**env, "GITHUB_STEP_SUMMARY": str(tmp_path / "s2.md")},
                           capture_output=True, text=True, timeout=900)
    assert gated.returncode == 1 and "gate: bob exp06" in gated.stdout
