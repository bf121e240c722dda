"""`python -m bench.cluster`: grade a class as Slurm job arrays.

    python -m bench.cluster slurm --submission all --key grading.key --out DIR [--quick] [--experiment exp06 ...]
        plan (experiment x chunk of students), write one array script per experiment, submit, follow them
        until done, and merge the journals into DIR/record.json and the reports into DIR/report
    python -m bench.cluster slurm --resubmit DIR     submit again only the tasks that are not complete,
                                                     follow them, merge again
    python -m bench.cluster status DIR               each task: complete, or why not
    python -m bench.cluster merge DIR                the record (and reports) from whatever has finished
    python -m bench.cluster task DIR EXP INDEX       what one array task runs (the job scripts call it)

Options after `--` are handed to every task's `pytest bench` (e.g. `-- --isolation sandbox`).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

from reference import EXPERIMENTS

from ..record.journal import JournalError
from . import Plan, PlanError, make_plan
from . import slurm


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    extra = argv[argv.index("--") + 1:] if "--" in argv else []
    argv = argv[:argv.index("--")] if "--" in argv else argv
    parser = argparse.ArgumentParser(prog="python -m bench.cluster", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    s = sub.add_parser("slurm", help="plan, submit, follow and merge a class's grading on Slurm")
    s.add_argument("--submission", action="append", default=[], metavar="NAME",
                   help="student folder to grade (repeatable); 'all' = every folder; 'reference' = the solutions")
    s.add_argument("--submissions-dir", type=Path, default=Path("submissions"))
    s.add_argument("--experiment", action="append", default=[], metavar="EXP",
                   help=f"experiment to grade (repeatable; default all: {', '.join(sorted(EXPERIMENTS))})")
    s.add_argument("--key", type=Path, help="the grading key (python -m bench.key new FILE): all tasks share it")
    s.add_argument("--out", type=Path, help="the folder for the plan, job scripts, logs, records and reports")
    s.add_argument("--chunk", type=int, default=10, help="students per array task (default 10)")
    s.add_argument("--quick", action="store_true")
    s.add_argument("--budget-scale", type=float, default=1.0)
    s.add_argument("--device", default="cpu", choices=("cpu", "cuda"))
    s.add_argument("--partition", default=None)
    s.add_argument("--no-follow", action="store_true", help="submit and return; follow later with `status`")
    s.add_argument("--resubmit", type=Path, metavar="DIR", help="submit again the tasks of DIR not complete")
    for name in ("status", "merge"):
        p = sub.add_parser(name)
        p.add_argument("out", type=Path)
    t = sub.add_parser("task")
    t.add_argument("out", type=Path)
    t.add_argument("experiment")
    t.add_argument("index", type=int)
    args = parser.parse_args(argv)
    try:
        if args.command == "task":
            return _task(args.out, args.experiment, args.index)
        if args.command == "status":
            return _status(Plan.load(args.out), args.out)
        if args.command == "merge":
            return _merge(Plan.load(args.out), args.out)
        return _slurm(args, extra)
    except (PlanError, slurm.SlurmError, JournalError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


def _slurm(args, extra: list[str]) -> int:
    if args.resubmit:
        out, plan = args.resubmit, Plan.load(args.resubmit)
        again = slurm.resubmit(plan, out)
        if not again:
            print(f"labmark: every task of {out} is complete; nothing to submit again")
            return _merge(plan, out)
        for experiment, indices in again.items():
            print(f"labmark: {experiment}: submitted again, tasks {', '.join(map(str, indices))} "
                  f"(job {plan.jobs[experiment]})")
    else:
        if args.key is None or args.out is None:
            raise PlanError("--key FILE and --out DIR are required: every task grades the same hidden data only "
                            "through a shared key (create one with `python -m bench.key new FILE`).")
        out = args.out
        plan = make_plan(args.submission or ["all"], args.submissions_dir, args.experiment or sorted(EXPERIMENTS),
                         args.key, args.chunk, args.quick, args.budget_scale, args.device, extra)
        plan.save(out)
        slurm.write_scripts(plan, out, args.partition)
        for experiment in plan.experiments:
            r = plan.resources[experiment]
            job = slurm.submit(plan, out, experiment)
            print(f"labmark: {experiment}: job {job}, {len(plan.experiments[experiment])} tasks of at most "
                  f"{args.chunk} students, each {r.cpus} CPUs, {r.memory_mb} MB, {r.minutes} min"
                  + (f", {r.gpus} GPU" if r.gpus else ""))
        if args.no_follow:
            print(f"labmark: follow with `python -m bench.cluster status {out}`")
            return 0
    slurm.follow(plan, out)
    status = _status(plan, out)
    _merge(plan, out)
    return status


def _status(plan: Plan, out: Path) -> int:
    results = slurm.outcome(plan, out)
    for (experiment, index), why in results.items():
        students = ", ".join(plan.experiments[experiment][index])
        print(f"labmark: {experiment}[{index}] {students}: {'complete' if why is None else why}")
    failed = sum(why is not None for why in results.values())
    if failed:
        print(f"labmark: {failed} of {len(results)} tasks not complete; submit them again with "
              f"`python -m bench.cluster slurm --resubmit {out}`")
    return 1 if failed else 0


def _merge(plan: Plan, out: Path) -> int:
    record = slurm.merge(plan, out)
    print(f"labmark: run record written to {record}")
    report = subprocess.run([sys.executable, "-m", "grading", "report", str(record), "--out", str(out / "report")],
                            cwd=plan.root, capture_output=True, text=True)
    if report.returncode != 0:
        print(f"labmark: no reports written: {report.stderr.strip()}", file=sys.stderr)
        return report.returncode
    print(f"labmark: reports written to {out / 'report'} (open {out / 'report' / 'class.html'})")
    return 0


def _task(out: Path, experiment: str, index: int) -> int:
    plan = Plan.load(out)
    if experiment not in plan.experiments or not 0 <= index < len(plan.experiments[experiment]):
        raise PlanError(f"{out}: the plan has no task {experiment}[{index}]")
    os.chdir(plan.root)
    args = [plan.python, "-m", "pytest", *plan.task_args(out.resolve(), experiment, index)]
    sys.stdout.flush()
    os.execv(plan.python, args)  # the job's signals (scancel, its time limit) reach pytest itself


if __name__ == "__main__":
    sys.exit(main())
