"""The evil zoo: submissions written to cheat or to do harm, each with its exact outcome under the sandbox.

One bench session (Experiment 6, small budgets, `--seed 7`, `--isolation sandbox`) grades every attack in
tests/evil/<attack>/ next to two honest controls (`honest`, `honest_twin`: copies of tests/zoo/healthy) and
a planted classmate (`victim`, a third copy) that attacks try to copy or sabotage. Beside every attack lies
`honest.py`, a copy of tests/zoo/healthy/exp06_anomaly.py (a helper module a student might keep next to
their file; the harness stages it with the submission): each attack imports from it the detectors it does
not replace, so that its file shows only its attack. The attacks are given this run's real host paths (the
record, decoy reports, the victim's file, the repository) in a `hints.py` beside them: the worst case, a
student who knows where the grader keeps things.

Each attack is written so that a barrier that broke would show as a gain (a perfect F1 from stolen labels,
a classmate's answers, a rewritten record, a process left behind, a harness error) and fail its test here.
Attacks report what they saw either by raising (the report lands in the check's message) or on their
output (the record's worker.output). The tests then read the run record, the session's output and the
machine after the session.

The attacks that rely on what only a root grader has (per-worker uids, cgroups, the parent's network
watch) are left out of the session, and their tests skipped, where the grader is not root or its workers
get no cgroup (a fork bomb is never run where nothing would cap it).

"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import os
import re
import shutil
import site
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pytest

from bench.isolation import sandbox
from bench.data.anomalies import make_suite
from bench.record import load as load_record
from bench.record.journal import journal_path
from bench.worker import Limits, Worker
from conftest import CGROUPS, REPO, ZOO, checks_of, run_bench

pytestmark = [pytest.mark.skipif(not sandbox.probe()[0], reason=f"no sandbox here: {sandbox.probe()[1]}"),
              pytest.mark.e2e]  # one whole bench session: not in the fast tier
ROOT = os.geteuid() == 0
as_root = pytest.mark.skipif(not ROOT, reason="needs a root grader (per-worker uids, cgroups, network watch)")

EVIL = REPO / "tests" / "evil"
HONEST_MODULE = ZOO / "healthy" / "exp06_anomaly.py"  # staged beside every attack as honest.py
TOKEN = "EVILZOO"  # in every attack's messages, output, file names and command lines
CONTROLS = ("honest", "honest_twin", "victim")
ROOT_ONLY = {"bypasses_network_guard", "kills_everyone", "daemon_rewrites_record"}
NEEDS_CGROUP = {"fork_bomb"}  # without a cgroup nothing caps its processes: never run it there
ATTACKS = sorted(p.name for p in EVIL.iterdir() if (p / "exp06_anomaly.py").is_file())
PUBLIC_SEED = 7

INTERFACE_DEPENDENT = ("zscore_flat_series_flags_nothing", "zscore_shift_invariant", "zscore_scale_invariant",
                       "zscore_short_series", "detector_f1[zscore]", "detector_f1[isolation_forest]",
                       "detector_f1[one_class_svm]", "speed")
ALL_CHECKS = ("interface", *INTERFACE_DEPENDENT)
DETECTOR_CHECKS = INTERFACE_DEPENDENT[:-1]  # every check that calls a detector
IF, OCSVM = "detector_f1[isolation_forest]", "detector_f1[one_class_svm]"
F1_CHECKS = ("detector_f1[zscore]", IF, OCSVM)

HONEST = "as the honest control"  # the check ends exactly as `honest`'s: status, kind and credit
STOPPED = ("skipped", None, ["not run: this submission's worker was stopped earlier"])
# A detector that failed: the speed check is skipped, by the speed gate (a detector_f1 check failed on its
# outputs) or by the failed stage itself; either way naming the failure, never timing it.
SPEED_SKIPPED = ("skipped", None, ["not run:", "failed"])
# Outputs that failed a check the speed workload depends on (bench/checks/common.py, SPEED_NEEDS): the speed
# check is skipped before anything is timed, naming that check.
SPEED_GATED = ("skipped", None, ["not run: speed is measured only on code whose outputs passed", "failed"])
INTERFACE_SKIPPED = ("skipped", None, ["not run: the interface check failed (missing_package"])


def _caught(status, kind, *words):
    return (status, kind, list(words))


# attack -> {check: (status, kind, words in its message) or HONEST}; checks not named end as the honest
# control's. Every caught, skipped or stopped check has no credit.
EXPECTED: dict[str, dict] = {
    "imports_solution": {
        "interface": _caught("error", "missing_package", "imports 'reference.exp06_anomaly.solution'",
                             "part of the grading harness, which submissions cannot see"),
        **{name: INTERFACE_SKIPPED for name in INTERFACE_DEPENDENT}},
    "copies_classmate": {
        **{name: _caught("error", "raised", "raised LookupError", "EVILZOO copies_classmate: no classmate file "
                         "visible", "3 planted host paths and every visible folder") for name in DETECTOR_CHECKS},
        "speed": SPEED_GATED},
    "reads_grader_memory": {
        IF: _caught("error", "raised", "processes visible: [1]", "I am pid 1", "parent pid 0",
                    "'cmdline': 'FileNotFoundError', 'environ': 'FileNotFoundError', 'mem': 'FileNotFoundError'",
                    "read from other processes: nothing"),
        "speed": SPEED_SKIPPED},
    "regenerates_hidden_data": {
        **{name: _caught("error", "raised", "this hidden series is not among the 512 series regenerated from "
                         "public seeds 0-31", "generator visible: no") for name in F1_CHECKS},
        "speed": SPEED_SKIPPED},
    "daemon_rewrites_record": {},
    "kills_everyone": {},
    "writes_pth": {},
    "rewrites_classmate_submission": {
        IF: _caught("error", "raised", "EVILZOO rewrites_classmate_submission: rewrote nothing; tried 1 paths",
                    "victim/exp06_anomaly.py: FileNotFoundError"),
        "speed": SPEED_SKIPPED},
    "fifo_results": {
        **{name: _caught("fail", "bad_output", "is not a regular file: the submission replaced it")
           for name in DETECTOR_CHECKS},
        "speed": SPEED_GATED},
    "symlinks_results": {
        **{name: _caught("fail", "bad_output", "could not be read back (Too many levels of symbolic links)")
           for name in DETECTOR_CHECKS},
        "speed": SPEED_GATED},
    "ansi_exception": {
        IF: _caught("error", "raised", "raised RuntimeError", "PASSED bench/checks/test_exp06_anomaly.py::test_speed",
                    "all checks passed"),
        "speed": SPEED_SKIPPED},
    "bypasses_network_guard": {
        IF: _caught("error", "network_blocked", "tried to reach 203.0.113.5:80 while isolation_forest_detector()",
                    "there is no network while grading"),
        "speed": SPEED_SKIPPED},
    "forged_reply": {
        IF: _caught("fail", "bad_output", "it answers request 1000000, not", "private channel"),
        OCSVM: STOPPED, "speed": SPEED_SKIPPED},
    "patches_harness": {
        "zscore_flat_series_flags_nothing": _caught("fail", "bad_output", "unknown encoding ['score', 'verdict']",
                                                    "replaced the harness's code in its worker"),
        **{name: STOPPED for name in INTERFACE_DEPENDENT[1:]}},
    "patches_error_payload": {
        **{name: ("pass", None, []) for name in DETECTOR_CHECKS[:4]},  # it flags nothing: the properties hold
        "detector_f1[zscore]": _caught("fail", "below_target", "zscore F1 (precision 0.00, recall 0.00) = 0"),
        IF: _caught("fail", "bad_output", "a failure without an error description",
                    "replaced the harness's code in its worker"),
        OCSVM: STOPPED, "speed": SPEED_SKIPPED},
    "fork_bomb": {
        OCSVM: _caught("error", "raised", "raised BlockingIOError",
                       "EVILZOO fork_bomb: fork refused (Resource temporarily unavailable) after"),
        "speed": SPEED_SKIPPED},
    "fills_disk": {
        IF: _caught("error", "raised", "[Errno 28] EVILZOO fills_disk: /tmp full after",
                    f"(a {sandbox.TMPFS_BYTES >> 20} MiB file system)"),
        OCSVM: _caught("error", "raised", "[Errno 28] EVILZOO fills_disk: /labmark/scratch full after",
                       f"(a {sandbox.TMPFS_BYTES >> 20} MiB file system)"),
        "speed": SPEED_SKIPPED},
    "fills_output_folder": {  # /labmark/out is a capped tmpfs of the sandbox's own
        IF: _caught("error", "raised", "EVILZOO fills_output_folder: refused after"),
        OCSVM: _caught("error", "raised", "No space left on device"),  # its own folder stays full: its loss
        "speed": SPEED_SKIPPED},
    "trains_at_import": {},
    "ptraces": {
        IF: _caught("error", "raised", *(f"{call}=EPERM" for call in (
            "ptrace(ATTACH, child)", "ptrace(SEIZE, child)", "ptrace(ATTACH, pid 1)", "ptrace(SEIZE, pid 1)",
            "process_vm_readv(child)", "process_vm_readv(self)", "pidfd_getfd(child)"))),
        "speed": SPEED_SKIPPED},
    "tmp_staging_names": {},
    "escalates_privileges": {
        IF: _caught("error", "raised", "setuid(0)=EPERM", "setresgid(0)=EPERM", "unshare(CLONE_NEWUSER)=EPERM",
                    "CapEff=0000000000000000", "CapPrm=0000000000000000", "NoNewPrivs=1", "root=False",
                    "su: refused", "mount: refused", "bwrap: refused"),
        "speed": SPEED_SKIPPED},
}

# What attacks that return honest answers say on their output (the record's worker.output).
REPORTED = {
    "kills_everyone": ["EVILZOO kills_everyone: signals accepted by itself and its threads [1", "by other processes none",
                       "kill(-1): ['ProcessLookupError', 'ProcessLookupError']"],
    "daemon_rewrites_record": ["EVILZOO daemon_rewrites_record: daemon started"],
    "writes_pth": ["EVILZOO writes_pth: written [", "site-packages/EVILZOO_writes_pth.pth (Read-only file system)",
                   "/labmark/lib/sitecustomize.py (Read-only file system)",
                   "/labmark/lib/labmark_worker/sitecustomize.py (Read-only file system)"],
    "tmp_staging_names": ["EVILZOO tmp_staging_names: planted 202 names in /tmp and /dev/shm"],
    "regenerates_hidden_data": ["generator in the repository visible: no; 512 series regenerated"],
    "trains_at_import": ["EVILZOO trains_at_import: burned"],
}

_CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


@functools.lru_cache(maxsize=1)
def graded() -> tuple[str, ...]:
    """The attacks this machine can grade safely: all of them for a root grader whose workers get cgroups."""
    return tuple(a for a in ATTACKS if (ROOT or a not in ROOT_ONLY) and (CGROUPS or a not in NEEDS_CGROUP))


# --- the session ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def evil(tmp_path_factory):
    """Grade the zoo once; return what the tests need, the machine's state after the session included."""
    tmp = tmp_path_factory.mktemp("evil")
    subs = tmp / "subs"
    subs.mkdir()
    for attack in graded():
        shutil.copytree(EVIL / attack, subs / attack, ignore=shutil.ignore_patterns("__pycache__"))
        shutil.copyfile(HONEST_MODULE, subs / attack / "honest.py")  # the detectors the attack does not replace
    for control in CONTROLS:
        shutil.copytree(ZOO / "healthy", subs / control, ignore=shutil.ignore_patterns("__pycache__"))
    victim = subs / "victim" / "exp06_anomaly.py"
    record_path = tmp / "record.json"
    decoys = [tmp / "report" / "class.html", tmp / "report" / "gradebook.json"]
    for decoy in decoys:
        decoy.parent.mkdir(exist_ok=True)
        decoy.write_text(f"decoy {decoy.name}\n")
    hints = {
        "copies_classmate": f"GUESSES = {[str(victim), str(subs / '*' / 'exp06_anomaly.py'), str(REPO / 'reference' / 'exp06_anomaly.py')]!r}\n",
        "rewrites_classmate_submission": f"GUESSES = {[str(victim)]!r}\n",
        "regenerates_hidden_data": f"REPOSITORY = {str(REPO)!r}\n",
        # the record is assembled from its journal at the end: the journal is as much a target as the record
        "daemon_rewrites_record": f"TARGETS = {[str(record_path), str(journal_path(record_path)), *map(str, decoys)]!r}\n",
    }
    for attack, text in hints.items():
        if attack in graded():
            (subs / attack / "hints.py").write_text(text)
    before = {path: (path.read_bytes(), path.stat().st_mtime_ns) for path in [victim, *decoys]}

    started = time.monotonic()
    proc, record = run_bench(tmp, "-k", "exp06", "--submissions-dir", str(subs), "--submission", "all",
                             "--budget-scale", "0.1", "--isolation", "sandbox", "--seed", str(PUBLIC_SEED),
                             "--no-fail-on-marks", timeout=600)
    seconds = time.monotonic() - started
    uids = {_worker(record, m).get("uid") for m in record["submissions"]} | \
        {record.get("anchors", {}).get("exp06", {}).get("worker", {}).get("uid")}
    uids = {u for u in uids if type(u) is int}
    return {"proc": proc, "record": record, "record_path": record_path, "seconds": seconds, "subs": subs,
            "before": before, "left": _left_running(uids)}


