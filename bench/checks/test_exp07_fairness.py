"""Experiment 7 checks: reweighing, and fairness before and after it, measured with AIF360 here.

The submission's weights must equal the Kamiran-Calders formula on random
tables (hypothesis) and AIF360's Reweighing on the training data. Its
classifier is trained twice, with equal weights and with its own weights;
disparate impact, statistical parity difference, equal opportunity difference
and average odds difference on the hidden test rows are computed here with
AIF360's ClassificationMetric. Mitigation must move disparate impact towards
1 (by at least half as much as the reference's does on the same rows) and
statistical parity towards 0 while keeping accuracy within a margin; a control
run with every weight equal to 2, which reweighs nothing, must not move it.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from reference import EXPERIMENTS, Budget, module_path

from bench import errors
from bench.scoring import outputs
from bench.data.adult import load_adult
from bench.data.adult_aif360 import PRIVILEGED

EXPERIMENT = EXPERIMENTS["exp07"]
PROTECTED = "sex"
PROPERTY = hsettings(max_examples=25, deadline=None, derandomize=True, database=None,
                     suppress_health_check=list(HealthCheck))
# Measured on the embedded tables drawn from hidden seeds: the reference at the three seeds of `python -m
# bench.calibrate exp07` (its records, 2026-12-02), and the same reference code on the tables of seeds 100-169
# (load_adult(None, seed), metrics as computed here).
# What mitigation may cost in accuracy: the reference loses 0.0065 / 0.0175 / 0.0135 (-0.0005 to 0.024 over seeds
# 100-169), so 0.04 leaves room for noise while a model that mistreats the weights still fails.
ACCURACY_MARGIN = 0.04
# How much of the reference's move of disparate impact towards 1, on the same hidden rows, mitigation must make.
# The reference closes 0.478 / 0.430 / 0.357 of the gap (0.222 -> 0.700, 0.159 -> 0.589, 0.123 -> 0.480), 0.309-0.635
# over seeds 100-169; on the old public rows the zoo's control with its own preprocessing closed 0.99 of the
# reference's share, and weights_flip_one, which ignores the weights and flips one prediction, 0.02.
MIN_SHARE_OF_REFERENCE = 0.5
# The control run: every weight EQUAL_WEIGHT reweighs nothing, so fairness may move by noise only, never by a share
# of mitigation's. The reference moves disparate impact by -0.0020 / +0.0058 / -0.0007 (at most 0.014 of its own
# mitigation's move), by -0.0077 to +0.0183 over seeds 100-169 (at most 0.035 of its move on the same rows).
EQUAL_WEIGHT = 2.0
MAX_SHARE_WITHOUT_REWEIGHING = 0.1


@pytest.fixture
def adult(harness, run):
    """Real Adult from the data directory, else the embedded table drawn from the run's hidden seed, so the
    public generator's default seed does not hold its test labels."""
    seed = harness.settings.hidden_seed
    split = harness.cached("adult", lambda: load_adult(harness.settings.data_dir, seed))
    run.dataset = split.info.hiding_seed(seed)
    return split


def privileged(x) -> np.ndarray:
    return (x[PROTECTED].to_numpy() == PRIVILEGED[PROTECTED]).astype(np.int64)


