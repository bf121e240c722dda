"""Training a submission does where no budget counts it is taken off its training budget.

Work done at import time (beyond what importing the frameworks costs) and work
done between calls (a background thread) are measured as CPU time of the whole
worker, and the next training call's budget shrinks by that time spread over
the worker's threads; when nothing is left, the call is not made at all.
"""

from __future__ import annotations

import textwrap
import time
from types import SimpleNamespace

import pytest

from bench import errors
from bench.isolation import sandbox
from bench.runner import IMPORT_CPU_ALLOWANCE, SubmissionRun
from bench.worker import Limits, Worker

from reference import EXPERIMENTS, Budget

from conftest import LAYERS


class FakeWorker:
    def __init__(self, outside: float):
        self.outside = outside

    def cpu_outside_requests(self) -> float:
        return self.outside


def _run(import_cpu: float, outside: float = 0.0) -> SubmissionRun:
    settings = SimpleNamespace(budget_scale=1.0, quick=False, device="cpu", seed=0, threads=2)
    run = SubmissionRun("alice", EXPERIMENTS["exp01"], settings)
    run.import_cpu_seconds = import_cpu
    run.worker = FakeWorker(outside)
    run.source = SimpleNamespace(path=SimpleNamespace(name="exp01_cnn_rnn.py"))
    return run


def test_an_ordinary_import_costs_nothing():
    run = _run(import_cpu=IMPORT_CPU_ALLOWANCE - 1)
    budget = run._charge("train_cnn", Budget(seconds=100, threads=2))
    assert budget.seconds == 100 and run.entry.worker["cpu"]["charged_to_training_seconds"] == 0


def test_training_at_import_is_charged_once_over_the_threads():
    run = _run(import_cpu=IMPORT_CPU_ALLOWANCE + 40)
    first = run._charge("train_cnn", Budget(seconds=100, threads=2))
    second = run._charge("train_rnn", Budget(seconds=100, threads=2))
    assert first.seconds == pytest.approx(80) and second.seconds == 100
    assert run.entry.worker["cpu"]["charged_to_training_seconds"] == pytest.approx(20)


def test_work_between_calls_is_charged_to_the_next_training_call():
    run = _run(import_cpu=0, outside=30)
    assert run._charge("train_cnn", Budget(seconds=100, threads=2)).seconds == pytest.approx(85)


def test_nothing_left_means_the_training_call_is_not_made():
    run = _run(import_cpu=IMPORT_CPU_ALLOWANCE + 400)
    with pytest.raises(errors.Timeout, match="No training budget is left for train_cnn.*training at module level"):
        run._charge("train_cnn", Budget(seconds=100, threads=2))


@pytest.mark.parametrize("layer", LAYERS)
def test_cpu_between_calls_and_at_import_is_measured(tmp_path, layer):
    path = tmp_path / "busy.py"
    path.write_text(textwrap.dedent("""
        import threading, time

        def _spin(seconds):
            end = time.process_time() + seconds
            while time.process_time() < end:
                pass

        _spin(1.0)  # work at import time

        def start():
            threading.Thread(target=_spin, args=(1.5,), daemon=True).start()

        def idle():
            return 1
    """))
    with Worker("busy", Limits(), isolation=sandbox.resolve(layer)) as w:
        before = w.cpu_seconds()
        w.load(path, "busy", [], timeout=60)
        assert w.cpu_seconds() - before > 0.8
        spun = w.cpu_seconds()
        w.call("start", timeout=10)
        deadline = time.monotonic() + 30  # the thread spins while no request runs (slower on a loaded machine)
        while w.cpu_seconds() - spun < 1.5 and time.monotonic() < deadline:
            time.sleep(0.25)
        w.call("idle", timeout=10)
        assert w.cpu_outside_requests() > 1.0