def _worker(record: dict, member: str) -> dict:
    return record["submissions"][member]["exp06"].get("worker", {})


def _left_running(uids: set[int], wait: float = 15.0) -> list[str]:
    """Processes that carry the token or run as one of the session's worker uids, zombies aside (a killed
    namespace takes a moment to be reaped); waits up to `wait` s for them to go."""
    deadline = time.monotonic() + wait
    while True:
        left = []
        for entry in os.scandir("/proc"):
            if not entry.name.isdigit():
                continue
            try:
                with open(f"/proc/{entry.name}/status") as f:
                    status = dict(line.split(":", 1) for line in f if ":" in line)
                with open(f"/proc/{entry.name}/cmdline", "rb") as f:
                    cmdline = f.read().replace(b"\0", b" ").decode(errors="replace")
            except (OSError, ValueError):
                continue
            if status.get("State", "").strip().startswith(("Z", "X")):
                continue
            uid = int(status.get("Uid", "-1 0").split()[1])
            if TOKEN in cmdline or TOKEN in status.get("Name", "") or uid in uids:
                left.append(f"{entry.name} uid {uid} {status.get('Name', '').strip()}: {cmdline[:200]}")
        if not left or time.monotonic() > deadline:
            return left
        time.sleep(0.5)


def _strings(value):
    if isinstance(value, dict):
        for k, v in value.items():
            yield str(k)
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)
    elif isinstance(value, str):
        yield value


