"""Defect: decision_tree is fitted on a placeholder label column (the majority class of the training
labels for every text), so the tree predicts that class for every text (accuracy about 1/12 on the
balanced topics).

Every other model is the reference's, so the best model is unchanged.
"""
import numpy as np
from reference_solution import make_vectorizer, predict, preprocess  # noqa: F401
from reference_solution import train_model as _reference_train_model


def train_model(name, texts, labels, budget):
    if name != "decision_tree":
        return _reference_train_model(name, texts, labels, budget)
    from sklearn.pipeline import make_pipeline
    from sklearn.tree import DecisionTreeClassifier

    values, counts = np.unique(labels, return_counts=True)
    placeholder = np.full(len(labels), values[counts.argmax()])
    return make_pipeline(make_vectorizer(), DecisionTreeClassifier()).fit(texts, placeholder)
