"""Experiment 8 checks: LIME and SHAP explanations that must be right, not just present.

On a hidden table where three secretly chosen features drive the label, both
methods must rank the model's drivers on top. SHAP values must add up: values
plus the base value equal the model's own predicted probability, which this
process gets from the model separately. Both must also explain *this model,
for this row*: this process asks the submission's own predict_proba about rows
it builds, and measures each explained row's interventional effects (the
prediction minus its mean with one feature replaced by background values) and
LIME's weighted local linear fit on the same kind of perturbations; the
submitted values must agree with them row by row, so a vector that is the same
for every row (global feature importances scaled per row) fails. Accuracy and
speed as elsewhere.
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
# LIME rows explained. Measured (seeds 1-10, 2026-12-02): the reference's LIME and LIME with the library's defaults
# (quartile bins, 5000 samples) put exactly the drivers on top on 10 of 10 tables from 4, 10, 16 or 20 rows; 20 rows
# steady the median of the row-by-row agreement check.
LIME_ROWS = 20
BACKGROUND_ROWS = 30  # background values per feature for the interventional effects: 40 x d x 30 rows, one call
LIME_SAMPLES = 1000  # perturbations per row of this process's own LIME fit (LIME's default is 5000)
# Median over explained rows of the per-row rank correlation between the SHAP values and the model's interventional
# effects; over seeds 1-5 (hidden tables drawn from each), measured with the checks' own code on the reference
# (2 CPU threads, 2026-12-02): drivers 0.879 0.903 0.945 0.921 0.927, breast cancer 0.869 0.900 0.876 0.879 0.891;
# with 60 background rows, lowest 0.846 (breast cancer, seed 3). SHAP = (p - mean p) x feature_importances_ (the same
# direction for every row): 0.37-0.61. The threshold is the midpoint of the reference's lowest and the fake's highest
# (0.726), rounded down.
SHAP_AGREEMENT = 0.72
# Median over explained rows of the per-row (Pearson) correlation between the LIME weights and this process's own
# LIME fit; same seeds and date: reference 0.997-0.998 (no row under 0.99); the same fake vector: 0.01-0.38; the
# midpoint (0.68) rounded down.
LIME_AGREEMENT = 0.68
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


def _predict(run, task: str, split, rows: np.ndarray) -> np.ndarray:
    """The submission's own P(class 1) for rows this process built, in one call."""
    value, _ = run.call("predict_proba", model(run, task, split)["handle"], rows)
    return outputs.probabilities(value, len(rows), 2, "predict_proba()")[:, 1]


def effects(run, task: str, split) -> np.ndarray:
    """(SHAP_ROWS, d): each explained row's interventional effect per feature, through the submission's model:
    its prediction minus the mean prediction with that one feature replaced by background values."""
    def compute():
        rows = split.x_test[:SHAP_ROWS]
        (n, d), b = rows.shape, BACKGROUND_ROWS
        background = split.x_train[np.random.default_rng(len(split.x_train)).choice(len(split.x_train), b, False)]
        batch = np.repeat(rows[:, None, None, :], d, axis=1).repeat(b, axis=2)  # (row, feature replaced, bg, d)
        for j in range(d):
            batch[:, j, :, j] = background[:, j]
        p = _predict(run, task, split, np.concatenate([rows, batch.reshape(-1, d)]))
        return p[:n, None] - p[n:].reshape(n, d, b).mean(axis=2)
    return run.stage(f"effects:{task}", compute)