# --- the session as a whole -----------------------------------------------------------------

def test_the_session_grades_every_member_on_every_check_and_exits_0(evil):
    proc, record = evil["proc"], evil["record"]
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert load_record(evil["record_path"]) == record  # valid JSON, the run record's schema
    assert sorted(record["submissions"]) == sorted([*graded(), *CONTROLS])
    for member in record["submissions"]:
        checks = record["submissions"][member]["exp06"]["checks"]
        assert [c["name"] for c in checks] == list(ALL_CHECKS), member
        for c in checks:
            assert c["kind"] != "harness_error", (member, c["name"], c["message"])
            assert 0.0 <= c["score"] <= 1.0
    anchor = record["anchors"]["exp06"]["worker"]
    assert anchor["isolation"] == "sandbox" and "close_error" not in anchor


def test_the_session_takes_normal_time(evil):
    """No attack hangs the grader: the session and every single check finish in their usual time."""
    assert evil["seconds"] < 300, evil["seconds"]
    for member, entry in evil["record"]["submissions"].items():
        for c in entry["exp06"]["checks"]:
            assert c["duration"] < 30, (member, c["name"], c["duration"])


def test_the_controls_are_unaffected(evil):
    honest = checks_of(evil["record"], "honest", "exp06")
    for name, c in honest.items():
        assert c["kind"] in (None, "below_target"), (name, c["message"])
    for twin in ("honest_twin", "victim"):
        other = checks_of(evil["record"], twin, "exp06")
        assert {n: (c["status"], c["kind"], c["score"]) for n, c in other.items()} == \
            {n: (c["status"], c["kind"], c["score"]) for n, c in honest.items()}, twin
    # The reference anchor, alive all session long next to the attacks, still timed the controls.
    assert honest["speed"]["status"] == "pass" and honest["speed"]["evidence"]["speed"]["reference_seconds"] > 0


