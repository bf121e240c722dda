"""Defect: train_classifier accepts sample_weight and never passes it to fit.

The weights themselves are right, so both weight checks pass; the "mitigated"
model is the baseline model, and fairness does not move. Everything else is
the reference.
"""
import numpy as np

from reference_solution import predict, reweighing_weights  # noqa: F401 (the interface)
from reference_solution import train_classifier as reference_train


def train_classifier(x_train, y_train, sample_weight, budget):
    return reference_train(x_train, y_train, np.ones(len(y_train)), budget)  # sample_weight dropped
