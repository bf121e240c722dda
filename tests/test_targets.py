"""Targets: partial credit between floor and target, and which target a run is graded against."""

from __future__ import annotations

import pytest

from reference import EXPERIMENTS
from reference.spec import BudgetSpec, Experiment, Target


def _target(**kw) -> Target:
    return Target(**{"metric": "bleu", "floor": 10.0, "target": 50.0, "variant": "embedded", "source": "test",
                     **kw})


def _experiment(*targets: Target) -> Experiment:
    return Experiment(id="exp99", module="exp99_test", title="t", aim="a", interface=(), targets=targets,
                      graded_metrics=("bleu",), budget=BudgetSpec(train_seconds=1, quick_train_seconds=1))


@pytest.mark.parametrize("value, credit", [(5, 0.0), (10, 0.0), (30, 0.5), (50, 1.0), (90, 1.0)])
def test_credit_is_linear_between_floor_and_target(value, credit):
    assert _target().credit(value) == pytest.approx(credit)


def test_lower_is_better_reverses_the_scale():
    fid = _target(floor=300.0, target=100.0, higher_is_better=False)
    assert (fid.credit(50), fid.credit(200), fid.credit(400)) == (1.0, 0.5, 0.0)


def test_quick_runs_use_the_quick_budgets_target_and_full_runs_never_do():
    full, quick = _target(), _target(target=20.0, floor=5.0, budget="quick")
    both = _experiment(full, quick)
    assert both.target("bleu", "embedded") is full
    assert both.target("bleu", "embedded", quick=True) is quick
    assert _experiment(full).target("bleu", "embedded", quick=True) is full  # no quick target: the one there is
    assert _experiment(quick).target("bleu", "embedded") is None  # a quick target never grades a full run
    assert both.target("bleu", "real", quick=True) is None


def test_every_registered_target_names_a_graded_metric_and_says_where_it_came_from():
    for spec in EXPERIMENTS.values():
        for t in spec.targets:
            assert t.metric in spec.graded_metrics, (spec.id, t.metric)
            assert t.budget in ("", "quick") and "reference, seeds" in t.source, (spec.id, t)
            assert (t.floor < t.target) == t.higher_is_better, (spec.id, t)