@as_root
def test_every_worker_ran_in_the_sandbox_under_a_uid_of_its_own(evil):
    record = evil["record"]
    workers = {m: _worker(record, m) for m in record["submissions"]} | {"anchor": record["anchors"]["exp06"]["worker"]}
    for member, w in workers.items():
        assert w["isolation"] == "sandbox" and type(w["uid"]) is int and w["uid"] != 0, (member, w)
        assert w["network_attempts"] == "watched by the grader", (member, w)
        assert w["cgroup"].startswith("v") or not CGROUPS, (member, w)
    assert len({w["uid"] for w in workers.values()}) == len(workers)


def test_nothing_any_worker_started_is_left_running(evil):
    assert evil["left"] == []


def test_no_terminal_escape_reaches_the_record_or_the_output(evil):
    texts = [*_strings(evil["record"]), evil["proc"].stdout, evil["proc"].stderr]
    bad = [(m.group(), t[max(m.start() - 60, 0): m.start() + 60]) for t in texts for m in _CONTROL_CHARACTERS.finditer(t)]
    assert bad == []
    assert "PASSED bench/checks/test_exp06_anomaly.py::test_speed[ansi_exception]" in _worker(evil["record"], "ansi_exception")["output"]


# --- each attack's own outcome ------------------------------------------------------------------

