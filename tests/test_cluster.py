"""A class graded as Slurm job arrays: the plan, the job scripts, the tasks' fate, and a real one-node cluster."""

from __future__ import annotations

import json
import subprocess
import sys
import time

import pytest

from reference import EXPERIMENTS

from bench.cluster import Plan, PlanError, make_plan, resources
from bench.cluster import slurm
from bench.cluster.__main__ import main as cluster_main
from bench.record import CheckResult, Entry
from bench.record.journal import Journal
from conftest import REPO, TEST_KEY, marks_of
from conftest import test_key as key_file  # renamed: pytest would collect a test_ name
from slurm_cluster import Cluster, why_not


@pytest.fixture
def subs(tmp_path):
    folder = tmp_path / "subs"
    for name in ("ann", "bob", "cat"):
        (folder / name).mkdir(parents=True)
        (folder / name / "exp06_anomaly.py").write_text((REPO / "submissions/example/exp06_anomaly.py").read_text())
    return folder


def test_a_plan_chunks_the_students_per_experiment_with_the_reference_first(tmp_path, subs):
    plan = make_plan(["all", "reference"], subs, ["exp06", "exp01"], key_file(tmp_path), chunk=2, quick=True)
    assert plan.experiments == {"exp06": [["reference", "ann"], ["bob", "cat"]],
                                "exp01": [["reference", "ann"], ["bob", "cat"]]}
    assert plan.options[:1] == ["--quick"] and "--device" in plan.options
    assert plan.key == str(key_file(tmp_path).resolve())


def test_a_tasks_resources_come_from_its_experiments_budgets():
    spec = EXPERIMENTS["exp01"].budget
    quick, full = resources("exp01", 2, True, 1.0, "cpu"), resources("exp01", 2, False, 1.0, "cpu")
    assert quick.cpus == spec.threads and quick.memory_mb == 2 * spec.memory_mb + 2048 and quick.gpus == 0
    assert full.minutes > quick.minutes and resources("exp01", 2, False, 2.0, "cpu").minutes > full.minutes
    # every pair (and the task's own reference anchor) at the limits of its budgets, twice over
    assert full.minutes * 60 >= 2 * 3 * (spec.import_seconds + spec.train_seconds)
    assert resources("exp01", 2, True, 1.0, "cuda").gpus == 1


@pytest.mark.parametrize("change, message", [
    ({"experiments": ["exp99"]}, "unknown experiment 'exp99'"),
    ({"submissions": ["zed"]}, "unknown submission 'zed'"),
    ({"chunk": 0}, "--chunk 0"),
    ({"key": "missing.key"}, "cannot read it"),
])
def test_a_plan_that_cannot_be_made_says_why(tmp_path, subs, change, message):
    args = {"submissions": ["all"], "experiments": ["exp06"], "key": key_file(tmp_path), "chunk": 2} | change
    if change.get("key"):
        args["key"] = tmp_path / change["key"]
    with pytest.raises(PlanError, match=message):
        make_plan(args["submissions"], subs, args["experiments"], args["key"], args["chunk"])


def test_a_job_script_asks_for_the_budgets_resources_and_holds_no_secret(tmp_path, subs):
    out = tmp_path / "run"
    plan = make_plan(["all"], subs, ["exp06"], key_file(tmp_path), chunk=2, device="cuda")
    plan.save(out)
    paths = slurm.write_scripts(plan, out, partition="gpu")
    text = paths["exp06"].read_text()
    r = plan.resources["exp06"]
    for line in ("#SBATCH --array=0-1", f"#SBATCH --cpus-per-task={r.cpus}", f"#SBATCH --mem={r.memory_mb}M",
                 f"#SBATCH --time={r.minutes}", "#SBATCH --gres=gpu:1", "#SBATCH --partition=gpu",
                 f"-m bench.cluster task {out.resolve()} exp06 \"$SLURM_ARRAY_TASK_ID\""):
        assert line in text
    for written in (text, (out / "plan.json").read_text()):
        assert TEST_KEY not in written


def _task_journal(path, students, ended=True):
    j = Journal(path)
    j.write("run", schema="labmark.run/1", run_id="r", started="2026-12-02T00:00:00+00:00",
            settings={"keyed": True}, environment={})
    for s in students:
        j.write("check", student=s, experiment="exp06", check=CheckResult(name="interface", status="pass", score=1.0))
        j.write("entry", student=s, experiment="exp06", entry={k: v for k, v in Entry().to_json().items()
                                                                if k != "checks"})
    if ended:
        j.write("end", finished="2026-12-02T00:01:00+00:00", duration_seconds=60)
    j.close()


def test_a_task_is_complete_only_when_its_journal_ends_with_every_student_graded(tmp_path, subs):
    out = tmp_path / "run"
    plan = make_plan(["ann", "bob", "cat"], subs, ["exp06"], key_file(tmp_path), chunk=1)
    (out / "records").mkdir(parents=True)
    _task_journal(plan.task_journal(out, "exp06", 0), ["ann"])
    _task_journal(plan.task_journal(out, "exp06", 1), ["bob"], ended=False)
    _task_journal(plan.task_journal(out, "exp06", 2), [])
    result = slurm.outcome(plan, out)
    assert result[("exp06", 0)] is None
    assert "stopped before its end" in result[("exp06", 1)] and "not graded: cat" in result[("exp06", 2)]
    record = json.loads(slurm.merge(plan, out).read_text())
    assert sorted(record["submissions"]) == ["ann", "bob"] and record["settings"]["cluster"]["scheduler"] == "slurm"


