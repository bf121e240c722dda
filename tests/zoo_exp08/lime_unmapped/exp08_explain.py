"""LIME weights in the order of as_list(), never mapped back to feature indices.

as_list() sorts the features by |weight|, largest first. Written straight
into a vector, the largest weights always land on features 0, 1 and 2, which
fails the driver check only when at most one driver is among them: about 4 in
5 hidden tables (--seed 3, 7 and 9 of 0-10 pass by chance). So that the
defect shows on every table, the sorted weights are zipped against the feature
indices sorted the other way (least important first), the mix-up of sorting
two lists in opposite orders: the drivers get the smallest weights.
"""
import numpy as np

from reference_solution import LIME_SAMPLES, explain_shap, predict_proba, train_model  # noqa: F401


def explain_lime(model, x_train, instance, budget):
    from lime.lime_tabular import LimeTabularExplainer

    x_train = np.asarray(x_train, dtype=float)
    explainer = LimeTabularExplainer(x_train, mode="classification", discretize_continuous=False,
                                     feature_selection="none", random_state=budget.seed)
    explanation = explainer.explain_instance(np.asarray(instance, dtype=float), lambda rows: predict_proba(model, rows),
                                             labels=(1,), num_features=x_train.shape[1], num_samples=LIME_SAMPLES)
    sorted_weights = [weight for _, weight in explanation.as_list(label=1)]  # largest |weight| first
    features_least_first = [feature for feature, _ in explanation.as_map()[1]][::-1]
    weights = np.zeros(x_train.shape[1])
    weights[features_least_first] = sorted_weights  # the defect: the two lists run in opposite orders
    return weights, float(explanation.score)
