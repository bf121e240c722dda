"""SHAP values that are not SHAP values: the model's global feature importances, the same for every row.

The base value is the mean prediction, so nothing adds up to the row's own
probability: the additivity check must fail.
"""
import numpy as np

from reference_solution import explain_lime, predict_proba, train_model  # noqa: F401 (the interface)


def explain_shap(model, x_train, x_explain, budget):
    x_explain = np.asarray(x_explain, dtype=float)
    values = np.tile(model.feature_importances_, (len(x_explain), 1))
    base = float(predict_proba(model, x_explain)[:, 1].mean())
    return values, base