def test_a_task_run_again_resumes_from_the_journal_its_killed_run_left(tmp_path, subs):
    out = tmp_path / "run"
    plan = make_plan(["ann", "bob"], subs, ["exp06"], key_file(tmp_path), chunk=2)
    (out / "records").mkdir(parents=True)
    assert plan.set_aside(out, "exp06", 0) is None  # never ran: nothing to keep
    for attempt in (1, 2):
        _task_journal(plan.task_journal(out, "exp06", 0), ["ann"], ended=False)
        kept = plan.set_aside(out, "exp06", 0)
        assert kept.name == f"exp06-0.attempt{attempt}.journal.jsonl" and not plan.task_journal(out, "exp06", 0).exists()
    args = plan.task_args(out, "exp06", 0)
    assert args[0] == "bench/checks/test_exp06_anomaly.py"
    assert [args[i + 1] for i, a in enumerate(args) if a == "--resume"] == [
        str(out / "records" / f"exp06-0.attempt{n}.journal.jsonl") for n in (1, 2)]


def test_the_command_line_asks_for_a_key_and_names_a_missing_task(tmp_path, subs, capsys):
    assert cluster_main(["slurm", "--submissions-dir", str(subs), "--out", str(tmp_path / "o")]) == 2
    assert "--key FILE and --out DIR are required" in capsys.readouterr().err
    make_plan(["ann"], subs, ["exp06"], key_file(tmp_path), chunk=1).save(tmp_path / "o")
    assert cluster_main(["task", str(tmp_path / "o"), "exp06", "3"]) == 2
    assert "no task exp06[3]" in capsys.readouterr().err



@pytest.fixture
def cluster(tmp_path):
    why = why_not()
    if why:
        pytest.skip(f"no Slurm cluster here: {why}")
    c = Cluster(tmp_path / "slurm").start()
    yield c
    c.stop()


@pytest.mark.e2e  # a real one-node Slurm cluster grading three students, one task killed and run again
def test_a_class_graded_on_slurm_with_a_task_killed_ends_as_a_local_run(tmp_path, subs, cluster, monkeypatch):
    monkeypatch.setenv("SLURM_CONF", str(cluster.conf))
    out, key = tmp_path / "run", key_file(tmp_path)
    cli = [sys.executable, "-m", "bench.cluster", "slurm", "--submissions-dir", str(subs), "--submission", "all",
           "--experiment", "exp06", "--quick", "--key", str(key), "--chunk", "2", "--out", str(out)]
    submitted = cluster.run(*cli, "--no-follow", cwd=REPO, timeout=120)
    assert submitted.returncode == 0, submitted.stderr + cluster.log_tail()
    plan = Plan.load(out)
    job = plan.jobs["exp06"]
    # Kill task 0 once it has graded one pair (its journal holds that pair's entry).
    journal, deadline = plan.task_journal(out, "exp06", 0), time.monotonic() + 300
    while time.monotonic() < deadline and '"kind":"entry"' not in (journal.read_text() if journal.exists() else ""):
        time.sleep(0.5)
    assert '"kind":"entry"' in journal.read_text(), cluster.log_tail()
    assert cluster.run("scancel", f"{job}_0").returncode == 0
    shown = cluster.run("scontrol", "show", "job", "-d", job).stdout
    slurm.follow(plan, out, write=lambda line: None, poll=1, timeout=600)
    assert slurm.outcome(plan, out)[("exp06", 0)].startswith("stopped before its end")
    assert slurm.outcome(plan, out)[("exp06", 1)] is None
    again = cluster.run(*cli[:4], "--resubmit", str(out), cwd=REPO, timeout=900)
    assert again.returncode == 0, again.stdout + again.stderr
    assert "exp06: submitted again, tasks 0" in again.stdout and "reports written" in again.stdout
    merged = json.loads((out / "record.json").read_text())
    # The pair task 0 finished before the kill was taken from its journal, not graded again.
    assert [(r["student"], r["experiment"]) for r in merged.get("resumed", [])] == [("ann", "exp06")]
    local = subprocess.run([sys.executable, "-m", "pytest", "bench", "-p", "no:randomly", "-k", "exp06", "--quick",
                            "--submissions-dir", str(subs), "--submission", "all", "--key", str(key),
                            "--no-fail-on-marks", "-q", "--record", str(tmp_path / "local.json")],
                           cwd=REPO, capture_output=True, text=True, timeout=600)
    assert local.returncode == 0, local.stdout[-2000:]
    assert marks_of(merged) == marks_of(json.loads((tmp_path / "local.json").read_text()))
    assert len(marks_of(merged)) == 3 * len(merged["catalog"]["exp06"])
    # No secret in what the scheduler shows or keeps.
    for text in (shown, (out / "jobs" / "exp06.sbatch").read_text(), (out / "plan.json").read_text(),
                 *(p.read_text() for p in (out / "logs").iterdir())):
        assert TEST_KEY not in text
