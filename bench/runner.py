"""One student's run of one experiment, shared by that experiment's checks.

Expensive steps (import, training, predicting) are *stages*: each runs once,
in the worker, and its value is reused by every check that needs it. When a
stage fails, the check that ran it reports the failure; every later check that
needs it is skipped with a reason instead of failing a second time.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Callable

import pytest

from reference import Budget, Experiment, Function

from . import errors, packages, submission
from .record import Entry, RunBudget
from .record import outputs as outputs_codec
from .settings import Settings
from .worker import Limits, Worker

# CPU seconds a module import may take before the rest counts as training: importing TensorFlow, PyTorch,
# scikit-learn and pandas together takes about 12 s of CPU on 2 cores (measured in the sandbox, see the
# overhead test); anything well beyond is work done at import time.
IMPORT_CPU_ALLOWANCE = 20.0


class SubmissionRun:
    def __init__(self, student: str, experiment: Experiment, settings: Settings, entry: Entry | None = None,
                 checking: Callable[[], str] = lambda: ""):
        self.student = student
        self.experiment = experiment
        self.settings = settings
        self.entry = entry if entry is not None else Entry()  # this run's part of the run record
        self.entry.title = experiment.title
        self.budgets = self._budgets()  # what this run is graded under; the record keeps the same
        self.entry.budget = self.budgets
        self._dataset = None
        self.worker: Worker | None = None
        self.source: submission.Source | None = None
        self.import_cpu_seconds = 0.0
        self.stop_reported = False  # a finished check has recorded why the worker stopped
        self._charged_cpu = 0.0  # CPU seconds already taken off a training budget
        self._stages: dict[str, tuple[bool, object, str]] = {}  # name -> (ok, value or error, check that ran it)
        self._checking = checking  # the name of the check running now: a stage's owner is the check that ran it
        self.on_training: Callable[[str, float], None] = lambda fn, seconds: None  # told of each training call

    # --- budgets ----------------------------------------------------------------

    def _budgets(self) -> RunBudget:
        spec, scale = self.experiment.budget, self.settings.budget_scale
        return RunBudget(train_seconds=spec.train(self.settings.quick) * scale, call_seconds=spec.call_seconds * scale,
                         import_seconds=spec.import_seconds * scale, memory_mb=spec.memory_mb,
                         gpu_memory_mb=spec.gpu_memory_mb if self.settings.device == "cuda" else 0,
                         quick=self.settings.quick, scale=scale, device=self.settings.device,
                         seed=self.settings.seed, threads=self.settings.threads)

    def budget(self, train: bool = False) -> Budget:
        """What one call is given: the training budget, or the budget of any other call."""
        b = self.budgets
        return Budget(seconds=b.train_seconds if train else b.call_seconds, device=b.device, seed=b.seed,
                      threads=b.threads)

    # --- the data graded on ---------------------------------------------------------

    @property
    def dataset(self):
        """The data this run is graded on (a bench.data.DatasetInfo), once a check has staged it."""
        return self._dataset

    @dataset.setter
    def dataset(self, info) -> None:
        self._dataset = info
        self.entry.dataset = info.to_json()

    # --- stages -----------------------------------------------------------------

    def stage(self, name: str, compute: Callable[[], object]):
        """compute() once; re-raise its failure only to the check that ran it (the check running now)."""
        if name in self._stages:
            ok, value, owner = self._stages[name]
            if ok:
                return value
            if isinstance(value, str):
                pytest.skip(value)  # that stage was itself skipped: pass its reason on as it is
            if not isinstance(value, errors.SubmissionError):
                pytest.skip(f"not run: {name} hit an internal harness error in check {owner or '?'} "
                            f"({type(value).__name__}); not the submission's fault, see that check")
            what = "the interface check" if name == "interface" else f"{name} (in check {owner or '?'})"
            pytest.skip(f"not run: {what} failed ({value.kind}: {value.message.split('. ')[0]})")
        check = self._checking()
        try:
            value = compute()
        except errors.SubmissionError as exc:
            self._stages[name] = (False, exc, check)
            raise
        except pytest.skip.Exception as exc:
            self._stages[name] = (False, str(exc), check)
            raise
        except Exception as exc:  # a harness bug: reported once, never repeated (it may follow a long training)
            self._stages[name] = (False, exc, check)
            raise
        self._stages[name] = (True, value, check)
        return value

    def interface(self) -> dict:
        return self.stage("interface", self._load)

    def call(self, fn: str, *args, train: bool = False, model: bool | str = False, timeout: float | None = None):
        """fn(*args) in the worker, after the interface check passed. Returns (value, seconds).

        train: the call gets the training budget. model: its result is a model to keep in the worker as one
        handle, whatever its type: True, "history" or "pair", as the interface's return reads (see
        Worker.call)."""
        self._require_worker()
        budget = self.budget(train)
        if train:
            budget = self._charge(fn, budget)
            self.on_training(fn, budget.seconds)
        args = tuple(budget if a is Budget else a for a in args)  # `Budget` as a placeholder for this call's budget
        value, seconds = self.worker.call(fn, *args, timeout=timeout or budget.seconds, model=model)
        t = self.entry.timings.setdefault(fn, {"calls": 0, "total_seconds": 0.0, "max_seconds": 0.0})
        t.update(calls=t["calls"] + 1, total_seconds=t["total_seconds"] + seconds, max_seconds=max(t["max_seconds"], seconds))
        return value, seconds

    def record_outputs(self, name: str, predicted, truth) -> None:
        """Keep this output's predicted labels on the hidden items (and which were right) in the record, for
        the similarity checks (grading/similarity): never graded, never shown to the student."""
        self.entry.outputs[name] = outputs_codec.encode(predicted, truth)

    def _charge(self, fn: str, budget: Budget) -> Budget:
        """This training call's budget, less the training the worker did where no budget counts it:
        CPU time of the import beyond an allowance, and CPU time between calls (a background thread).
        CPU seconds become wall seconds over the worker's threads."""
        unbudgeted = max(0.0, self.import_cpu_seconds - IMPORT_CPU_ALLOWANCE) + self.worker.cpu_outside_requests()
        owed = max(0.0, unbudgeted - self._charged_cpu)
        self._charged_cpu += owed
        wall = owed / max(1, budget.threads)
        cpu = self.entry.worker.setdefault("cpu", {})
        cpu["charged_to_training_seconds"] = round(cpu.get("charged_to_training_seconds", 0.0) + wall, 2)
        if wall < 1.0:
            return budget
        if budget.seconds - wall < 1.0:
            raise errors.Timeout(
                f"No training budget is left for {fn}(): the worker had already used {owed:.0f} s of CPU outside "
                f"any budgeted call (importing {self.source.path.name}: {self.import_cpu_seconds:.0f} s of CPU, "
                f"{IMPORT_CPU_ALLOWANCE:.0f} s allowed; between calls: {self.worker.cpu_outside_requests():.0f} s), "
                f"which counts as {wall:.0f} s of the {budget.seconds:.0f} s training budget. Expected: importing "
                "only defines functions and nothing runs between calls. Likely cause: training at module level "
                "or in a background thread; move it into the training function.", charged_seconds=wall)
        return Budget(seconds=budget.seconds - wall, device=budget.device, seed=budget.seed, threads=budget.threads)

    def _require_worker(self) -> None:
        """The interface passed and the worker is still alive, or the calling check is skipped.

        Until a finished check has recorded why the worker stopped, the stop is raised again rather than
        skipped: a property check (hypothesis) calls again after a failure, and that check is the one that
        failed."""
        self.interface()
        if self.worker.stopped is not None:
            why = self.worker.stopped
            if not self.stop_reported:
                raise why
            pytest.skip(f"not run: this submission's worker was stopped earlier ({why.kind}: "
                        f"{why.message.split('. ')[0]})")

    def harness(self, fn, *args, timeout: float | None = None):
        """Harness code `fn(student_module, *args)` run in the worker (see Worker.harness)."""
        self._require_worker()
        value, seconds = self.worker.harness(fn, *args, timeout=timeout or self.budget().seconds)
        return value, seconds

    # --- loading and the interface ----------------------------------------------------

    def _load(self) -> dict:
        self.source = submission.find(self.student, self.experiment, self.settings.submissions_dir)
        self.entry.source = self.source.to_json()
        b = self.budgets
        limits = Limits(memory_mb=b.memory_mb, gpu_memory_mb=b.gpu_memory_mb)
        # Folders of the grader's that a folder bound into the sandbox may contain (a virtualenv inside the
        # repository, datasets under /usr/share): hidden inside it.
        hide = tuple(p for p in (self.settings.submissions_dir, self.settings.record_path.parent,
                                 self.settings.data_dir, Path("/usr/share/datasets")) if p is not None)
        self.worker = Worker(f"{self.student}-{self.experiment.id}", limits, threads=b.threads, device=b.device,
                             isolation=self.settings.isolation, hide=hide)
        self.worker.locate = self.source.where
        self.worker.relabel = self.source.relabel
        self.entry.worker = self.worker.describe_isolation()
        src = self.worker.workdir / "in" / "src"
        src.mkdir(mode=0o755)
        path = submission.stage(self.source, src)
        names = [f.name for f in self.experiment.interface]
        started = time.perf_counter()
        cpu_before = self.worker.cpu_seconds()
        try:
            loaded = self.worker.load(path, self.experiment.module, names, timeout=b.import_seconds,
                                      preload=self.experiment.libraries, shown=self.source.path.name)
        except errors.Raised as exc:
            raise self._import_error(exc) from None
        except errors.Timeout as exc:
            raise errors.Timeout(
                f"Importing {self.source.path.name} took longer than {b.import_seconds:.0f} s and was stopped. "
                "Expected: importing only defines functions. Likely cause: training or data loading at module "
                "level; move it into the functions (in a notebook, leave that cell ungraded).", exc.detail) from None
        finally:
            self.entry.timings["import"] = {"calls": 1, "total_seconds": time.perf_counter() - started}
            self.import_cpu_seconds = self.worker.cpu_seconds() - cpu_before
            self.entry.worker.setdefault("cpu", {})["import_seconds"] = round(self.import_cpu_seconds, 2)
        problems = [p for f in self.experiment.interface if (p := _signature_problem(f, loaded["functions"][f.name]))]
        if problems:
            missing = [p for kind, p in problems if kind == "missing"]
            message = " ".join(p for _, p in problems)
            if missing:
                found = ", ".join(loaded["defined"]) or "none"
                message += f" Functions your file defines: {found}."
            error = errors.MissingFunction if missing else errors.WrongSignature
            raise error(message + " Fix: define each function of the interface with these names and parameters.",
                        expected=[f.signature() for f in self.experiment.interface])
        return loaded

    def _import_error(self, exc: errors.Raised) -> errors.SubmissionError:
        etype, name, detail = exc.evidence.get("exception"), self.source.path.name, exc.detail
        if etype in ("SyntaxError", "IndentationError", "TabError"):
            filename, lineno = exc.evidence.get("filename") or "", exc.evidence.get("lineno")
            ours = (self.source.module_file, self.source.path.name)  # the staged name, or it relabelled
            where = (f"{Path(filename).name}, line {lineno}" if filename and Path(filename).name not in ours
                     else self.source.where(lineno))  # a helper module's line is its own
            return errors.SyntaxErrorInSubmission(
                f"{where}: {etype}: {exc.evidence.get('error_message')}. "
                "Expected: code that Python can parse. Fix the line shown (in a notebook, only what IPython itself "
                "treats as its own syntax, such as %magic, !shell and obj? lines, is removed before grading).",
                detail)
        module = exc.evidence.get("module") or "?"
        if etype in ("ModuleNotFoundError", "ImportError") and module.split(".")[0] in ("reference", "bench", "grading"):
            return errors.MissingPackage(
                f"{name} imports '{module}', part of the grading harness, which submissions cannot see while "
                "they are graded (only the experiments' public part is there: `reference.spec` for the Budget type, "
                "each experiment's interface and targets; no reference solution). Expected: your own implementation "
                "of the interface. Fix: remove that import and write the function yourself.", detail, module=module)
        if etype == "ModuleNotFoundError":
            return errors.MissingPackage(
                f"{name} imports '{module}', which is not installed where submissions are graded. Expected: "
                f"only the packages installed there: {', '.join(packages.for_submissions())}, and Python's standard "
                "library. Fix: use one of those, or put your own helper module next to your submission file.",
                detail, module=module)
        return errors.ImportFailed(f"Importing {name} raised {etype} ({self.source.where(exc.evidence.get('lineno'))}):"
                                   f" {exc.evidence.get('error_message')}. Expected: importing only defines "
                                   "functions; fix the error at that line.", detail)

    def close(self) -> None:
        """Stop the worker and keep its figures; never raises (a failure here is nobody's mark)."""
        try:
            self._close()
        except Exception as exc:  # noqa: BLE001 - the record keeps what went wrong for the staff
            self.entry.worker["close_error"] = f"{type(exc).__name__}: {exc}"
            if self.worker is not None:
                self.worker.kill()
            self.worker = None

    def _close(self) -> None:
        if self.worker is not None:
            w = self.worker
            if w.stopped is None and self.settings.device == "cuda":
                self.entry.worker["reported"] = w.stats()
            self.entry.worker.setdefault("cpu", {}).update(
                total_seconds=round(w.cpu_seconds(), 2), between_calls_seconds=round(w.cpu_outside_requests(), 2))
            self.entry.worker.update(peak_rss_mb=w.peak_rss // (1 << 20),
                                        call_overhead_seconds=round(w.overhead_seconds, 4),
                                        output=self._relabel(w.output.text())[-4000:])
            w.close()
            self.worker = None


    def _relabel(self, text: str) -> str:
        return self.source.relabel(text) if self.source is not None else text


def _signature_problem(function: Function, info: dict) -> tuple[str, str] | None:
    expected = function.signature()
    if not info.get("found"):
        return "missing", f"Missing function {expected}."
    if not info.get("callable"):
        return "wrong", f"{function.name} is a {info.get('type')}, not a function; expected {expected}."
    params = info.get("params")
    if params is None:
        return None  # a builtin or C callable: nothing to inspect, the call will tell
    positional = [p for p in params if p["kind"] in ("POSITIONAL_ONLY", "POSITIONAL_OR_KEYWORD")]
    required = [p for p in positional if not p["default"]]
    varargs = any(p["kind"] == "VAR_POSITIONAL" for p in params)
    kw_required = [p["name"] for p in params if p["kind"] == "KEYWORD_ONLY" and not p["default"]]
    n = len(function.params)
    if len(required) > n or (len(positional) < n and not varargs) or kw_required:
        return "wrong", (f"{function.name}{info.get('signature', '(?)')} cannot be called as the interface calls it: "
                         f"{expected}, with {n} positional argument{'s' * (n != 1)}.")
    return None

