"""SHAP = (p - mean p) x the model's global feature_importances_; LIME = the same vector.

The importances sum to 1, so each row's values add up to p - mean p and the
base value (mean p) completes the prediction exactly: additivity holds by
construction. The importances rank the drivers first, so on average both
"explanations" put the drivers on top. Yet the vector points the same way for
every row; the checks that compare each row with the model's own effects (SHAP)
and with a local fit (LIME) must fail, and the ranking checks with them.
"""
import numpy as np

from reference_solution import predict_proba, train_model  # noqa: F401 (the interface)


def explain_shap(model, x_train, x_explain, budget):
    p = predict_proba(model, x_explain)[:, 1]
    return (p - p.mean())[:, None] * model.feature_importances_, float(p.mean())


def explain_lime(model, x_train, instance, budget):
    mean = predict_proba(model, x_train)[:, 1].mean()
    p = predict_proba(model, np.asarray(instance, dtype=float)[None])[0, 1]
    return (p - mean) * model.feature_importances_, 1.0
