"""The labmark pytest plugin: `pytest bench --submission=NAME`.

Loaded by the root conftest. It resolves the options once (bench.settings),
parametrizes every check by submission, keeps one `SubmissionRun` per
(student, experiment) alive exactly as long as its checks run, turns each
check's outcome into a record entry, journals each as it ends (bench/record/journal.py), and
assembles the run record from that journal at the end.

The pytest process never imports student code; see bench/worker.py.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Callable

import pytest

from reference import Experiment, module_path

from .checks import catalog
from . import check as check_mod
from .checks import common as common_checks
from . import settings as settings_mod
from .check import Check
from .record import CheckResult, Entry, RunRecord, environment, now
from .record import write as write_record
from .record.journal import Journal, JournalError, assemble, journal_path
from .progress import Progress
from .resume import Finished, finished_pairs
from . import host
from . import shards as shards_mod
from .runner import SubmissionRun
from .settings import Settings
from .submission import REFERENCE
from .text import clean_text

HARNESS = pytest.StashKey["Harness"]()
RECORDED_MARKERS = ("speed",)  # what a check is, as grading may need it (speed: timed against the reference)
CHECK = pytest.StashKey[Check]()
_SETUP_SECONDS = pytest.StashKey[float]()


class Harness:
    """Session-wide state: settings, the record, live runs, cached hidden data."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.record = RunRecord(settings.to_json(), environment(settings.isolation, settings.device))
        self.runs: dict[tuple[str, str], SubmissionRun] = {}
        self.harness_failures = 0  # failures that are not a submission losing marks
        self.checking = ""  # the check running now (its record name): it owns the stages it runs
        self.catalog: dict[str, list[str]] = {}  # experiment -> all its checks, as collected
        self.journal: Journal | None = None  # opened once there are checks to run
        self.remaining: dict[tuple[str, str], int] = {}  # (student, experiment) -> its checks not yet ended
        self._journalled: set[tuple[str, str]] = set()
        self.resumed: dict[tuple[str, str], Finished] = {}  # pairs taken from an earlier session's journal
        self.resume_notes: list[str] = []
        self._anchors: set[tuple[str, str]] = set()  # runs that only time the reference for speed ratios
        self._cache: dict[str, object] = {}
        self.recorded_speed: set[str] = set()  # experiments whose speed ratios divide by a recorded figure
        # With --workers N: the shards this session conducts (it then grades nothing itself), and their key.
        self.shards: list[shards_mod.Shard] = []
        self.shard_key: shards_mod.RunKey | None = None
        self.progress: Progress | None = None  # once the checks are collected, for a session that grades
        if settings.workers > 1:
            cores = host.usable_cores()
            planned = shards_mod.plan(settings.submissions, cores, settings.workers, settings.record_path)
            self.shards = planned if len(planned) > 1 else []

    def run(self, student: str, experiment: Experiment) -> SubmissionRun:
        key = (student, experiment.id)
        if key not in self.runs:
            entry = self.record.experiment(student, experiment.id)
            self.runs[key] = SubmissionRun(student, experiment, self.settings, entry, self._checking)
            if self.progress is not None:
                self.runs[key].on_training = lambda fn, seconds: self.progress.training(key, fn, seconds)
        return self.runs[key]

    def _checking(self) -> str:
        return self.checking

    def anchor(self, experiment: Experiment) -> SubmissionRun:
        """The reference's run in this session: the speed anchor for ratios.

        When the reference is not itself being graded, its figures are kept
        under "anchors" in the record rather than as a graded submission.
        """
        key = (REFERENCE, experiment.id)
        if key not in self.runs and (REFERENCE not in self.settings.submissions or key in self.resumed):
            entry = self.record.data.setdefault("anchors", {}).setdefault(experiment.id, Entry())
            self.runs[key] = SubmissionRun(REFERENCE, experiment, self.settings, entry, self._checking)
            self._anchors.add(key)
        return self.run(REFERENCE, experiment)

    def reference_figure(self, experiment: Experiment, measure: Callable[[SubmissionRun], object]) -> object:
        """measure(the reference's run in this session): what a speed ratio divides by. Where this installation
        has no reference solution (a student kit), the figure the reference's speed check recorded on the grading
        machine for this budget instead (Experiment.reference_speed), and the ratio says it is approximate."""
        if module_path(experiment).exists():
            return measure(self.anchor(experiment))
        budget = "quick" if self.settings.quick else "full"
        if budget not in experiment.reference_speed:
            pytest.skip(f"not run: this installation has no reference solution to time (a student kit), and "
                        f"{experiment.id} has no reference speed recorded for the {budget} budget; the official "
                        "speed ratio comes from the instructor's run")
        self.recorded_speed.add(experiment.id)
        return experiment.reference_speed[budget]

    def cached(self, key: str, make: Callable[[], object]):
        if key not in self._cache:
            self._cache[key] = make()
        return self._cache[key]

    def close(self, keep: Callable[[SubmissionRun], bool] = lambda r: False) -> None:
        for key, run in list(self.runs.items()):
            if not keep(run):
                run.close()
                self._journal_entry(key, run)

    def open_journal(self, items: list[pytest.Item]) -> None:
        for item in items:
            key = _key(item)
            if key is not None:
                self.remaining[key] = self.remaining.get(key, 0) + 1
        if not self.remaining:
            return  # nothing to grade (e.g. `pytest tests`)
        self.journal = Journal(journal_path(self.settings.record_path))
        head = {k: self.record.data[k] for k in ("schema", "run_id", "started", "settings", "environment")}
        self.journal.write("run", **head)
        self.journal.write("catalog", catalog=self.record.data.get("catalog", {}))
        for key, done in self.resumed.items():  # copied, so that this journal alone holds the whole run
            for check in done.entry["checks"]:
                self.journal.write("check", student=key[0], experiment=key[1], check=check)
            self.journal.write("entry", student=key[0], experiment=key[1],
                               entry={k: v for k, v in done.entry.items() if k != "checks"})
            self.journal.write("resumed", student=key[0], experiment=key[1], run_id=done.run_id,
                               journal=str(done.journal))
            self.record.data["submissions"].setdefault(key[0], {})[key[1]] = Entry.from_json(done.entry)
            self._journalled.add(key)

    def resume(self, items: list[pytest.Item]) -> list[pytest.Item]:
        """The items still to run: those of pairs an earlier session's journal finished are left out."""
        wanted = {key for item in items if (key := _key(item)) is not None}
        try:
            self.resumed, self.resume_notes = finished_pairs(self.settings, self.record.data["environment"], wanted)
        except (JournalError, OSError) as exc:
            raise pytest.UsageError(f"labmark: --resume: {exc}") from None
        return [item for item in items if _key(item) not in self.resumed]

    def journal_check(self, key: tuple[str, str], result: CheckResult) -> None:
        self.remaining[key] = self.remaining.get(key, 0) - 1
        if self.journal is not None:
            self.journal.write("check", student=key[0], experiment=key[1], check=result)
        if self.remaining[key] == 0 and self.progress is not None:  # its last check (the anchor may stay up)
            self.progress.finish(key, self.record.experiment(*key).checks)

    def _journal_entry(self, key: tuple[str, str], run: SubmissionRun) -> None:
        """A closed run's entry (without its checks, journalled already), once: a graded pair whose checks have
        all ended, or the reference's speed anchor."""
        if self.journal is None or key in self._journalled:
            return
        entry = {k: v for k, v in run.entry.to_json().items() if k != "checks"}
        if key in self._anchors:
            self.journal.write("anchor", experiment=key[1], entry=entry)
        elif self.remaining.get(key, 0) <= 0:
            self.journal.write("entry", student=key[0], experiment=key[1], entry=entry)
        else:
            return  # stopped with checks still to run (the session was interrupted): left incomplete
        self._journalled.add(key)