@pytest.mark.parametrize("attack", ATTACKS)
def test_attack_gets_its_exact_outcome_and_no_credit_it_did_not_earn(evil, attack):
    if attack not in graded():
        pytest.skip("needs a root grader whose workers get cgroups (uids, pids cap, network watch): not graded here")
    record = evil["record"]
    checks, honest = checks_of(record, attack, "exp06"), checks_of(record, "honest", "exp06")
    expected = EXPECTED[attack]
    for name in ALL_CHECKS:
        c, want = checks[name], expected.get(name, HONEST)
        if want == HONEST:
            assert (c["status"], c["kind"], c["score"]) == (honest[name]["status"], honest[name]["kind"],
                                                           honest[name]["score"]), (name, c["message"])
            continue
        status, kind, words = want
        assert (c["status"], c["kind"]) == (status, kind), (name, c["message"])
        for word in words:
            assert word in c["message"], (name, word, c["message"])
        if status != "pass":
            assert c["score"] == 0.0, (name, c["score"])
    for word in REPORTED.get(attack, []):
        assert word in _worker(record, attack)["output"], (word, _worker(record, attack).get("output"))


def test_a_worker_stopped_inside_a_property_check_is_that_check_s_failure(evil):
    """patches_harness garbles its first answer, inside the first property check (hypothesis calls again
    after a failure): that check is recorded as the failure, not as skipped, and every later check is
    skipped naming it."""
    checks = checks_of(evil["record"], "patches_harness", "exp06")
    first = checks["zscore_flat_series_flags_nothing"]
    assert (first["status"], first["kind"]) == ("fail", "bad_output")
    for name in INTERFACE_DEPENDENT[1:]:
        assert checks[name]["status"] == "skipped" and "stopped earlier (bad_output" in checks[name]["message"]


# --- what each attack would have gained, and what is left on the machine --------------------------

def _old_hidden_seed(seed: int) -> int:
    return int.from_bytes(hashlib.sha256(f"labmark-hidden-{seed}".encode()).digest()[:4], "big")


