"""Resuming a grading session from the journal of one that died (`--resume JOURNAL`).

A (student, experiment) pair the journal finished is taken as it is, not
graded again, only when nothing that could change its marks has changed:
the submission (every file staged, hashed as it is now), the harness's code,
the settings that shape a grade (budgets, device, seeds, threads, isolation,
data folder) and the grading key (by its id; without a key a session's hidden
data cannot be drawn again, so nothing of it can be resumed). Every other pair
is graded afresh, and the reason is said.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from reference import EXPERIMENTS

from . import errors, submission
from .record.journal import assemble
from .settings import Settings

SAME_SETTINGS = ("quick", "device", "seed", "budget_scale", "threads", "isolation", "data_dir", "key_id")


@dataclass(frozen=True)
class Finished:
    """A pair a journal finished: its whole entry (checks included) and where it came from."""

    student: str
    experiment: str
    entry: dict
    run_id: str
    journal: Path


def finished_pairs(settings: Settings, environment: dict, wanted: set[tuple[str, str]]
                   ) -> tuple[dict[tuple[str, str], Finished], list[str]]:
    """The pairs of `wanted` that can be taken from `settings.resume`'s journals, and why others cannot."""
    found: dict[tuple[str, str], Finished] = {}
    notes: list[str] = []
    now = settings.to_json()
    for path in settings.resume:
        record = assemble([path])
        why = _changed(record, now, environment)
        if why:
            notes.append(f"{path}: nothing resumed: {why}")
            continue
        for student, experiments in record["submissions"].items():
            for experiment, entry in experiments.items():
                key = (student, experiment)
                if key not in wanted or key in found:
                    continue
                then = (entry.get("source") or {}).get("snapshot_sha256")
                if then is None or then != _snapshot_sha256(student, experiment, settings.submissions_dir):
                    notes.append(f"{student} {experiment}: graded again (the submission changed since {path.name})")
                    continue
                found[key] = Finished(student, experiment, entry, record["run_id"], path)
    return found, notes


def _changed(record: dict, now: dict, environment: dict) -> str | None:
    then = record["settings"]
    if not then.get("keyed"):
        return ("that session had no --key, so its hidden data cannot be drawn again; grade afresh (and give "
                "long runs a key from the start: python -m bench.key new FILE)")
    if not now.get("keyed"):
        return "this session has no --key; resume with the key that session used"
    for name in SAME_SETTINGS:
        if then.get(name) != now.get(name):
            what = "the grading key" if name == "key_id" else name
            return f"{what} differs ({then.get(name)!r} then, {now.get(name)!r} now)"
    if record["environment"].get("harness_sha256") != environment.get("harness_sha256"):
        return "the harness's code changed since (its marks could differ)"
    return None


def _snapshot_sha256(student: str, experiment: str, submissions_dir: Path) -> str | None:
    try:
        return submission.find(student, EXPERIMENTS[experiment], submissions_dir).snapshot_sha256
    except errors.SubmissionError:
        return None  # missing or unreadable now: graded again, and its error reported there