def harness_of(config: pytest.Config) -> Harness:
    return config.stash[HARNESS]


# --- options and session ------------------------------------------------------------

def pytest_addoption(parser: pytest.Parser) -> None:
    settings_mod.add_options(parser)


def pytest_configure(config: pytest.Config) -> None:
    h = config.stash[HARNESS] = Harness(settings_mod.resolve(config))
    overwritten = {s.journal.resolve() for s in h.shards} & {p.resolve() for p in h.settings.resume}
    if overwritten:
        raise pytest.UsageError(f"--resume {', '.join(map(str, sorted(overwritten)))}: this run's workers would write "
                                "their journals over the ones it resumes from. Fix: give this run a new --record.")


def pytest_report_header(config: pytest.Config) -> list[str]:
    h = harness_of(config)
    return h.settings.header() + _shards_header(h)


def _shards_header(h: Harness) -> list[str]:
    if h.settings.workers > 1 and not h.shards:
        return [f"labmark: --workers {h.settings.workers}: one submission only, so graded here on every core"]
    if not h.shards:
        return []
    want = shards_mod.needs()[0]
    lines = [f"labmark: {len(h.shards)} workers, the cores split between them (each times its own reference for "
             f"speed ratios): " + " | ".join(s.describe() for s in h.shards)]
    short = [s.name for s in h.shards if len(s.cores) < want]
    if short:
        lines.append(f"labmark: WARNING: {', '.join(short)} ha{'s' if len(short) == 1 else 've'} fewer cores than the "
                     f"{want} threads the targets were measured with: time-bound results can fall below targets a "
                     f"serial run meets. Fix: fewer workers (--workers auto).")
    if not host.can_pin():
        lines.append("labmark: WARNING: this platform cannot keep a process to chosen cores: the workers share "
                     "every core, and speed ratios compare runs that competed for them.")
    if not h.settings.keyed:
        lines.append("labmark: hidden data: drawn afresh for this run and shared by its workers (through a key made "
                     "for this run, deleted after it)")
    lines.append(f"labmark: workers' records, journals and logs: {shards_mod.shards_dir(h.settings.record_path)}")
    return lines


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "submission" in metafunc.fixturenames and hasattr(metafunc.module, "EXPERIMENT"):
        names = harness_of(metafunc.config).settings.submissions
        metafunc.parametrize("submission", names, ids=names)
        common_checks.parametrize(metafunc)