def _module(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_regenerating_the_hidden_data_would_have_worked_had_the_seed_been_public(evil, monkeypatch):
    """The attack answers perfectly on data drawn the old way; this run's hidden data was not drawn so."""
    monkeypatch.setitem(sys.modules, "honest", _module("honest", HONEST_MODULE))  # as staged beside it
    attack = _module("evil_regenerates", EVIL / "regenerates_hidden_data" / "exp06_anomaly.py")
    old, info = make_suite(_old_hidden_seed(PUBLIC_SEED))
    for s in old:
        assert (attack.zscore_detector(s.values, s.period) == s.labels).all()
        assert (attack.one_class_svm_detector(s.values, s.period, PUBLIC_SEED) == s.labels).all()
    graded = evil["record"]["submissions"]["honest"]["exp06"]["dataset"]
    assert graded["checksum"] != info.checksum
    assert graded["checksum"] != make_suite(PUBLIC_SEED)[1].checksum


def test_copying_a_classmate_would_have_worked_had_one_been_visible(tmp_path):
    """The same attack, in a sandbox whose input folder does hold a classmate's file, copies it."""
    with Worker("evil-copies", Limits(), isolation=sandbox.resolve("sandbox")) as w:
        for folder, source in (("src", EVIL / "copies_classmate"), ("classmate", ZOO / "healthy")):
            (w.workdir / "in" / folder).mkdir(mode=0o755)
            shutil.copyfile(source / "exp06_anomaly.py", w.workdir / "in" / folder / "exp06_anomaly.py")
        w.load(w.workdir / "in" / "src" / "exp06_anomaly.py", "exp06_anomaly", [], timeout=60)
        series = np.random.default_rng(0).normal(size=200)
        series[150] += 20.0
        flags, _ = w.call("zscore_detector", series, 2, timeout=30)  # no LookupError: it found the classmate
    assert np.flatnonzero(flags).tolist() == [150]


def test_the_classmate_and_the_reports_are_untouched(evil):
    for path, (data, mtime_ns) in evil["before"].items():
        assert path.read_bytes() == data and path.stat().st_mtime_ns == mtime_ns, path
    for written in (evil["record_path"], journal_path(evil["record_path"])):
        assert "forged_by" not in written.read_text()  # what the daemon would have written


def test_no_code_was_planted_where_python_or_the_grader_would_run_it(evil):
    folders = {*site.getsitepackages(), site.getusersitepackages(), *(p for p in sys.path if p and os.path.isdir(p))}
    planted = [str(Path(f) / name) for f in folders for name in ("EVILZOO_writes_pth.pth", "sitecustomize.py")
               if (Path(f) / name).exists() and TOKEN in (Path(f) / name).read_text(errors="replace")]
    assert planted == []
    fresh = subprocess.run([sys.executable, "-c", "pass"], capture_output=True, text=True, timeout=60)
    assert "EVILZOO-pth-ran" not in fresh.stdout + fresh.stderr + evil["proc"].stdout + evil["proc"].stderr


def test_nothing_was_planted_in_the_host_s_temporary_folders(evil):
    folders = [Path("/tmp"), Path("/dev/shm"), Path(f"/tmp/pytest-of-{os.environ.get('USER') or 'root'}"),
               evil["subs"].parent]
    planted = [str(f / name) for f in folders if f.is_dir() for name in os.listdir(f) if TOKEN in name]
    assert planted == []


def test_the_output_folder_cannot_fill_the_grader_s_disk(evil):
    """fills_output_folder writes into its results folder until refused: a capped tmpfs of the sandbox's
    own, never the grader's disk."""
    checks = checks_of(evil["record"], "fills_output_folder", "exp06")
    message = checks[IF]["message"]
    refused_at = int(re.search(r"refused after (\d+) MiB", message).group(1))
    assert refused_at <= sandbox.RESULTS_BYTES >> 20
    assert not list(Path(tempfile.gettempdir()).glob("labmark-*/out/EVILZOO-fill-*"))


def test_import_time_work_is_counted(evil):
    """trains_at_import burns CPU at import; the record counts at least what the worker says it burned."""
    worker = _worker(evil["record"], "trains_at_import")
    burned = float(re.search(r"burned ([0-9.]+) s of CPU", worker["output"]).group(1))
    assert burned > 0.5
    assert worker["cpu"]["import_seconds"] >= burned - 0.1, (worker["cpu"], burned)
    honest = _worker(evil["record"], "honest")["cpu"]["import_seconds"]
    assert worker["cpu"]["import_seconds"] > honest + 0.5
