"""The Slurm side of a cluster plan: one sbatch job array per experiment, followed, re-submitted, merged.

Each experiment gets its own array script (`DIR/jobs/<exp>.sbatch`), since
its budgets set its resources (`--cpus-per-task`, `--mem`, `--time`, and
`--gres=gpu:1` with `--device cuda`); each array index is one chunk of
students. The scripts carry paths only: the grading key stays in its file,
readable by the instructor alone, and no secret reaches a command line or a
job's environment (which `scontrol show job` prints).

Jobs are followed with `squeue` (`sacct` needs a Slurm database a small
cluster may not run) and judged by their own journals: a task is complete
when its journal ends and grades every student of its chunk. `resubmit`
sends again only the array indices that are not complete; each resumes from
the journal its killed run left (`--resume`), so nothing it finished is
graded twice.
"""

from __future__ import annotations

import shlex
import subprocess
import time
from pathlib import Path
from typing import Callable

from ..record import write as write_record
from ..record.journal import JournalError, assemble, read
from . import Plan

ACTIVE = ("PENDING", "CONFIGURING", "RUNNING", "COMPLETING", "REQUEUED", "RESIZING", "SUSPENDED")


class SlurmError(RuntimeError):
    """A Slurm command that failed, with what it said."""


def script(plan: Plan, out: Path, experiment: str, partition: str | None = None) -> str:
    r = plan.resources[experiment]
    count = len(plan.experiments[experiment])
    lines = ["#!/bin/bash",
             f"#SBATCH --job-name=labmark-{experiment}",
             f"#SBATCH --array=0-{count - 1}",
             f"#SBATCH --cpus-per-task={r.cpus}",
             f"#SBATCH --mem={r.memory_mb}M",
             f"#SBATCH --time={r.minutes}",
             f"#SBATCH --output={out.resolve() / 'logs' / f'{experiment}-%a.out'}",
             *([f"#SBATCH --gres=gpu:{r.gpus}"] if r.gpus else []),
             *([f"#SBATCH --partition={partition}"] if partition else []),
             "# One chunk of students for one experiment (see plan.json); the grading key is read from its file.",
             f"cd {shlex.quote(plan.root)}",
             f'exec {shlex.quote(plan.python)} -m bench.cluster task {shlex.quote(str(out.resolve()))} {experiment} '
             '"$SLURM_ARRAY_TASK_ID"',
             ""]
    return "\n".join(lines)


def write_scripts(plan: Plan, out: Path, partition: str | None = None) -> dict[str, Path]:
    (out / "jobs").mkdir(parents=True, exist_ok=True)
    (out / "logs").mkdir(parents=True, exist_ok=True)
    (out / "records").mkdir(parents=True, exist_ok=True)
    paths = {}
    for experiment in plan.experiments:
        path = paths[experiment] = out / "jobs" / f"{experiment}.sbatch"
        path.write_text(script(plan, out, experiment, partition))
    return paths


def _run(args: list[str]) -> str:
    try:
        done = subprocess.run(args, capture_output=True, text=True, timeout=60)
    except FileNotFoundError:
        raise SlurmError(f"{args[0]} is not installed here: run this on a Slurm login node (or install "
                         "slurm-client and point SLURM_CONF at the cluster's slurm.conf).") from None
    if done.returncode != 0:
        raise SlurmError(f"{' '.join(args)} failed ({done.returncode}): {done.stderr.strip() or done.stdout.strip()}")
    return done.stdout


def submit(plan: Plan, out: Path, experiment: str, indices: list[int] | None = None) -> str:
    """sbatch the experiment's array (only `indices`, when given); returns the job id."""
    args = ["sbatch", "--parsable"]
    if indices is not None:
        args.append(f"--array={','.join(map(str, indices))}")
    for index in indices if indices is not None else range(len(plan.experiments[experiment])):
        plan.set_aside(out, experiment, index)
    job = _run([*args, str(out / "jobs" / f"{experiment}.sbatch")]).strip().split(";")[0]
    plan.jobs[experiment] = job
    plan.save(out)
    return job


def queue(jobs: list[str]) -> dict[tuple[str, int], str]:
    """(job id, array index) -> state, for the tasks of these jobs still known to squeue."""
    if not jobs:
        return {}
    text = _run(["squeue", "-h", "-r", "-j", ",".join(jobs), "-o", "%F %K %T"])
    states = {}
    for line in text.splitlines():
        job, index, state = line.split()
        if index.isdigit():
            states[(job, int(index))] = state
    return states


def follow(plan: Plan, out: Path, write: Callable[[str], None] = print, poll: float = 5.0,
           timeout: float | None = None) -> None:
    """Wait until no task of the plan's jobs is queued or running, saying each change of state."""
    by_job = {job: experiment for experiment, job in plan.jobs.items()}
    seen: dict[tuple[str, int], str] = {}
    began = time.monotonic()
    while True:
        try:
            states = queue(list(by_job))
        except SlurmError as exc:
            if "Invalid job id" not in str(exc):
                raise
            states = {}  # every job left the queue
        for (job, index), state in sorted(states.items()):
            if seen.get((job, index)) != state:
                write(f"labmark: {by_job[job]}[{index}] {', '.join(plan.experiments[by_job[job]][index])}: "
                      f"{state.lower()}")
                seen[(job, index)] = state
        if not any(state in ACTIVE for state in states.values()):
            return
        if timeout is not None and time.monotonic() - began > timeout:
            raise SlurmError(f"the jobs are still running after {timeout:.0f} s")
        time.sleep(poll)


def outcome(plan: Plan, out: Path) -> dict[tuple[str, int], str | None]:
    """(experiment, index) -> None when the task is complete, else why not."""
    result = {}
    for experiment, index, students in plan.tasks():
        journal = plan.task_journal(out, experiment, index)
        log = out / "logs" / f"{experiment}-{index}.out"
        if not journal.exists() or journal.stat().st_size == 0:
            result[(experiment, index)] = f"no journal: it never started grading (see {log})"
            continue
        try:
            lines = read(journal)
            record = assemble([journal])
        except JournalError as exc:
            result[(experiment, index)] = str(exc)
            continue
        missing = [s for s in students if experiment not in record["submissions"].get(s, {})]
        if lines[-1]["kind"] != "end":
            result[(experiment, index)] = f"stopped before its end (killed, or out of time: see {log})"
        elif missing:
            result[(experiment, index)] = f"not graded: {', '.join(missing)} (see {log})"
        else:
            result[(experiment, index)] = None
    return result


def resubmit(plan: Plan, out: Path) -> dict[str, list[int]]:
    """Submit again the array indices that are not complete; returns them by experiment."""
    failed: dict[str, list[int]] = {}
    for (experiment, index), why in outcome(plan, out).items():
        if why is not None:
            failed.setdefault(experiment, []).append(index)
    for experiment, indices in failed.items():
        submit(plan, out, experiment, indices)
    return failed


def merge(plan: Plan, out: Path) -> Path:
    """One record (`DIR/record.json`) from every task's journal; tasks not complete are listed in it."""
    journals = [j for e, i, _ in plan.tasks() if (j := plan.task_journal(out, e, i)).exists() and j.stat().st_size]
    if not journals:
        raise JournalError(f"no task of {out} has written a journal yet")
    record = assemble(journals)
    record["settings"] = {**record["settings"], "submissions": sorted(record["submissions"]),
                          "cluster": {"scheduler": "slurm", "plan": str(out / "plan.json"), "jobs": plan.jobs}}
    return write_record(record, out / "record.json")
