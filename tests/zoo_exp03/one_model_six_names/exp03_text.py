"""Lazy: one strong classifier (the reference's linear SVM) returned under all six names.

Every accuracy meets its target, but the lab compares six kinds of model:
the five names that are not a linear SVM must earn nothing.
"""
from reference_solution import predict, preprocess  # noqa: F401
from reference_solution import train_model as _reference_train_model


def train_model(name, texts, labels, budget):
    return _reference_train_model("linear_svm", texts, labels, budget)
