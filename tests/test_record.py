"""The run record: plain JSON, written atomically."""

from __future__ import annotations

import json

import numpy as np
import pytest

from bench.record import CheckResult, Entry, RunRecord, jsonable, load
from conftest import REPO


def test_numpy_values_and_nan_become_plain_json():
    out = jsonable({"a": np.float32(0.5), "b": np.arange(3), "c": float("nan"), "d": (np.int64(2),)})
    assert out == {"a": 0.5, "b": [0, 1, 2], "c": None, "d": [2]}
    json.dumps(out, allow_nan=False)


def test_a_failed_write_leaves_the_previous_record_whole(tmp_path):
    path = tmp_path / "run.json"
    record = RunRecord({"seed": 0}, {})
    record.add_check("alice", "exp06", CheckResult(name="x", status="pass", score=1.0))
    record.write(path)
    before = path.read_text()
    record.data["unserialisable"] = object()
    with pytest.raises(TypeError):
        record.write(path)
    assert path.read_text() == before
    assert [p.name for p in tmp_path.iterdir()] == ["run.json"]
    assert load(path)["submissions"]["alice"]["exp06"]["checks"][0]["status"] == "pass"


def test_unknown_statuses_are_refused():
    with pytest.raises(ValueError, match="status 'passed' is not one of"):
        CheckResult(name="x", status="passed", score=1.0)
    with pytest.raises(ValueError, match="outside"):
        CheckResult(name="x", status="fail", score=1.5)


def test_load_refuses_other_json(tmp_path):
    path = tmp_path / "other.json"
    path.write_text('{"hello": 1}')
    with pytest.raises(ValueError, match="not a labmark run record"):
        load(path)


def test_typed_entries_read_back_what_a_real_run_wrote():
    """The record's entries, check results and budgets read into their dataclasses and write out unchanged."""
    data = load(REPO / "tests" / "fixtures" / "run-record.json")
    for experiments in data["submissions"].values():
        for raw in experiments.values():
            entry = Entry.from_json(raw)
            assert entry.budget.train_seconds == raw["budget"]["train_seconds"]
            assert [c.name for c in entry.checks] == [c["name"] for c in raw["checks"]]
            # Fields this older record predates read as their defaults.
            assert jsonable(entry) == {"outputs": {}, **raw, "budget": {"gpu_memory_mb": 0, **raw["budget"]},
                                       "checks": [{"markers": [], **c} for c in raw["checks"]]}
