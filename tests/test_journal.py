"""The journal: each check on disk as it ends; a record rebuilt from it holds every pair that finished."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from types import SimpleNamespace

import pytest

from reference import EXPERIMENTS

from bench import submission
from bench.record import SCHEMA, CheckResult, Entry, load
from bench.resume import finished_pairs
from bench.record.journal import Journal, JournalError, assemble, journal_path, read
from conftest import REPO, marks_of
from conftest import test_key as key_file  # renamed: pytest would collect a test_ name

HEAD = {"schema": SCHEMA, "run_id": "r1", "started": "2026-12-01T10:00:00+00:00", "settings": {"seed": 0},
        "environment": {"cpu": "test"}}


def _journal(path, pairs: dict, finished: set, run_id: str = "r1", end: bool = True, head: dict | None = None,
             source: dict | None = None):
    """A journal of `pairs` ((student, experiment) -> check names, all passed), their entry lines only for
    the pairs in `finished`."""
    j = Journal(path)
    j.write("run", **{**HEAD, "run_id": run_id, **(head or {})})
    j.write("catalog", catalog={e: ["interface", "speed"] for _, e in pairs})
    for (student, experiment), names in pairs.items():
        for name in names:
            j.write("check", student=student, experiment=experiment,
                    check=CheckResult(name=name, status="pass", score=1.0))
        if (student, experiment) in finished:
            j.write("entry", student=student, experiment=experiment,
                    entry={k: v for k, v in Entry(title="T", metrics={"f1": 0.9}, source=source).to_json().items()
                           if k != "checks"})
    if end:
        j.write("end", finished="2026-12-01T10:05:00+00:00", duration_seconds=300.0)
    j.close()
    return path


def test_the_journal_lives_beside_its_record(tmp_path):
    assert journal_path(tmp_path / "20261201T100000Z.json") == tmp_path / "20261201T100000Z.journal.jsonl"


def test_a_record_holds_the_finished_pairs_and_lists_the_one_in_progress(tmp_path):
    path = _journal(tmp_path / "a.journal.jsonl", {("alice", "exp06"): ["interface", "speed"],
                                                   ("bob", "exp06"): ["interface"]},
                    finished={("alice", "exp06")}, end=False)
    record = assemble([path])
    assert record["schema"] == SCHEMA and record["run_id"] == "r1" and record["finished"] is None
    alice = record["submissions"]["alice"]["exp06"]
    assert [c["name"] for c in alice["checks"]] == ["interface", "speed"] and alice["metrics"] == {"f1": 0.9}
    assert "bob" not in record["submissions"]
    assert record["incomplete"] == [{"student": "bob", "experiment": "exp06", "journal": str(path),
                                     "checks_finished": ["interface"]}]
    assert record["catalog"] == {"exp06": ["interface", "speed"]}


def test_a_line_cut_short_by_a_kill_is_dropped_and_a_damaged_one_is_named(tmp_path):
    path = _journal(tmp_path / "a.journal.jsonl", {("alice", "exp06"): ["interface"]}, finished={("alice", "exp06")},
                    end=False)
    with open(path, "a") as f:
        f.write('{"kind": "check", "student": "bob", "exp')  # the session died while writing
    assert [line["kind"] for line in read(path)] == ["run", "catalog", "check", "entry"]
    lines = path.read_text().split("\n")
    lines[2] = lines[2][:20]
    path.write_text("\n".join(lines))
    with pytest.raises(JournalError, match=r"a.journal.jsonl, line 3: not JSON"):
        read(path)
    (tmp_path / "other.jsonl").write_text('{"kind": "check"}\n')
    with pytest.raises(JournalError, match="not a labmark journal"):
        read(tmp_path / "other.jsonl")


def test_journals_of_several_sessions_make_one_record_and_may_not_overlap(tmp_path):
    a = _journal(tmp_path / "a.journal.jsonl", {("alice", "exp06"): ["interface"], ("bob", "exp06"): ["interface"]},
                 finished={("alice", "exp06")})
    b = _journal(tmp_path / "b.journal.jsonl", {("bob", "exp06"): ["interface", "speed"]},
                 finished={("bob", "exp06")}, run_id="r2")
    record = assemble([a, b])
    assert sorted(record["submissions"]) == ["alice", "bob"] and "incomplete" not in record  # bob finished in b
    assert [j["run_id"] for j in record["journals"]] == ["r1", "r2"]
    assert record["settings"]["submissions"] == ["alice", "bob"]
    with pytest.raises(JournalError, match="alice's exp06 is graded here and in"):
        assemble([a, _journal(tmp_path / "c.journal.jsonl", {("alice", "exp06"): ["interface"]},
                              finished={("alice", "exp06")})])


def test_the_cli_writes_the_record_and_says_what_is_missing(tmp_path):
    path = _journal(tmp_path / "a.journal.jsonl", {("alice", "exp06"): ["interface"], ("bob", "exp06"): ["interface"]},
                    finished={("alice", "exp06")}, end=False)
    out = subprocess.run([sys.executable, "-m", "grading", "record", str(path), "--out", str(tmp_path / "r.json")],
                         cwd=REPO, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert "1 graded (student, experiment) pairs; 1 incomplete, not graded: bob exp06" in out.stdout
    assert list(load(tmp_path / "r.json")["submissions"]) == ["alice"]
    bad = subprocess.run([sys.executable, "-m", "grading", "record", str(tmp_path / "r.json"), "--out",
                          str(tmp_path / "x.json")], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert bad.returncode == 2 and "not a labmark journal" in bad.stderr and not (tmp_path / "x.json").exists()


CLASS = ["-k", "exp06", "--quick", "--submission", "reference", "--submission", "example", "-p", "no:randomly"]


def _bench(*args: str, timeout: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pytest", "bench", *args], cwd=REPO, capture_output=True, text=True,
                          timeout=timeout)


def _killed_once_the_example_has_begun(record, key) -> None:
    """Grade CLASS into `record`, and SIGKILL the session once the reference is done and the example begun."""
    journal = journal_path(record)
    session = subprocess.Popen([sys.executable, "-m", "pytest", "bench", *CLASS, "--record", str(record), "--key",
                                str(key)], cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)
    deadline = time.monotonic() + 600
    try:
        while time.monotonic() < deadline:
            lines = read(journal) if journal.exists() and journal.stat().st_size else []
            if (any(ln["kind"] == "entry" and ln["student"] == "reference" for ln in lines)
                    and any(ln["kind"] == "check" and ln["student"] == "example" for ln in lines)):
                break
            assert session.poll() is None, "the session ended before it could be killed"
            time.sleep(0.2)
        else:
            pytest.fail("the session did not reach the example in time")
    finally:
        os.killpg(session.pid, signal.SIGKILL)
        session.wait(timeout=60)
    assert not record.exists()  # the session never got to write its record


@pytest.mark.e2e  # a grading session, killed
def test_a_session_killed_with_sigkill_loses_only_the_pair_in_progress(tmp_path):
    record = tmp_path / "run.json"
    _killed_once_the_example_has_begun(record, key_file(tmp_path))
    rebuilt = tmp_path / "rebuilt.json"
    out = subprocess.run([sys.executable, "-m", "grading", "record", str(journal_path(record)), "--out", str(rebuilt)],
                         cwd=REPO, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    data = load(rebuilt)
    assert list(data["submissions"]) == ["reference"]
    reference = data["submissions"]["reference"]["exp06"]
    assert [c["name"] for c in reference["checks"]] == data["catalog"]["exp06"]
    assert all(c["status"] == "pass" for c in reference["checks"]), [c["message"] for c in reference["checks"]]
    assert reference["source"] and reference["dataset"]["checksum"] and reference["worker"]["cpu"]
    [lost] = data["incomplete"]
    assert (lost["student"], lost["experiment"]) == ("example", "exp06") and lost["checks_finished"]
    json.dumps(data, allow_nan=False)



@pytest.mark.e2e  # three grading sessions, one killed
def test_a_killed_session_resumed_ends_as_an_uninterrupted_one_and_grades_nothing_twice(tmp_path):
    key = key_file(tmp_path)
    first = tmp_path / "first.json"
    _killed_once_the_example_has_begun(first, key)
    done_before = [ln for ln in read(journal_path(first)) if ln["kind"] == "check" and ln["student"] == "reference"]

    resumed = tmp_path / "resumed.json"
    proc = _bench(*CLASS, "--key", str(key), "--record", str(resumed), "--resume", str(journal_path(first)),
                  "--no-fail-on-marks")
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert "labmark: resumed (not graded again): reference exp06" in proc.stdout
    assert "PASSED bench/checks/test_exp06_anomaly.py::test_interface[reference]" not in proc.stdout
    data = load(resumed)
    assert [(r["student"], r["experiment"]) for r in data["resumed"]] == [("reference", "exp06")]
    assert data["submissions"]["reference"]["exp06"]["checks"] == [ln["check"] for ln in done_before]  # as they were
    assert "incomplete" not in data

    whole = tmp_path / "whole.json"
    proc = _bench(*CLASS, "--key", str(key), "--record", str(whole), "--no-fail-on-marks")
    assert proc.returncode == 0, proc.stdout[-3000:]
    after, uninterrupted = marks_of(data), marks_of(load(whole))
    assert after.keys() == uninterrupted.keys()
    for name in after:  # speed is timed afresh in each session: its status must match, its credit may not
        assert after[name] == uninterrupted[name] or (name[2] == "speed" and after[name][0] == uninterrupted[name][0]), \
            (name, after[name], uninterrupted[name])

GRADED_UNDER = {"keyed": True, "key_id": "0123456789abcdef", "quick": True, "device": "cpu", "seed": 0,
                "budget_scale": 1.0, "threads": 2, "isolation": "sandbox", "data_dir": None}


@pytest.mark.parametrize("change, taken, why", [
    ({}, True, None),
    ({"submission": "def zscore_detector(series, period):\n    return None\n"}, False, "the submission changed"),
    ({"now": {"key_id": "fedcba9876543210"}}, False, "the grading key differs"),
    ({"now": {"budget_scale": 2.0}}, False, "budget_scale differs (1.0 then, 2.0 now)"),
    ({"then": {"keyed": False, "key_id": None}}, False, "had no --key, so its hidden data cannot be drawn again"),
    ({"harness": "changed"}, False, "the harness's code changed"),
])
def test_a_finished_pair_is_taken_only_when_nothing_that_shapes_its_marks_changed(tmp_path, change, taken, why):
    folder = tmp_path / "subs" / "alice"
    folder.mkdir(parents=True)
    (folder / "exp06_anomaly.py").write_text("def zscore_detector(series, period):\n    return series\n")
    then = submission.find("alice", EXPERIMENTS["exp06"], tmp_path / "subs")
    head = {"settings": {**GRADED_UNDER, **change.get("then", {})},
            "environment": {"harness_sha256": "h1"}}
    path = _journal(tmp_path / "a.journal.jsonl", {("alice", "exp06"): ["interface"]}, finished={("alice", "exp06")},
                    head=head, source=then.to_json())
    if "submission" in change:
        (folder / "exp06_anomaly.py").write_text(change["submission"])
    now = {**GRADED_UNDER, **change.get("now", {})}
    settings = SimpleNamespace(resume=(path,), submissions_dir=tmp_path / "subs", to_json=lambda: now)
    environment = {"harness_sha256": "h2" if "harness" in change else "h1"}
    found, notes = finished_pairs(settings, environment, {("alice", "exp06"), ("bob", "exp06")})
    assert (("alice", "exp06") in found) == taken and ("bob", "exp06") not in found
    assert (why is None and not notes) or any(why in note for note in notes), notes
    if taken:
        assert found[("alice", "exp06")].entry["checks"][0]["name"] == "interface"