def formula(protected: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """w(a, y) = P(A=a) P(Y=y) / P(A=a, Y=y), as Kamiran and Calders define it."""
    w = np.empty(len(labels))
    for a in (0, 1):
        for y in (0, 1):
            cell = (protected == a) & (labels == y)
            if cell.any():
                w[cell] = (protected == a).mean() * (labels == y).mean() / cell.mean()
    return w


def weights(run, protected: np.ndarray, labels: np.ndarray) -> np.ndarray:
    value, _ = run.call("reweighing_weights", protected, labels)
    w = outputs.array(value, "reweighing_weights()", f"a float array of shape ({len(labels)},)")
    if w.shape != labels.shape or w.dtype.kind not in "iuf" or not np.isfinite(w).all():
        raise errors.BadOutput(f"reweighing_weights() returned {w.shape} {w.dtype}; expected {labels.shape} "
                               "finite weights, one per row")
    return w.astype(float)


def test_weights_follow_the_formula(run, check):
    run.interface()

    @PROPERTY
    @given(data=st.lists(st.tuples(st.integers(0, 1), st.integers(0, 1)), min_size=8, max_size=400)
           .filter(lambda rows: len(set(rows)) == 4))  # every (group, label) cell present
    def random_tables(data):
        protected, labels = (np.array(c, dtype=np.int64) for c in zip(*data))
        got, expected = weights(run, protected, labels), formula(protected, labels)
        worst = int(np.abs(got - expected).argmax())
        assert np.allclose(got, expected, rtol=1e-6), (
            f"On a random table of {len(labels)} rows, row {worst} (group {protected[worst]}, label "
            f"{labels[worst]}) got weight {got[worst]:.6g}, expected P(A)P(Y)/P(A,Y) = {expected[worst]:.6g}. "
            "Likely cause: a marginal taken over the wrong column or group, or P(A,Y) in the numerator.")
    random_tables()


def test_weights_equal_aif360_reweighing(run, check, adult):
    from aif360.algorithms.preprocessing import Reweighing
    from aif360.datasets import BinaryLabelDataset
    import pandas as pd

    protected, labels = privileged(adult.x_train), np.asarray(adult.y_train)
    frame = pd.DataFrame({PROTECTED: protected, "label": labels})
    data = BinaryLabelDataset(df=frame, label_names=["label"], protected_attribute_names=[PROTECTED])
    expected = Reweighing([{PROTECTED: 0}], [{PROTECTED: 1}]).fit_transform(data).instance_weights
    got = weights(run, protected, labels)
    check.add(weights_by_cell={f"{'male' if a else 'female'}, y={y}": float(expected[(protected == a) & (labels == y)][0])
                               for a in (0, 1) for y in (0, 1)})
    assert np.allclose(got, expected, rtol=1e-6), (
        f"The weights differ from AIF360's Reweighing on the training data by up to "
        f"{np.abs(got - expected).max():.4g}. Expected: identical (both are P(A)P(Y)/P(A,Y)).")


def fairness(y_true, y_pred, protected) -> dict:
    """AIF360's own metrics for predictions on the hidden test rows."""
    import pandas as pd
    from aif360.datasets import BinaryLabelDataset
    from aif360.metrics import ClassificationMetric

    truth = BinaryLabelDataset(df=pd.DataFrame({PROTECTED: protected, "label": y_true}), label_names=["label"],
                               protected_attribute_names=[PROTECTED])
    pred = truth.copy()
    pred.labels = np.asarray(y_pred, dtype=float).reshape(-1, 1)
    m = ClassificationMetric(truth, pred, unprivileged_groups=[{PROTECTED: 0}], privileged_groups=[{PROTECTED: 1}])
    return {"disparate_impact": float(m.disparate_impact()),
            "statistical_parity_difference": float(m.statistical_parity_difference()),
            "equal_opportunity_difference": float(m.equal_opportunity_difference()),
            "average_odds_difference": float(m.average_odds_difference()),
            "accuracy": float(m.accuracy())}


def outcome(run, adult, mitigated: bool, control: float | None = None) -> dict:
    """Fairness and accuracy on the hidden test rows of the classifier trained with equal weights (1), with the
    submission's reweighing weights (mitigated), or with every weight equal to `control` (a stage of its own)."""
    name = f"equal_weights_{control:g}" if control is not None else "mitigated" if mitigated else "baseline"

    def compute():
        labels = np.asarray(adult.y_train)
        w = (weights(run, privileged(adult.x_train), labels) if mitigated and control is None
             else np.full(len(labels), 1.0 if control is None else control))
        model, seconds = run.call("train_classifier", adult.x_train, labels, w, Budget, train=True, model=True)
        value, _ = run.call("predict", model, adult.x_test)
        pred = outputs.array(value, "predict()", f"0/1 labels of shape ({len(adult.x_test)},)")
        if pred.shape != (len(adult.x_test),) or not np.isin(pred, (0, 1)).all():
            raise errors.BadOutput(f"predict() returned {pred.shape} values outside 0/1; expected "
                                   f"({len(adult.x_test)},) labels 0 or 1")
        run.record_outputs(name, pred, adult.y_test)
        return {**fairness(adult.y_test, pred, privileged(adult.x_test)), "seconds": seconds}
    return run.stage(name, compute)


def gap_closed(before: dict, after: dict) -> float:
    """How much nearer 1 disparate impact came (negative: it moved away)."""
    return abs(1 - before["disparate_impact"]) - abs(1 - after["disparate_impact"])


def test_baseline_accuracy(run, check, adult):
    before = outcome(run, adult, False)
    check.add(fairness=before)
    check.grade("accuracy_baseline", before["accuracy"], EXPERIMENT, adult.info.variant,
                what="test accuracy without mitigation")


def test_mitigation_moves_fairness_towards_parity(run, check, adult, harness):
    before, after = outcome(run, adult, False), outcome(run, adult, True)
    check.add(mitigation={"before": before, "after": after})
    for name in ("disparate_impact", "statistical_parity_difference", "equal_opportunity_difference",
                 "average_odds_difference"):
        check.metric(f"{name}_before", before[name])
        check.metric(f"{name}_after", after[name])
    assert abs(1 - after["disparate_impact"]) < abs(1 - before["disparate_impact"]), (
        f"Disparate impact went from {before['disparate_impact']:.3f} to {after['disparate_impact']:.3f}: not "
        "closer to 1. Expected: reweighing moves it towards 1. Likely cause: the weights are not passed to the "
        "classifier's fit (sample_weight), or the groups are swapped.")
    assert abs(after["statistical_parity_difference"]) < abs(before["statistical_parity_difference"]), (
        f"Statistical parity difference went from {before['statistical_parity_difference']:.3f} to "
        f"{after['statistical_parity_difference']:.3f}: not closer to 0.")
    closed = check.metric("disparate_impact_gap_closed", gap_closed(before, after))
    # The reference on the same rows; a student kit has no reference solution, and checks the share at grading.
    expected = (gap_closed(*[outcome(harness.anchor(EXPERIMENT), adult, m) for m in (False, True)])
                if module_path(EXPERIMENT).exists() else None)
    assert expected is None or closed >= MIN_SHARE_OF_REFERENCE * expected, (
        f"Reweighing brought disparate impact {closed:.3f} nearer 1 ({before['disparate_impact']:.3f} -> "
        f"{after['disparate_impact']:.3f}); the reference, on the same rows, {expected:.3f}, and at least "
        f"{MIN_SHARE_OF_REFERENCE:.0%} of that is expected. Likely cause: the weights barely reach the fit "
        "(sample_weight not passed on, or passed to a step that ignores it).")
    control = outcome(run, adult, False, control=EQUAL_WEIGHT)
    check.metric(f"disparate_impact_equal_weights_{EQUAL_WEIGHT:g}", control["disparate_impact"])
    assert gap_closed(before, control) <= MAX_SHARE_WITHOUT_REWEIGHING * (closed if expected is None else expected), (
        f"With every weight equal to {EQUAL_WEIGHT:g}, which reweighs nothing, disparate impact went from "
        f"{before['disparate_impact']:.3f} to {control['disparate_impact']:.3f}, as if mitigated. Expected: "
        "equal weights train the same model as no weights. Likely cause: train_classifier changes its "
        "predictions whenever the weights are not all 1, instead of fitting with them.")
    check.message = (f"disparate impact {before['disparate_impact']:.3f} -> {after['disparate_impact']:.3f}, "
                     f"statistical parity {before['statistical_parity_difference']:.3f} -> "
                     f"{after['statistical_parity_difference']:.3f}")


def test_mitigation_keeps_accuracy(run, check, adult):
    before, after = outcome(run, adult, False), outcome(run, adult, True)
    cost = before["accuracy"] - after["accuracy"]
    check.metric("accuracy_cost", cost)
    assert cost <= ACCURACY_MARGIN, (
        f"Mitigation cost {cost:.3f} accuracy ({before['accuracy']:.3f} -> {after['accuracy']:.3f}), more than "
        f"the {ACCURACY_MARGIN} allowed. Likely cause: weights far from the Kamiran-Calders ones, or a model that "
        "cannot use weights well.")
    check.message = f"accuracy {before['accuracy']:.3f} -> {after['accuracy']:.3f}"