def local_fit(run, task: str, split) -> np.ndarray:
    """(LIME_ROWS, d): this process's own LIME for each row LIME explains: perturbations drawn as LIME's tabular
    explainer draws them without discretizing (normal around the training mean, training scale), weighted by LIME's
    kernel on the standardized distance to the row, and a ridge fit (alpha 1) of the model's P(class 1)."""
    def compute():
        rows = split.x_test[:LIME_ROWS]
        (n, d), mean, scale = rows.shape, split.x_train.mean(axis=0), split.x_train.std(axis=0)
        data = np.random.default_rng(len(split.x_test)).normal(size=(n, LIME_SAMPLES, d)) * scale + mean
        data[:, 0] = rows
        z = (data - mean) / scale
        kernel = np.sqrt(np.exp(-((z - z[:, :1]) ** 2).sum(axis=2) / (0.75**2 * d)))  # LIME's width 0.75 sqrt(d)
        y = _predict(run, task, split, data.reshape(-1, d)).reshape(n, LIME_SAMPLES)
        fits = []
        for zi, wi, yi in zip(z, kernel, y):
            zc, yc = zi - wi @ zi / wi.sum(), yi - wi @ yi / wi.sum()
            fits.append(np.linalg.solve(zc.T @ (wi[:, None] * zc) + np.eye(d), zc.T @ (wi * yc)))
        return np.array(fits)
    return run.stage(f"local_fit:{task}", compute)


