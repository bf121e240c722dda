"""Grading a class on a cluster: the work planned as (experiment x chunk of students) tasks.

A plan is a folder (`--out DIR`) holding `plan.json`: for each experiment,
the chunks of students (one array task each), the resources a task needs
(from the experiment's budgets), and the options every task grades with.
Each task is one `pytest bench` session over one experiment and one chunk,
with its own record and journal under `DIR/records/`, timing its own
reference on the cores the scheduler gave it; all tasks share the grading
key (its path only: the key itself never enters the plan, a job script or a
job's environment), so they grade the same hidden data. When the tasks are
done, their journals assemble into one record (`DIR/record.json`).

The scheduler's side is in bench/cluster/slurm.py; `python -m bench.cluster`
is the command line.
"""

from __future__ import annotations

import json
import math
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pytest

from reference import EXPERIMENTS

from .. import key as key_mod
from ..record.journal import SUFFIX as JOURNAL_SUFFIX
from ..record.journal import journal_path
from ..settings import resolve_submissions

REPO = Path(__file__).resolve().parents[2]
PLAN = "plan.json"
PER_PAIR_CALLS = 6  # non-training calls a pair makes at most, for the time limit (predict, detect, ...)
STARTUP_SECONDS = 120  # a task's pytest start, collection and data staging


class PlanError(ValueError):
    """A plan that cannot be made or read, with what to do about it."""


@dataclass(frozen=True)
class Resources:
    cpus: int
    memory_mb: int
    minutes: int
    gpus: int = 0


@dataclass
class Plan:
    root: str  # the repository the tasks run in
    python: str
    submissions_dir: str
    key: str  # the grading key's path (never its contents)
    options: list[str]  # pytest options every task grades with (--quick, --budget-scale X, --device D, ...)
    experiments: dict[str, list[list[str]]]  # experiment -> chunks of students, one array task each
    resources: dict[str, Resources] = field(default_factory=dict)
    jobs: dict[str, str] = field(default_factory=dict)  # experiment -> the scheduler's job id, once submitted

    def task_record(self, out: Path, experiment: str, index: int) -> Path:
        return out / "records" / f"{experiment}-{index}.json"

    def task_journal(self, out: Path, experiment: str, index: int) -> Path:
        return journal_path(self.task_record(out, experiment, index))

    def earlier_attempts(self, out: Path, experiment: str, index: int) -> list[Path]:
        """Journals of this task's earlier runs (killed, out of time), oldest first."""
        found = (out / "records").glob(f"{experiment}-{index}.attempt*{JOURNAL_SUFFIX}")
        return sorted(found, key=lambda p: int(p.name.split(".attempt")[1].split(".")[0]))

    def set_aside(self, out: Path, experiment: str, index: int) -> Path | None:
        """Before a task runs again: its journal kept as an earlier attempt, which the new run resumes from
        (so that what it finished is not graded twice)."""
        journal = self.task_journal(out, experiment, index)
        if not journal.exists() or journal.stat().st_size == 0:
            journal.unlink(missing_ok=True)
            return None
        n = len(self.earlier_attempts(out, experiment, index)) + 1
        kept = out / "records" / f"{experiment}-{index}.attempt{n}{JOURNAL_SUFFIX}"
        journal.rename(kept)
        return kept

    def tasks(self):
        for experiment, chunks in self.experiments.items():
            for index, students in enumerate(chunks):
                yield experiment, index, students

    def task_args(self, out: Path, experiment: str, index: int) -> list[str]:
        """One task's `pytest` command line (after `python -m pytest`)."""
        students = self.experiments[experiment][index]
        module = EXPERIMENTS[experiment].module
        return [f"bench/checks/test_{module}.py", "--submissions-dir", self.submissions_dir,
                *(a for s in students for a in ("--submission", s)),
                "--record", str(self.task_record(out, experiment, index)), "--key", self.key,
                "--no-fail-on-marks", "-p", "no:cacheprovider", *self.options,
                *(a for p in self.earlier_attempts(out, experiment, index) for a in ("--resume", str(p)))]

    def save(self, out: Path) -> Path:
        out.mkdir(parents=True, exist_ok=True)
        path = out / PLAN
        data = asdict(self)
        path.write_text(json.dumps(data, indent=1) + "\n")
        return path

    @classmethod
    def load(cls, out: Path) -> "Plan":
        path = out / PLAN
        try:
            data = json.loads(path.read_text())
        except (OSError, json.JSONDecodeError) as exc:
            raise PlanError(f"{path}: no readable plan ({exc}). Expected the folder a `python -m bench.cluster "
                            "slurm ... --out DIR` made.") from None
        data["resources"] = {e: Resources(**r) for e, r in data.get("resources", {}).items()}
        return cls(**data)


def resources(experiment: str, students: int, quick: bool, scale: float, device: str) -> Resources:
    """What one task needs: the threads its targets were measured with, memory for a student's worker and the
    reference anchor beside it plus the pytest process, and time for every pair at its budgets' limits
    (twice over: the scheduler's limit is a last resort, the harness's own timeouts come first)."""
    budget = EXPERIMENTS[experiment].budget
    per_pair = budget.import_seconds + budget.train(quick) + PER_PAIR_CALLS * budget.call_seconds
    seconds = STARTUP_SECONDS + 2 * (students + 1) * per_pair * scale
    return Resources(cpus=budget.threads, memory_mb=2 * budget.memory_mb + 2048, minutes=math.ceil(seconds / 60),
                     gpus=1 if device == "cuda" else 0)


def make_plan(submissions: list[str], submissions_dir: Path, experiments: list[str], key: Path, chunk: int,
              quick: bool = False, scale: float = 1.0, device: str = "cpu", extra: list[str] = ()) -> Plan:
    """The tasks for these students and experiments, `chunk` students a task (the reference, when asked for,
    graded in each experiment's first)."""
    if chunk < 1:
        raise PlanError(f"--chunk {chunk}: expected at least 1 student per task.")
    unknown = [e for e in experiments if e not in EXPERIMENTS]
    if unknown:
        raise PlanError(f"unknown experiment {unknown[0]!r}; expected one of {', '.join(sorted(EXPERIMENTS))}.")
    try:
        key_mod.read(key)  # only checked here: its contents stay in the file
    except key_mod.UnusableKey as exc:
        raise PlanError(str(exc)) from None
    try:  # the names as `pytest bench --submission` reads them: 'all', 'reference' first, unknown ones refused
        chosen = list(resolve_submissions(list(submissions), submissions_dir))
    except pytest.UsageError as exc:
        raise PlanError(str(exc)) from None
    if not chosen:
        raise PlanError(f"no submissions to grade in {submissions_dir}.")
    chunks = [chosen[i:i + chunk] for i in range(0, len(chosen), chunk)]
    options = [*(["--quick"] if quick else []), "--budget-scale", f"{scale:g}", "--device", device, *extra]
    return Plan(root=str(REPO), python=sys.executable, submissions_dir=str(submissions_dir.resolve()),
                key=str(key.resolve()), options=options, experiments={e: chunks for e in experiments},
                resources={e: resources(e, chunk, quick, scale, device) for e in experiments})
