"""Defect: decision_tree is still the placeholder baseline: it predicts the majority class of the
training labels for every text (accuracy about 1/12 on the balanced topics).

Every other model is the reference's, so the best model is unchanged.
"""
from reference_solution import make_vectorizer, predict, preprocess  # noqa: F401
from reference_solution import train_model as _reference_train_model


def train_model(name, texts, labels, budget):
    if name != "decision_tree":
        return _reference_train_model(name, texts, labels, budget)
    from sklearn.dummy import DummyClassifier
    from sklearn.pipeline import make_pipeline

    return make_pipeline(make_vectorizer(), DummyClassifier(strategy="most_frequent")).fit(texts, labels)
