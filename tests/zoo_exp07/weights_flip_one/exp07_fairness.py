"""Lazy: train_classifier ignores sample_weight, and predict flips one prediction (a woman's, to 1) whenever
the weights it was trained with were not all 1, so that "after" differs from "before" and disparate impact
creeps towards 1 (0.201 -> 0.207) without any reweighing reaching the fit. Everything else is the reference.
"""
import numpy as np

from reference_solution import predict as reference_predict
from reference_solution import reweighing_weights  # noqa: F401 (the interface)
from reference_solution import train_classifier as reference_train


def train_classifier(x_train, y_train, sample_weight, budget):
    model = reference_train(x_train, y_train, np.ones(len(y_train)), budget)  # sample_weight dropped
    return model, bool(np.any(np.asarray(sample_weight) != 1))


def predict(model, x):
    model, reweighed = model
    pred = reference_predict(model, x)
    if reweighed:
        women_predicted_0 = np.flatnonzero((x["sex"].to_numpy() != "Male") & (pred == 0))
        pred[women_predicted_0[:1]] = 1
    return pred