class ExperimentChecks(pytest.Module):
    """An experiment's check module, with the shared checks (bench/checks/common.py) around its own."""

    def collect(self):
        own = super().collect()
        if not hasattr(self.obj, "EXPERIMENT"):
            return own
        first, last = common_checks.shared_checks(self.obj)
        items = self._shared(first) + own + self._shared(last)
        # Every check this experiment has, selected or not: the record's catalog, which grading reads.
        harness_of(self.config).catalog[self.obj.EXPERIMENT.id] = catalog.module_check_names(self.obj)
        return items

    def _shared(self, checks) -> list:
        items = []
        for name, function in checks:
            if vars(self.obj).get(name, function) is not function:  # set by us on an earlier collection: fine
                raise self.CollectError(
                    f"{self.path.name} defines {name}, a check every experiment shares (bench/checks/common.py). "
                    "Remove it: the shared one runs for this experiment too.")
            setattr(self.obj, name, function)  # pytest finds a check's function on its module
            made = self.ihook.pytest_pycollect_makeitem(collector=self, name=name, obj=function)
            items.extend(made if isinstance(made, list) else [made] if made is not None else [])
        return items


def pytest_pycollect_makemodule(module_path: Path, parent: pytest.Collector) -> pytest.Module | None:
    if module_path.name.startswith("test_exp"):
        return ExperimentChecks.from_parent(parent, path=module_path)
    return None


def _key(item: pytest.Item) -> tuple[str, str] | None:
    callspec = getattr(item, "callspec", None)
    experiment = getattr(item.module, "EXPERIMENT", None) if hasattr(item, "module") else None
    if callspec is None or "submission" not in callspec.params or experiment is None:
        return None
    return callspec.params["submission"], experiment.id


def pytest_collection_finish(session: pytest.Session) -> None:
    """The catalog of checks goes into the record (grading reads it there), and the rubric is checked against
    it now, before hours of grading, not after: a check no criterion counts, or an experiment without
    criteria, stops the session here."""
    h = harness_of(session.config)
    if not h.catalog:
        return  # no experiment's checks collected (e.g. `pytest tests`)
    h.record.data["catalog"] = dict(sorted(h.catalog.items()))
    from grading.config import ConfigError, load_course, load_rubric

    try:
        load_rubric(load_course(), catalog=h.record.data["catalog"])
    except ConfigError as exc:
        raise pytest.UsageError(f"labmark: the rubric does not fit the checks: {exc}") from None
    if session.config.option.collectonly:
        return
    pair_of = {item.nodeid: key for item in session.items if (key := _key(item)) is not None}
    h.progress = Progress(list(dict.fromkeys(pair_of.values())), h.settings.quick, h.settings.budget_scale,
                          workers=max(1, len(h.shards)), write=_progress_writer(session.config))
    if not h.shards:  # a conductor follows its workers' journals instead, and keeps none of its own
        h.progress.follow(pair_of)
        session.config.pluginmanager.register(h.progress, "labmark-progress")
        h.open_journal(session.items)


