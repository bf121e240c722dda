"""Stages: computed once per run, a failure told to the check that ran it, and later checks skipped naming it."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from reference import EXPERIMENTS

from bench import errors
from bench.runner import SubmissionRun


def _run(running: dict) -> SubmissionRun:
    settings = SimpleNamespace(budget_scale=1.0, quick=False, device="cpu", seed=0, threads=2)
    return SubmissionRun("alice", EXPERIMENTS["exp06"], settings, None,
                         checking=lambda: running["check"])


def test_a_stage_runs_once_and_every_check_gets_its_value():
    running, calls = {"check": "detector_f1[zscore]"}, []
    run = _run(running)
    assert run.stage("detect:zscore", lambda: calls.append(1) or "masks") == "masks"
    running["check"] = "speed"
    assert run.stage("detect:zscore", lambda: calls.append(1) or "other") == "masks"
    assert calls == [1]


def test_a_failed_stage_is_raised_to_the_running_check_and_later_checks_are_skipped_naming_it():
    running = {"check": "detector_f1[zscore]"}
    run = _run(running)

    def broken():
        raise errors.BadOutput("zscore_detector() returned 3 flags for 4 samples. Expected one per sample.")

    with pytest.raises(errors.BadOutput):
        run.stage("detect:zscore", broken)
    running["check"] = "speed"
    with pytest.raises(pytest.skip.Exception, match=r"not run: detect:zscore \(in check detector_f1\[zscore\]\) "
                                                    r"failed \(bad_output: zscore_detector\(\) returned 3 flags"):
        run.stage("detect:zscore", broken)


def test_a_harness_bug_in_a_stage_is_not_blamed_on_the_submission_later():
    running = {"check": "detector_f1[zscore]"}
    run = _run(running)
    with pytest.raises(KeyError):
        run.stage("detect:zscore", lambda: {}["missing"])
    running["check"] = "speed"
    with pytest.raises(pytest.skip.Exception, match=r"internal harness error in check detector_f1\[zscore\] "
                                                    r"\(KeyError\); not the submission's fault"):
        run.stage("detect:zscore", lambda: "never")


def test_a_failure_while_closing_a_run_is_recorded_for_the_staff_not_raised():
    class BrokenWorker:
        stopped = None
        killed = False

        def cpu_seconds(self):
            raise OSError("the worker's cgroup is gone")

        def kill(self):
            self.killed = True

    run = _run({"check": "speed"})
    run.worker = worker = BrokenWorker()
    run.close()  # never raises: a failure here is nobody's mark
    assert run.worker is None and worker.killed
    assert run.entry.worker["close_error"] == "OSError: the worker's cgroup is gone"
