"""--workers N: a class graded in shards at once, each on its own cores, into one record."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from bench import key as key_mod
from bench import shards
from bench.settings import resolve_journals, resolve_workers
from conftest import REPO, marks_of
from conftest import test_key as key_file  # renamed: pytest would collect a test_ name


def test_cores_split_into_disjoint_groups_that_cover_them_all():
    groups = shards.split_cores([0, 1, 2, 3, 4, 6, 7], 3)
    assert groups == [(0, 1, 2), (3, 4), (6, 7)]
    assert shards.split_cores([0, 1], 2) == [(0,), (1,)]


def test_more_workers_than_cores_is_refused_with_the_fix():
    with pytest.raises(ValueError, match=r"--workers 3: this session may use 2 cores \(0-1\).*--workers 2 or fewer"):
        shards.split_cores([0, 1], 3)
    with pytest.raises(pytest.UsageError, match="from 1 to 2"):
        resolve_workers("3", cores=2)
    with pytest.raises(pytest.UsageError, match="expected 'auto' or a whole number"):
        resolve_workers("two", cores=2)
    assert resolve_workers(None, cores=2) == 1 and resolve_workers("2", cores=2) == 2


def test_a_shard_never_conducts_shards_of_its_own(monkeypatch):
    monkeypatch.setenv(shards.SHARD_VARIABLE, "w1")  # as the conductor starts each shard
    assert resolve_workers("2", cores=2) == 1


def test_students_split_evenly_with_the_reference_graded_in_the_first_shard():
    groups = shards.split_students(("reference", "a", "b", "c", "d"), 2)
    assert groups == [("reference", "b", "d"), ("a", "c")]  # each student to the group with the fewest
    assert sorted(s for g in groups for s in g) == ["a", "b", "c", "d", "reference"]
    assert max(map(len, groups)) - min(map(len, groups)) <= 1
    assert shards.split_students(("a", "b", "c"), 2) == [("a", "c"), ("b",)]


def test_a_plan_has_no_more_shards_than_students(tmp_path):
    plan = shards.plan(("reference", "a"), [0, 1, 2, 3], 4, tmp_path / "r.json")
    assert [(s.submissions, s.cores) for s in plan] == [(("reference",), (0, 1)), (("a",), (2, 3))]
    assert plan[1].journal == tmp_path / "r.shards" / "w2.journal.jsonl" and plan[1].log.name == "w2.log"


def test_auto_gives_each_worker_the_cores_and_memory_the_targets_were_measured_with():
    cores, memory_mb = shards.needs()
    assert cores == 2  # every experiment's targets come from 2-thread runs (their sources say so)
    assert shards.auto_workers(2, 10**6) == 1
    assert shards.auto_workers(16, 10**6) == 8
    assert shards.auto_workers(16, 2 * memory_mb) == 2  # memory binds before cores
    assert shards.auto_workers(1, 0) == 1


def test_a_shards_command_line_is_the_conductors_without_the_conductors_own_options(tmp_path):
    shard = shards.Shard(2, ("a", "b"), (1,), tmp_path / "r.shards" / "w2.json")
    args = ["bench", "-k", "exp06", "--workers", "2", "--submission=all", "--quick", "--record", "x.json",
            "--report=out", "--key", "k", "--junitxml", "j.xml", "--resume", "old.shards"]
    out = shards.shard_args(args, shard, Path("/secret/run.key"))
    assert out[:5] == ["bench", "-k", "exp06", "--quick", "--resume"] and "old.shards" in out
    for gone in ("--workers", "2", "--submission=all", "x.json", "--report=out", "k", "j.xml", "--junitxml"):
        assert gone not in out
    assert out[5:] == ["old.shards", "--submission", "a", "--submission", "b", "--record", str(shard.record),
                       "--key", "/secret/run.key", "-p", "no:cacheprovider"]


def test_a_run_key_is_private_to_its_owner_and_gone_after_the_run():
    run_key = shards.RunKey(None)
    path = run_key.path
    assert stat.S_IMODE(path.stat().st_mode) == 0o600 and stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert len(key_mod.read(path)) >= 16
    run_key.discard()
    assert not path.exists() and not path.parent.exists()
    given = shards.RunKey(Path("/instructor/key"))
    given.discard()
    assert given.path == Path("/instructor/key")  # the instructor's key is used as it is, never removed


def test_resume_takes_a_folder_of_journals(tmp_path):
    (tmp_path / "r.shards").mkdir()
    for name in ("w2", "w1"):
        (tmp_path / "r.shards" / f"{name}.journal.jsonl").write_text("")
    (tmp_path / "r.shards" / "w1.log").write_text("")
    assert resolve_journals([str(tmp_path / "r.shards")]) == (tmp_path / "r.shards" / "w1.journal.jsonl",
                                                             tmp_path / "r.shards" / "w2.journal.jsonl")
    (tmp_path / "empty").mkdir()
    with pytest.raises(pytest.UsageError, match="a folder with no journal"):
        resolve_journals([str(tmp_path / "empty")])


def _bench(*args: str, timeout: float = 900) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pytest", "bench", "-p", "no:randomly", *args], cwd=REPO,
                          capture_output=True, text=True, timeout=timeout)


@pytest.mark.skipif(len(os.sched_getaffinity(0)) < 2, reason="needs 2 cores to split")
def test_the_header_says_how_the_cores_were_split(tmp_path):
    out = _bench("--collect-only", "--submission", "reference", "--submission", "example", "-k", "exp06",
                 "--workers", "2", "--record", str(tmp_path / "r.json"))
    assert out.returncode == 0, out.stdout + out.stderr
    cores = sorted(os.sched_getaffinity(0))
    assert f"labmark: 2 workers" in out.stdout
    assert f"w1: {len(shards.split_cores(cores, 2)[0])} core" in out.stdout and "reference | w2:" in out.stdout
    assert "shared by its workers" in out.stdout  # no --key: one made for the run
    assert not (tmp_path / "r.shards").exists()  # collecting only: no worker started


def test_resuming_into_the_record_resumed_from_is_refused(tmp_path):
    (tmp_path / "r.shards").mkdir()
    (tmp_path / "r.shards" / "w1.journal.jsonl").write_text("")
    out = _bench("--collect-only", "-q", "--submission", "reference", "--submission", "example", "-k", "exp06",
                 "--workers", "2", "--record", str(tmp_path / "r.json"), "--resume", str(tmp_path / "r.shards"))
    assert out.returncode == pytest.ExitCode.USAGE_ERROR and "give this run a new --record" in out.stderr



@pytest.mark.e2e  # two grading sessions of four submissions
@pytest.mark.skipif(len(os.sched_getaffinity(0)) < 2, reason="needs 2 cores to split")
def test_workers_grade_a_class_as_a_serial_run_does(tmp_path):
    subs = tmp_path / "subs"
    for name in ("ann", "bob", "cat"):
        (subs / name).mkdir(parents=True)
        (subs / name / "exp06_anomaly.py").write_text((REPO / "submissions/example/exp06_anomaly.py").read_text())
    common = ["--submissions-dir", str(subs), "--submission", "reference", "--submission", "all", "-k", "exp06",
              "--quick", "--key", str(key_file(tmp_path)), "--no-fail-on-marks"]
    serial = _bench(*common, "--record", str(tmp_path / "serial.json"))
    parallel = _bench(*common, "--workers", "2", "--record", str(tmp_path / "par.json"), "--report",
                      str(tmp_path / "report"))
    assert serial.returncode == 0 and parallel.returncode == 0, parallel.stdout[-3000:]
    a, b = (json.loads((tmp_path / f"{n}.json").read_text()) for n in ("serial", "par"))
    assert marks_of(a) == marks_of(b) and len(marks_of(b)) == 4 * len(b["catalog"]["exp06"])
    # The same hidden data everywhere; each worker's reference anchored on its own core.
    checksums = {entry["dataset"]["checksum"] for r in (a, b) for exps in r["submissions"].values()
                 for entry in exps.values()}
    assert len(checksums) == 1
    assert [s["submissions"] for s in b["settings"]["shards"]] == [["reference", "bob"], ["ann", "cat"]]
    assert {e["budget"]["threads"] for exps in b["submissions"].values() for e in exps.values()} == {1}
    # The conductor reported every worker's check as its own, and the report renders from the merged record.
    summary = parallel.stdout.strip().splitlines()[-1]
    statuses = [st for st, _ in marks_of(b).values()]
    failed, skipped = sum(st in ("fail", "error") for st in statuses), statuses.count("skipped")
    assert f"{failed} failed" in summary and f"{statuses.count('pass')} passed" in summary
    assert (f"{skipped} skipped" in summary) == (skipped > 0)
    assert (tmp_path / "report" / "class.html").exists()
    secret = key_file(tmp_path).read_text().strip()
    written = [tmp_path / "par.json", *(Path(s[f]) for s in b["settings"]["shards"] for f in ("record", "log"))]
    assert all(secret not in path.read_text() for path in written)