def _progress_writer(config: pytest.Config) -> Callable[[str], None]:
    """Progress lines, on the terminal even while a check's output is captured; none with -q."""
    terminal = config.pluginmanager.get_plugin("terminalreporter")
    capture = config.pluginmanager.get_plugin("capturemanager")

    def write(line: str) -> None:
        if terminal is None or config.option.verbose < 0:
            return
        if capture is not None:
            with capture.global_and_fixture_disabled():
                terminal.write_line(line)
        else:
            terminal.write_line(line)
    return write


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Group each student's checks of an experiment together, the reference first, in file order.

    A student's worker then lives only while their checks run, and the
    reference's speed figures exist before anyone is compared with them.
    """
    order = {name: i for i, name in enumerate(harness_of(config).settings.submissions)}
    modules: dict[str, int] = {}
    for item in items:
        modules.setdefault(item.nodeid.split("::")[0], len(modules))

    def rank(indexed):
        i, item = indexed
        key = _key(item)
        return (modules[item.nodeid.split("::")[0]], order.get(key[0], -1) if key else -1, i)

    items[:] = [item for _, item in sorted(enumerate(items), key=rank)]
    h = harness_of(config)
    if h.settings.resume and not h.shards:  # with workers, each worker resumes its own students
        kept = h.resume(items)
        left_out = {id(item) for item in kept}
        config.hook.pytest_deselected(items=[item for item in items if id(item) not in left_out])
        items[:] = kept


def pytest_report_collectionfinish(config: pytest.Config, start_path, items: list[pytest.Item]) -> list[str]:
    h = harness_of(config)
    if not h.settings.resume or h.shards:
        return []
    taken = ", ".join(f"{s} {e}" for s, e in sorted(h.resumed)) or "none"
    return [f"labmark: resumed (not graded again): {taken}", *(f"labmark: {note}" for note in h.resume_notes)]


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    if _key(item) is not None:
        harness_of(item.config).checking = _check_name(item)


@pytest.hookimpl(trylast=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> None:
    key = _key(item)
    if key is None:
        return
    h = harness_of(item.config)
    next_key = _key(nextitem) if nextitem is not None else None
    if next_key is None or next_key[1] != key[1]:
        h.close(keep=lambda r: r.experiment.id != key[1])  # the experiment is done: close all its runs
    elif next_key != key and key[0] != REFERENCE:
        h.close(keep=lambda r: (r.student, r.experiment.id) != key)  # the anchor stays for the others


@pytest.hookimpl(tryfirst=True)
def pytest_runtestloop(session: pytest.Session) -> bool | None:
    """With --workers: run the shards instead of the checks, reporting each of their checks as it ends."""
    h = harness_of(session.config)
    if not h.shards or session.config.option.collectonly:
        return None
    if session.testsfailed and not session.config.option.continue_on_collection_errors:
        return None  # pytest's own loop stops the session over the collection errors
    items = {item.nodeid: item for item in session.items}
    terminal = session.config.pluginmanager.get_plugin("terminalreporter")

    def on_exit(running: shards_mod.Running) -> None:
        code = running.proc.returncode
        if code not in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED, pytest.ExitCode.NO_TESTS_COLLECTED):
            h.harness_failures += 1
            session.testsfailed += 1
            if terminal is not None:
                terminal.write_line(f"labmark: worker {running.shard.name} stopped with exit status {code}; the end "
                                    f"of its log ({running.shard.log}):\n{running.log_tail()}", red=True)

    h.shard_key = shards_mod.RunKey(Path(session.config.getoption("key")) if h.settings.keyed else None)
    try:
        shards_mod.conduct(session, h.shards, h.shard_key.path,
                           lambda shard, line: _follow_shard(session.config, items, line), on_exit)
    finally:
        h.shard_key.discard()
    if session.shouldfail:
        raise session.Failed(session.shouldfail)
    if session.shouldstop:
        raise session.Interrupted(session.shouldstop)
    return True


def _follow_shard(config: pytest.Config, items: dict[str, pytest.Item], line: dict) -> None:
    """One line of a worker's journal: its checks reported here, its pairs' progress followed."""
    h = harness_of(config)
    kind, key = line["kind"], (line.get("student"), line.get("experiment"))
    if kind == "check":
        h.progress.start(key)
        check = CheckResult.from_json(line["check"])
        h.record.add_check(key[0], key[1], check)  # the tally of each pair's checks, until the record is assembled
        _report_shard_check(config, items, check)
    elif kind == "entry":
        h.progress.finish(key, h.record.experiment(*key).checks)
    elif kind == "resumed":
        h.progress.finished_elsewhere(key)


def _report_shard_check(config: pytest.Config, items: dict[str, pytest.Item], check: CheckResult) -> None:
    """A worker's check, reported here as if this session had run it (terminal, -x, junitxml, exit status)."""
    from _pytest.reports import TestReport

    item = items.get(check.nodeid)
    location = item.location if item is not None else (check.nodeid.split("::")[0], None, check.nodeid)
    if check.kind == "harness_error":
        harness_of(config).harness_failures += 1
    if check.status == "skipped":
        outcome, when, longrepr = "skipped", "setup", (location[0], (location[1] or 0) + 1, f"Skipped: {check.message}")
    elif check.status == "pass":
        outcome, when, longrepr = "passed", "call", None
    else:
        outcome, when = "failed", "call"
        longrepr = check.staff_detail if check.kind == "harness_error" else f"[{check.kind}] {check.message}"
    config.hook.pytest_runtest_logstart(nodeid=check.nodeid, location=location)
    config.hook.pytest_runtest_logreport(report=TestReport(check.nodeid, location, {}, outcome, longrepr, when,
                                                           duration=check.duration))
    config.hook.pytest_runtest_logfinish(nodeid=check.nodeid, location=location)


