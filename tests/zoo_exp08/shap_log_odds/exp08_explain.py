"""SHAP values of the log-odds, not of the probability.

TreeExplainer's default for gradient boosting explains the raw margin; those
values add up to the log-odds, so against predict_proba additivity fails.
"""
import numpy as np

from reference_solution import explain_lime, predict_proba, train_model  # noqa: F401 (the interface)


def explain_shap(model, x_train, x_explain, budget):
    import shap

    explainer = shap.TreeExplainer(model)  # tree_path_dependent, model_output="raw": log-odds
    values = np.asarray(explainer.shap_values(np.asarray(x_explain, dtype=float)))
    base = float(np.asarray(explainer.expected_value).reshape(-1)[-1])
    return values, base
