"""Experiment 8 checks: LIME and SHAP explanations that must be right, not just present.

On a hidden table where three secretly chosen features drive the label, both
methods must rank those features on top. SHAP values must add up: values plus
the base value equal the model's own predicted probability, which this
process gets from the model separately. Accuracy and speed as elsewhere.
"""

from __future__ import annotations

import numpy as np
import pytest

from reference import EXPERIMENTS, Budget

from bench import errors
from bench.scoring import outputs
from bench.checks.common import Speed
from bench.data.drivers import make_driven_table
from bench.data.shipped import load_breast_cancer

EXPERIMENT = EXPERIMENTS["exp08"]
TASKS = ("breast_cancer", "drivers")
SHAP_ROWS = 40
LIME_ROWS = 4
ADDITIVITY_TOLERANCE = 1e-3  # exact methods add up to float precision; the kernel method does by construction


@pytest.fixture
def tasks(harness, run):
    """task -> (split, driver indices or None); both drawn once per session from the run's hidden seed
    (breast cancer: real training rows, new test rows that no lookup of the public table finds)."""
    seed = harness.settings.hidden_seed

    def make():
        drivers_split, drivers = make_driven_table(seed)
        return {"breast_cancer": (load_breast_cancer(None, seed), None), "drivers": (drivers_split, drivers)}
    out = harness.cached("exp08-tasks", make)
    run.dataset = out["drivers"][0].info.hiding_seed(seed)
    run.entry.dataset["also"] = out["breast_cancer"][0].info.hiding_seed(seed).to_json()
    return out


def model(run, task: str, split) -> dict:
    def compute():
        handle, seconds = run.call("train_model", split.x_train, split.y_train, Budget, train=True, model=True)
        value, _ = run.call("predict_proba", handle, split.x_test)
        return {"handle": handle, "seconds": seconds,
                "probs": outputs.probabilities(value, len(split.x_test), 2, "predict_proba()")}
    return run.stage(f"model:{task}", compute)


def shap(run, task: str, split) -> dict:
    def compute():
        m = model(run, task, split)
        rows = split.x_test[:SHAP_ROWS]
        value, seconds = run.call("explain_shap", m["handle"], split.x_train, rows, Budget)
        if not (isinstance(value, tuple) and len(value) == 2):
            raise errors.BadOutput(f"explain_shap() returned {type(value).__name__}; expected (values, base_value)")
        values = outputs.array(value[0], "explain_shap()", f"values of shape ({len(rows)}, {rows.shape[1]})")
        base = np.asarray(value[1], dtype=float).ravel()
        if values.shape != rows.shape or values.dtype.kind not in "iuf" or not np.isfinite(values).all():
            raise errors.BadOutput(f"explain_shap() returned values of shape {values.shape}; expected "
                                   f"{rows.shape}, one finite value per feature of each explained row. Likely "
                                   "cause: values for both classes; keep those of class 1.")
        if base.size not in (1, len(rows)) or not np.isfinite(base).all():
            raise errors.BadOutput(f"explain_shap()'s base value has {base.size} entries; expected one number")
        return {"values": values.astype(float), "base": base, "seconds": seconds}
    return run.stage(f"shap:{task}", compute)


def lime(run, task: str, split) -> dict:
    def compute():
        m = model(run, task, split)
        weights, scores, seconds = [], [], 0.0
        for row in split.x_test[:LIME_ROWS]:
            value, took = run.call("explain_lime", m["handle"], split.x_train, row, Budget)
            if not (isinstance(value, tuple) and len(value) == 2):
                raise errors.BadOutput(f"explain_lime() returned {type(value).__name__}; expected (weights, score)")
            w = outputs.array(value[0], "explain_lime()", f"weights of shape ({len(row)},)")
            if w.shape != row.shape or not np.isfinite(w).all():
                raise errors.BadOutput(f"explain_lime() returned weights of shape {w.shape}; expected {row.shape}: "
                                       "one weight per feature (0 for features LIME did not select). Likely cause: "
                                       "returning as_list() pairs; map them back to feature indices.")
            weights.append(w.astype(float))
            scores.append(float(value[1]) if isinstance(value[1], (int, float)) else float("nan"))
            seconds += took
        return {"weights": np.array(weights), "scores": scores, "seconds": seconds}
    return run.stage(f"lime:{task}", compute)


