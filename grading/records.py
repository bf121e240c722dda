"""Saved run records, merged: for each student and experiment, the latest graded entry wins."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bench.record import load


@dataclass(frozen=True)
class Graded:
    entry: dict  # the experiment's entry in a run record
    run: dict  # that record's run_id, finished, settings and environment


def load_all(paths: list[Path]) -> list[dict]:
    return [load(Path(p)) for p in paths]


def catalog_of(records: list[dict]) -> dict[str, list[str]] | None:
    """Each experiment's checks as the newest record that lists them says; None where no record carries a
    catalog (records written before there was one): the rubric is then not checked against check names."""
    merged: dict[str, list[str]] = {}
    for record in sorted(records, key=lambda r: r.get("finished") or ""):
        merged.update(record.get("catalog") or {})
    return merged or None


def merge(records: list[dict]) -> dict[str, dict[str, Graded]]:
    """student -> experiment id -> the entry from the most recently finished record that graded it."""
    out: dict[str, dict[str, Graded]] = {}
    for record in sorted(records, key=lambda r: r.get("finished") or ""):
        run = {k: record.get(k) for k in ("run_id", "finished", "settings", "environment")}
        for student, experiments in record["submissions"].items():
            for exp_id, entry in experiments.items():
                if entry.get("checks"):
                    out.setdefault(student, {})[exp_id] = Graded(entry, run)
    return out
