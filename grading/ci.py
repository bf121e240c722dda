"""`python -m grading ci`: self-check the submissions a pull request changes, on a class repository's CI.

Finds the submission folders (and the experiments in them) that the pull
request changed (`git diff` against its base: `--base`, else the base commit
in `$GITHUB_EVENT_PATH`), self-checks each student's changed experiments with
the quick budgets (`pytest bench --submission=<student> --quick`), renders the
HTML reports for the workflow to upload, and writes a Markdown summary (marks
per experiment, each failed check's message) to `$GITHUB_STEP_SUMMARY` (or
stdout). Marks are feedback, never a red build: the exit status is non-zero
only when the harness itself failed, or, where the instructor sets a gate
(`--gate LA`), when a changed experiment's Laboratory Assessment is below it.

It runs on the student kit, with no key and no solution: pull requests from
forks get no secrets, and students can edit workflows. The official marks are
always the instructor's run.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from bench.record import load as load_record

from .config import COURSE_FILE
from .report import build, render_all

SUBMISSIONS = "submissions"
WORKFLOW = Path(__file__).with_name("templates") / "github-pr-workflow.yml"


class CIError(RuntimeError):
    """What the CI command cannot do, and why."""


@dataclass(frozen=True)
class Changed:
    student: str
    experiments: tuple[str, ...]  # experiment ids whose files changed; every experiment when another file did


def base_commit(event_path: str | None) -> str:
    if not event_path:
        raise CIError("no base to compare with: pass --base REF, or run in a GitHub pull-request workflow "
                      "($GITHUB_EVENT_PATH names the event with the base commit).")
    try:
        event = json.loads(Path(event_path).read_text())
        return event["pull_request"]["base"]["sha"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise CIError(f"$GITHUB_EVENT_PATH={event_path}: no pull_request.base.sha in it ({exc!r}); is the workflow "
                      "triggered by pull_request?") from None


def changed(repo: Path, base: str, experiments: dict[str, str]) -> list[Changed]:
    """Students whose folders the changes since `base` touch, with the experiments touched (by file stem:
    exp06_anomaly.py or .ipynb, or exp06.py); a change to any other file of a folder (a helper module)
    checks every experiment that folder holds. `experiments`: module stem or id -> experiment id."""
    try:
        out = subprocess.run(["git", "diff", "--name-only", f"{base}...HEAD", "--", SUBMISSIONS], cwd=repo,
                             capture_output=True, text=True, check=True, timeout=60).stdout
    except subprocess.CalledProcessError as exc:
        raise CIError(f"git diff {base}...HEAD failed: {exc.stderr.strip()} (with actions/checkout, set "
                      "fetch-depth: 0 so that the base commit is there)") from None
    touched: dict[str, set[str] | None] = {}
    for line in out.splitlines():
        parts = Path(line).parts
        if len(parts) < 3 or parts[0] != SUBMISSIONS:
            continue
        student, stem = parts[1], Path(parts[2]).stem
        experiment = experiments.get(stem) if len(parts) == 3 else None
        if experiment is None:
            touched[student] = None
        elif touched.get(student, set()) is not None:
            touched.setdefault(student, set()).add(experiment)
    result = []
    for student, found in sorted(touched.items()):
        if found is None:  # a helper changed: every experiment the folder has a file for
            folder = repo / SUBMISSIONS / student
            found = {e for stem, e in experiments.items() if any(folder.glob(f"{stem}.*"))} if folder.is_dir() else set()
        if found:
            result.append(Changed(student, tuple(sorted(found))))
    return result


def self_check(repo: Path, who: Changed, record: Path, extra: list[str]) -> int:
    """One student's quick self-check; returns pytest's exit status (0 unless the harness failed)."""
    selection = " or ".join(who.experiments)
    cmd = [sys.executable, "-m", "pytest", "bench", f"--submission={who.student}", "-k", selection, "--quick",
           "--no-fail-on-marks", "--record", str(record), "-p", "no:cacheprovider", *extra]
    return subprocess.run(cmd, cwd=repo).returncode


def summary(records: list[Path], checked: list[Changed], failures: dict[str, int], course: Path = COURSE_FILE) -> str:
    reports = build(records, course_path=course) if records else None
    lines = ["# labmark self-check", "",
             "Quick budgets on the CI machine, with embedded data and no key: feedback before you submit. "
             "The official marks come from the instructor's run.", ""]
    for who in checked:
        lines += [f"## {who.student}", ""]
        if who.student in failures:
            lines += [f"The self-check itself failed (exit status {failures[who.student]}); see the job's log.", ""]
            continue
        marks = reports.students.get(who.student) if reports else None
        entries = reports.graded.get(who.student, {}) if reports else {}
        lines += ["| experiment | laboratory assessment | checks passed |", "| --- | --- | --- |"]
        failed = []
        for e in (m for m in (marks.experiments if marks else ()) if m.id in who.experiments):
            entry = entries[e.id].entry if e.id in entries else {}
            checks = entry.get("checks", [])
            passed = sum(c["status"] == "pass" for c in checks)
            la = "not graded" if e.la is None else f"{e.la:.2f} / {sum(c.points for c in e.criteria):g}"
            lines.append(f"| {e.id} {e.name} | {la} | {passed} of {len(checks)} |")
            failed += [(e.id, c) for c in checks if c["status"] in ("fail", "error")]
        lines.append("")
        if failed:
            lines += ["Failed checks:", ""]
            lines += [f"- **{exp} {c['name']}**: {_one_line(c['message'])}" for exp, c in failed]
            lines.append("")
    return "\n".join(lines)


def _one_line(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def gate_failures(records: list[Path], checked: list[Changed], gate: float) -> list[str]:
    reports = build(records)
    out = []
    for who in checked:
        marks = reports.students.get(who.student)
        for e in (marks.experiments if marks else ()):
            if e.id in who.experiments and (e.la or 0.0) < gate:
                out.append(f"{who.student} {e.id}: laboratory assessment {e.la or 0:.2f} < {gate:g}")
    return out


def run(repo: Path, base: str | None, report: Path, gate: float | None = None, extra: list[str] = (),
        out=sys.stdout) -> int:
    from reference import EXPERIMENTS  # the public part only: the kit has no solutions

    stems = {s.module: s.id for s in EXPERIMENTS.values()} | {s.id: s.id for s in EXPERIMENTS.values()}
    base = base or base_commit(os.environ.get("GITHUB_EVENT_PATH"))
    checked = changed(repo, base, stems)
    records, failures = [], {}
    work = report.parent / (report.name + ".records")
    work.mkdir(parents=True, exist_ok=True)
    for who in checked:
        record = work / f"{who.student}.json"
        code = self_check(repo, who, record, list(extra))
        if code != 0 or not record.exists():
            failures[who.student] = code
        else:
            records.append(record)
            load_record(record)  # a record the harness wrote, or an error here
    text = summary(records, checked, failures) if checked else (
        "# labmark self-check\n\nThis pull request changes no submission folder: nothing to check.\n")
    target = os.environ.get("GITHUB_STEP_SUMMARY")
    if target:
        with open(target, "a", encoding="utf-8") as f:
            f.write(text + "\n")
    print(text, file=out)
    if records:
        render_all(records, report, similarity=False, viva_path=None)  # the student's to see: no staff pages
    if failures:
        return 1
    if gate is not None and records:
        below = gate_failures(records, checked, gate)
        for line in below:
            print(f"gate: {line}", file=out)
        return 1 if below else 0
    return 0
