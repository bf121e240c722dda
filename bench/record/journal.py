"""The run journal: every finished check on disk the moment it ends, so a killed session loses little.

A session appends one JSON object per line to `<record>.journal.jsonl` beside
its run record, each line flushed and fsynced before grading goes on:

    {"kind": "run", "schema", "run_id", "started", "settings", "environment"}   first
    {"kind": "catalog", "catalog"}                       once the checks are collected
    {"kind": "check", "student", "experiment", "check"}  each check, as it ends
    {"kind": "entry", "student", "experiment", "entry"}  when a (student, experiment) is
                                                         done: its entry without checks
    {"kind": "resumed", "student", "experiment", "run_id", "journal"}
                                                         a pair taken from an earlier session's
                                                         journal (--resume), its lines copied here
    {"kind": "anchor", "experiment", "entry"}            the reference's speed anchor
    {"kind": "end", "finished", "duration_seconds"}      last, unless the session died

The run record is assembled from journals (`assemble`): a (student,
experiment) is in it once its entry line is, so a session killed at any
moment loses at most the ones in progress, which the record lists under
"incomplete". Journals of several sessions (shards) assemble into one record.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from . import SCHEMA, CheckResult, Entry, jsonable

SUFFIX = ".journal.jsonl"


class JournalError(ValueError):
    """A journal that cannot be read as this module's docstring says."""


def journal_path(record_path: Path) -> Path:
    """Where a record's journal lives: beside it, `<record stem>.journal.jsonl`."""
    return record_path.with_name(record_path.stem + SUFFIX)


class Journal:
    """An append-only journal; every line is on disk (fsynced) when `write` returns."""

    def __init__(self, path: Path):
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._file = open(path, "w", encoding="utf-8")  # a session's own: a rerun to the same record starts afresh

    def write(self, kind: str, **fields) -> None:
        line = json.dumps(jsonable({"kind": kind, **fields}), allow_nan=False, separators=(",", ":"))
        self._file.write(line + "\n")
        self._file.flush()
        os.fsync(self._file.fileno())

    def close(self) -> None:
        self._file.close()


def read(path: Path) -> list[dict]:
    """The lines of one journal. A last line cut short (the session was killed while writing it) is dropped;
    anything else unreadable is an error naming the line."""
    lines = Path(path).read_text(encoding="utf-8").split("\n")
    out = []
    for number, line in enumerate(lines, 1):
        if not line:
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            if number == len(lines):  # no newline after it: the write was interrupted
                break
            raise JournalError(f"{path}, line {number}: not JSON ({exc.msg}). A journal is written one whole line "
                               "at a time; this one was changed by hand or is not a labmark journal.") from None
        if not isinstance(obj, dict) or "kind" not in obj:
            raise JournalError(f"{path}, line {number}: expected a JSON object with a 'kind'; found {line[:80]!r}.")
        out.append(obj)
    if not out or out[0]["kind"] != "run" or out[0].get("schema") != SCHEMA:
        raise JournalError(f"{path}: not a labmark journal (its first line must be the run header of schema "
                           f"{SCHEMA!r}).")
    return out


def assemble(paths: list[Path]) -> dict:
    """One run record from the journals of one or more sessions.

    Only (student, experiment) pairs whose entry line was written are graded in
    it; pairs with checks but no entry (the session died during them) are listed
    under "incomplete" with the checks they had finished. A pair graded in two
    journals is an error: the journals overlap.
    """
    if not paths:
        raise JournalError("no journal given")
    record: dict | None = None
    graded_in: dict[tuple[str, str], Path] = {}
    incomplete = []
    for path in paths:
        lines = read(path)
        head = lines[0]
        if record is None:
            record = {k: head[k] for k in ("schema", "run_id", "started", "settings", "environment")}
            record.update(finished=None, catalog={}, submissions={}, journals=[])
        record["journals"].append({"path": str(path), "run_id": head["run_id"], "started": head["started"]})
        checks: dict[tuple[str, str], list[dict]] = {}
        for line in lines[1:]:
            kind = line["kind"]
            if kind == "catalog":
                record["catalog"].update(line["catalog"])
            elif kind == "check":
                checks.setdefault((line["student"], line["experiment"]), []).append(line["check"])
            elif kind == "entry":
                key = (line["student"], line["experiment"])
                if key in graded_in:
                    raise JournalError(f"{path}: {key[0]}'s {key[1]} is graded here and in {graded_in[key]}: the "
                                       "journals overlap. Give each (student, experiment) to one session only.")
                graded_in[key] = path
                entry = Entry.from_json({**line["entry"], "checks": checks.pop(key, [])})
                record["submissions"].setdefault(key[0], {})[key[1]] = entry.to_json()
            elif kind == "resumed":
                record.setdefault("resumed", []).append({k: line[k] for k in ("student", "experiment", "run_id",
                                                                              "journal")})
            elif kind == "anchor":
                record.setdefault("anchors", {}).setdefault(line["experiment"], line["entry"])
            elif kind == "end":
                record["finished"] = max(filter(None, (record["finished"], line["finished"])))
                record["duration_seconds"] = line.get("duration_seconds")
        incomplete += [{"student": s, "experiment": e, "journal": str(path),
                        "checks_finished": [CheckResult.from_json(c).name for c in done]}
                       for (s, e), done in checks.items()]
    incomplete = [i for i in incomplete if (i["student"], i["experiment"]) not in graded_in]  # graded again later
    if incomplete:
        record["incomplete"] = incomplete
    if len(paths) == 1:
        record.pop("journals")
    else:
        record["settings"] = {**record["settings"], "submissions": sorted(record["submissions"])}
    record["catalog"] = dict(sorted(record["catalog"].items()))
    return record