@pytest.mark.parametrize("task", TASKS)
def test_accuracy(run, check, tasks, task):
    split, _ = tasks[task]
    probs = model(run, task, split)["probs"]
    accuracy = float((probs.argmax(1) == split.y_test).mean())
    check.grade(f"accuracy_{task}", accuracy, EXPERIMENT, split.info.variant,
                what=f"test accuracy ({task.replace('_', ' ')})")


@pytest.mark.parametrize("task", TASKS)
def test_shap_values_add_up_to_the_prediction(run, check, tasks, task):
    split, _ = tasks[task]
    s = shap(run, task, split)
    predicted = model(run, task, split)["probs"][:SHAP_ROWS, 1]
    total = s["values"].sum(axis=1) + s["base"]
    gap = np.abs(total - predicted)
    check.add(additivity={"max_gap": float(gap.max()), "rows": SHAP_ROWS})
    worst = int(gap.argmax())
    assert gap.max() <= ADDITIVITY_TOLERANCE, (
        f"SHAP values plus the base value differ from the model's predicted probability by up to "
        f"{gap.max():.3g} (row {worst}: {total[worst]:.4f} vs {predicted[worst]:.4f}). Expected: equal within "
        f"{ADDITIVITY_TOLERANCE:g}. Likely causes: values for the log-odds or for class 0, a base value from "
        "another model, or not SHAP values at all (global feature importances repeated per row).")


def _top(scores: np.ndarray, k: int = 3) -> set[int]:
    return set(int(i) for i in np.argsort(-scores)[:k])


def test_shap_ranks_the_drivers_on_top(run, check, tasks):
    split, drivers = tasks["drivers"]
    importance = np.abs(shap(run, "drivers", split)["values"]).mean(axis=0)
    check.add(mean_abs_shap=importance.round(5).tolist())
    assert _top(importance) == set(drivers), (
        f"By mean |SHAP value| the top features are {sorted(_top(importance))}; the label is driven by features "
        f"{sorted(drivers)}. Expected: those three on top. Likely cause: explaining another model or class, "
        "or attributions that do not depend on the row.")


def test_lime_ranks_the_drivers_on_top(run, check, tasks):
    split, drivers = tasks["drivers"]
    result = lime(run, "drivers", split)
    importance = np.abs(result["weights"]).mean(axis=0)
    check.metric("lime_local_r2", float(np.nanmean(result["scores"])))
    check.add(mean_abs_lime=importance.round(5).tolist(), lime_scores=result["scores"],
              lime_example={"weights": result["weights"][0].round(5).tolist()})
    found = _top(importance) & set(drivers)
    assert len(found) >= 2, (
        f"Over {LIME_ROWS} explained rows, LIME's largest weights are on features {sorted(_top(importance))}; the "
        f"label is driven by {sorted(drivers)} (only {len(found)} of them in the top 3). Expected at least two. "
        "Likely cause: weights not mapped back to feature indices, or too few perturbation samples.")


# The checks that judge the outputs the speed check times (SHAP values and LIME weights): speed is measured only
# when none of them failed (bench/checks/common.py).
SPEED_NEEDS = (
    "shap_values_add_up_to_the_prediction",
    "shap_ranks_the_drivers_on_top",
    "lime_ranks_the_drivers_on_top",
)


@pytest.fixture
def speed(run, tasks, harness) -> Speed:
    """SHAP and LIME time per explained row (both tasks), against the reference in the same run."""
    def per_row(r):
        total = 0.0
        for task in TASKS:
            split, _ = tasks[task]
            total += shap(r, task, split)["seconds"] / SHAP_ROWS + lime(r, task, split)["seconds"] / LIME_ROWS
        return total
    mine, ref = per_row(run), harness.reference_figure(EXPERIMENT, per_row)
    return Speed("explanations (SHAP + LIME per row)", mine, ref, metrics={"seconds_per_explained_row": mine})
