"""A speed check runs only on code whose outputs passed (bench/checks/common.py, SPEED_NEEDS): one bug is
charged once, by the check that found it, and the speed check is skipped naming that check."""

from __future__ import annotations

import importlib
from types import SimpleNamespace

import pytest

from reference import EXPERIMENTS

from bench.checks import catalog
from bench.checks.common import failed_outputs, require_passed_outputs
from bench.record import CheckResult, Entry

EXP08 = importlib.import_module("bench.checks.test_exp08_explain")


def entry(*checks: tuple[str, str, str | None]) -> Entry:
    return Entry(checks=[CheckResult(name=n, status=s, score=0.0, kind=k, message=f"{n} said why. More.")
                         for n, s, k in checks])


def test_lime_weights_that_failed_skip_the_speed_check_naming_that_check():
    """lime_unmapped: LIME's weights are never mapped to feature indices; its ranking check fails, and the
    speed check, which would time that LIME again, is skipped rather than failed."""
    run = SimpleNamespace(entry=entry(("accuracy[drivers]", "pass", None),
                                      ("shap_values_add_up_to_the_prediction[drivers]", "pass", None),
                                      ("lime_ranks_the_drivers_on_top", "fail", "check_failed")))
    with pytest.raises(pytest.skip.Exception) as skipped:
        require_passed_outputs(run, EXP08)
    reason = str(skipped.value)
    assert "lime_ranks_the_drivers_on_top" in reason and "check_failed" in reason
    assert "outputs passed" in reason


def test_a_wrong_shape_error_and_a_parametrized_check_count_too():
    run = SimpleNamespace(entry=entry(("shap_values_add_up_to_the_prediction[breast_cancer]", "error", "bad_output"),
                                      ("lime_ranks_the_drivers_on_top", "error", "bad_output")))
    assert [c.name for c in failed_outputs(run.entry, EXP08.SPEED_NEEDS)] == [
        "shap_values_add_up_to_the_prediction[breast_cancer]", "lime_ranks_the_drivers_on_top"]
    with pytest.raises(pytest.skip.Exception, match=r"shap_values_add_up_to_the_prediction\[breast_cancer\] \(and "
                                                    r"lime_ranks_the_drivers_on_top\)"):
        require_passed_outputs(run, EXP08)


@pytest.mark.parametrize("status, kind", [("pass", None), ("fail", "below_target"), ("error", "harness_error"),
                                          ("skipped", None)])
def test_valid_outputs_and_failures_elsewhere_leave_the_speed_check_to_run(status, kind):
    """Passed, short of a target (valid outputs, only weaker), the harness's own error, or not run: timed."""
    run = SimpleNamespace(entry=entry(("lime_ranks_the_drivers_on_top", status, kind),
                                      ("accuracy[drivers]", "fail", "check_failed")))  # not among SPEED_NEEDS
    require_passed_outputs(run, EXP08)  # no skip
    assert not failed_outputs(run.entry, EXP08.SPEED_NEEDS)


def test_a_module_without_speed_needs_is_never_gated():
    run = SimpleNamespace(entry=entry(("lime_ranks_the_drivers_on_top", "fail", "check_failed")))
    require_passed_outputs(run, SimpleNamespace())


@pytest.mark.parametrize("experiment", sorted(EXPERIMENTS))
def test_speed_needs_name_checks_the_experiment_has(experiment):
    module = importlib.import_module(f"bench.checks.test_{EXPERIMENTS[experiment].module}")
    names = catalog.module_check_names(module)
    for need in getattr(module, "SPEED_NEEDS", ()):
        assert any(n == need or n.startswith(f"{need}[") for n in names), (experiment, need)
    if getattr(module, "SPEED_NEEDS", ()):
        assert "speed" in names, f"{experiment}: SPEED_NEEDS without a speed check"