def _assemble_shards(h: Harness, duration: float) -> dict | None:
    """One record from the workers' journals, under this session's name and settings."""
    journals = [s.journal for s in h.shards if s.journal.exists() and s.journal.stat().st_size]
    if not journals:
        return None
    record = assemble(journals)
    record.update({k: h.record.data[k] for k in ("run_id", "started", "environment")},
                  settings={**h.settings.to_json(), "shards": [s.to_json() for s in h.shards]},
                  finished=now(), duration_seconds=duration)
    h.record.data["submissions"] = {student: {e: Entry.from_json(entry) for e, entry in experiments.items()}
                                    for student, experiments in record["submissions"].items()}
    return record


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    h = harness_of(session.config)
    h.close()
    if h.shard_key is not None:
        h.shard_key.discard()
    if (session.config.getoption("no_fail_on_marks") and exitstatus == pytest.ExitCode.TESTS_FAILED
            and h.harness_failures == 0):
        session.exitstatus = pytest.ExitCode.OK  # every failure is a mark lost, recorded as such
    duration = round(time.time() - session.config.stash.get(_STARTED, time.time()), 1)
    if h.shards:
        record = _assemble_shards(h, duration)
        if record is None:
            return  # no worker got as far as its first check
        path = write_record(record, h.settings.record_path)
    elif h.journal is not None:
        h.journal.write("end", finished=now(), duration_seconds=duration)
        h.journal.close()
        path = write_record(assemble([h.journal.path]), h.settings.record_path)
    elif session.config.getoption("record"):
        h.record.data["duration_seconds"] = duration
        path = h.record.write(h.settings.record_path)  # nothing was graded: an empty record, as asked
    else:
        return  # no bench checks ran (e.g. `pytest tests`): nothing worth a record
    session.config.stash[_WRITTEN] = str(path)
    report_dir = session.config.getoption("report")
    if report_dir:
        session.config.stash[_REPORTS] = _render_reports(path, Path(report_dir), session.config.getoption("marks"))


def _render_reports(record: Path, out: Path, marks: str | None) -> str:
    """Reports from the record just written, exactly as `python -m grading report` renders them."""
    from grading.config import ConfigError
    from grading.report import render_all

    try:
        written = render_all([record], out, Path(marks) if marks else None)
    except (ConfigError, ValueError, OSError) as exc:
        return f"labmark: no reports written: {exc}"
    return f"labmark: reports written to {out} ({len(written)} files; open {out / 'class.html'})"