def _row_correlation(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Pearson correlation of each row of a with the same row of b; 0 where a row is constant (says nothing)."""
    a, b = a - a.mean(axis=1, keepdims=True), b - b.mean(axis=1, keepdims=True)
    norm = np.sqrt((a * a).sum(axis=1) * (b * b).sum(axis=1))
    return np.where(norm > 0, (a * b).sum(axis=1) / np.where(norm > 0, norm, 1), 0.0)


def shap_agreement(run, task: str, split) -> np.ndarray:
    """Per explained row: the rank correlation of its SHAP values with the model's interventional effects."""
    from scipy.stats import rankdata
    return _row_correlation(rankdata(shap(run, task, split)["values"], axis=1),
                            rankdata(effects(run, task, split), axis=1))


def lime_agreement(run, split) -> np.ndarray:
    """Per explained row: the correlation of its LIME weights with this process's own local fit."""
    return _row_correlation(lime(run, "drivers", split)["weights"], local_fit(run, "drivers", split))


SHAP_NOT_FOLLOWING = ("Likely cause: not SHAP values of this row: a global importance (feature_importances_, "
                      "mean |SHAP|) scaled or repeated per row, values shuffled between features or rows, or another "
                      "model's. Fix: explain each row with the model itself (e.g. shap.TreeExplainer(model, data=..., "
                      "model_output='probability') or shap.KernelExplainer on predict_proba).")
LIME_NOT_FOLLOWING = ("Likely cause: not this row's LIME: a global importance vector, weights in another order than "
                      "the features, or the quartile-discretized default (weights of bins, not slopes). Fix: "
                      "LimeTabularExplainer(x_train, discretize_continuous=False), explain_instance(row, predict_proba, "
                      "labels=(1,), num_features=d), and map as_map()[1] back to feature indices.")


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


def _median_agreement(check, name: str, agreement: np.ndarray, threshold: float) -> tuple[float, str]:
    """The median of per-row agreements, recorded as evidence, and how to say it in a message."""
    median = float(np.median(agreement))
    check.add(**{name: {"median": round(median, 4), "rows": agreement.round(3).tolist(), "threshold": threshold}})
    return median, f"median {median:.2f} over {len(agreement)} rows, lowest {agreement.min():.2f}"


@pytest.mark.parametrize("task", TASKS)
def test_shap_values_follow_the_model_row_by_row(run, check, tasks, task):
    split, _ = tasks[task]
    median, said = _median_agreement(check, "shap_agreement", shap_agreement(run, task, split), SHAP_AGREEMENT)
    assert median >= SHAP_AGREEMENT, (
        f"Row by row, the SHAP values rank the features unlike the model's own effects on that row (rank "
        f"correlation: {said}; each effect is the prediction minus its mean with that feature replaced by background "
        f"values, asked of your predict_proba). Expected a median of at least {SHAP_AGREEMENT}. {SHAP_NOT_FOLLOWING}")


def test_lime_weights_follow_the_models_local_fit(run, check, tasks):
    split, _ = tasks["drivers"]
    median, said = _median_agreement(check, "lime_agreement", lime_agreement(run, split), LIME_AGREEMENT)
    assert median >= LIME_AGREEMENT, (
        f"Row by row, the LIME weights differ from a weighted local linear fit of your predict_proba around the "
        f"same row (correlation: {said}; LIME's tabular perturbations, {LIME_SAMPLES} per row). Expected a median "
        f"of at least {LIME_AGREEMENT}. {LIME_NOT_FOLLOWING}")


def _top(scores: np.ndarray, k: int = 3) -> set[int]:
    return set(int(i) for i in np.argsort(-scores)[:k])


def _drivers(run, split, drivers) -> tuple[set[int], str]:
    """The model's own drivers (top 3 by mean |interventional effect|) and how to say them beside the data's."""
    model_drivers = _top(np.abs(effects(run, "drivers", split)).mean(axis=0))
    said = (f"features {sorted(drivers)}" if model_drivers == set(drivers) else
            f"features {sorted(drivers)}, and the model's own top 3 by effect are {sorted(model_drivers)}")
    return model_drivers, said


def test_shap_ranks_the_drivers_on_top(run, check, tasks):
    split, drivers = tasks["drivers"]
    importance = np.abs(shap(run, "drivers", split)["values"]).mean(axis=0)
    model_drivers, said = _drivers(run, split, drivers)
    check.add(mean_abs_shap=importance.round(5).tolist(), model_drivers=sorted(model_drivers))
    assert _top(importance) in (set(drivers), model_drivers), (
        f"By mean |SHAP value| the top features are {sorted(_top(importance))}; the label is driven by {said}. "
        "Expected: the model's three drivers on top. Likely cause: explaining another model or class, "
        "or attributions that do not depend on the row.")
    agreement = float(np.median(shap_agreement(run, "drivers", split)))
    assert agreement >= SHAP_AGREEMENT, (
        f"The SHAP values rank the drivers on top only on average: row by row they do not follow the model (median "
        f"rank correlation {agreement:.2f} with its own effects, expected at least {SHAP_AGREEMENT}), so the ranking "
        f"is not one of explanations. {SHAP_NOT_FOLLOWING}")


def test_lime_ranks_the_drivers_on_top(run, check, tasks):
    split, drivers = tasks["drivers"]
    result = lime(run, "drivers", split)
    importance = np.abs(result["weights"]).mean(axis=0)
    check.metric("lime_local_r2", float(np.nanmean(result["scores"])))
    check.add(mean_abs_lime=importance.round(5).tolist(), lime_scores=result["scores"],
              lime_example={"weights": result["weights"][0].round(5).tolist()})
    model_drivers, said = _drivers(run, split, drivers)
    found = max(len(_top(importance) & set(drivers)), len(_top(importance) & model_drivers))
    assert found >= 2, (
        f"Over {LIME_ROWS} explained rows, LIME's largest weights are on features {sorted(_top(importance))}; the "
        f"label is driven by {said} (only {found} of them in the top 3). Expected at least two. "
        "Likely cause: weights not mapped back to feature indices, or too few perturbation samples.")
    agreement = float(np.median(lime_agreement(run, split)))
    assert agreement >= LIME_AGREEMENT, (
        f"LIME's weights rank the drivers on top only on average: row by row they do not follow the model (median "
        f"correlation {agreement:.2f} with a local fit of it, expected at least {LIME_AGREEMENT}), so the ranking is "
        f"not one of explanations. {LIME_NOT_FOLLOWING}")


# The checks that judge the outputs the speed check times (SHAP values and LIME weights): speed is measured only
# when none of them failed (bench/checks/common.py).
SPEED_NEEDS = (
    "shap_values_add_up_to_the_prediction",
    "shap_values_follow_the_model_row_by_row",
    "lime_weights_follow_the_models_local_fit",
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