_STARTED = pytest.StashKey[float]()
_WRITTEN = pytest.StashKey[str]()
_REPORTS = pytest.StashKey[str]()


def pytest_sessionstart(session: pytest.Session) -> None:
    session.config.stash[_STARTED] = time.time()


def pytest_terminal_summary(terminalreporter, exitstatus, config: pytest.Config) -> None:
    h = harness_of(config)
    rows = []
    for student, experiments in h.record.data["submissions"].items():
        for exp_id, entry in experiments.items():
            checks = entry.checks
            if not checks:
                continue
            passed = sum(c.status == "pass" for c in checks)
            credit = sum(c.score for c in checks)
            rows.append(f"  {student:<16} {exp_id:<6} {passed:>3}/{len(checks):<3} checks passed, "
                        f"credit {credit:.2f} of {len(checks)}")
    if rows:
        terminalreporter.section("labmark")
        for row in rows:
            terminalreporter.write_line(row)
    if _WRITTEN in config.stash:
        terminalreporter.write_line(f"labmark: run record written to {config.stash[_WRITTEN]}")
    if _REPORTS in config.stash:
        terminalreporter.write_line(config.stash[_REPORTS])


# --- checks -------------------------------------------------------------------------

@pytest.fixture
def run(request: pytest.FixtureRequest, submission: str) -> SubmissionRun:
    """This check's submission run (its worker, stages and record entry)."""
    return harness_of(request.config).run(submission, request.module.EXPERIMENT)


@pytest.fixture
def harness(request: pytest.FixtureRequest) -> Harness:
    return harness_of(request.config)


@pytest.fixture
def check(request: pytest.FixtureRequest, run: SubmissionRun) -> Check:
    c = Check(_check_name(request.node), run.student, run.experiment.id, run.entry, quick=run.settings.quick)
    request.node.stash[CHECK] = c
    return c


@pytest.fixture
def outputs_passed(request: pytest.FixtureRequest, run: SubmissionRun) -> None:
    """The speed check's gate, set up before its `speed` fixture: nothing is timed when the outputs it would
    time already failed a check of this run (bench/checks/common.py, SPEED_NEEDS)."""
    common_checks.require_passed_outputs(run, request.module)


def _check_name(item: pytest.Item) -> str:
    params = {k: v for k, v in item.callspec.params.items() if k != "submission"}
    base = item.originalname.removeprefix("test_")
    return f"{base}[{'-'.join(map(str, params.values()))}]" if params else base


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    report = yield
    key = _key(item)
    if report.when == "setup" and report.passed:
        item.stash[_SETUP_SECONDS] = report.duration  # a check's fixtures (training, timing) are part of its time
    final = report.when == "call" or (report.when == "setup" and not report.passed)
    if key is None or not final:
        if report.failed:
            harness_of(item.config).harness_failures += 1
        return report
    c = item.stash.get(CHECK, None)
    how = check_mod.outcome(c, report, call.excinfo)
    duration = report.duration + (item.stash.get(_SETUP_SECONDS, 0.0) if report.when == "call" else 0.0)
    rec = CheckResult(
        name=_check_name(item), status=how["status"], score=how["score"], kind=how["kind"],
        # Messages carry the student's own strings (exception text, names): never a terminal escape.
        message=clean_text(how["message"]), staff_detail=clean_text(how["staff_detail"]),
        evidence=c.evidence if c else {}, duration=round(duration, 3),
        markers=sorted({m.name for m in item.iter_markers() if m.name in RECORDED_MARKERS}), nodeid=item.nodeid)
    harness_of(item.config).record.add_check(key[0], key[1], rec)
    harness_of(item.config).journal_check(key, rec)
    run = harness_of(item.config).runs.get(key)
    if run is not None and run.worker is not None and run.worker.stopped is not None:
        run.stop_reported = True  # later checks that need the worker are skipped, naming this one's reason
    if rec.kind == "harness_error":
        harness_of(item.config).harness_failures += 1
    if rec.status in ("fail", "error") and rec.kind != "harness_error":
        # The student reads the message, not the harness's traceback (kept in the record for staff).
        report.longrepr = f"[{rec.kind}] {rec.message}"
    return report
