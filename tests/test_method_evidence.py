"""What the worker reports about how a model was made: the layers a prediction really calls
(bench/inside/layers.py) and the estimators a trained model is made of (bench/inside/estimators.py)."""

from __future__ import annotations

import numpy as np
import pytest

from bench.inside.estimators import estimator_classes
from bench.inside.layers import recording_calls


def _short(classes: list[str]) -> list[str]:
    return [c.rsplit(".", 1)[-1] for c in classes]


def test_a_torch_layer_defined_but_skipped_is_not_called():
    torch = pytest.importorskip("torch")
    from torch import nn

    class IdleGRU(nn.Module):
        def __init__(self):
            super().__init__()
            self.gru = nn.GRU(28, 8, batch_first=True)
            self.head = nn.Linear(28 * 28, 10)

        def forward(self, x):
            return self.head(x.flatten(1))

    model = IdleGRU()
    with recording_calls(model) as called:
        model(torch.zeros(2, 28, 28))
    assert called == ["IdleGRU", "Linear"]
    assert "forward" not in vars(model.gru) and "forward" not in vars(model.head)  # restored


def test_a_torch_layer_called_through_forward_directly_counts():
    torch = pytest.importorskip("torch")
    from torch import nn

    class Direct(nn.Module):
        def __init__(self):
            super().__init__()
            self.gru = nn.GRU(28, 8, batch_first=True)

        def forward(self, x):
            return self.gru.forward(x)[0][:, -1]

    model = Direct()
    with recording_calls(model) as called:
        model(torch.zeros(2, 28, 28))
    assert "GRU" in called


def test_an_object_that_is_no_model_reports_nothing():
    with recording_calls(("not", "a", "model")) as called:
        pass
    assert called == []


def test_a_forest_is_not_taken_for_its_trees_and_wrappers_are_followed():
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GridSearchCV
    from sklearn.pipeline import Pipeline
    from sklearn.svm import LinearSVC

    x, y = np.random.default_rng(0).random((40, 3)), np.arange(40) % 2
    forest = RandomForestClassifier(n_estimators=3, random_state=0).fit(x, y)
    assert _short(estimator_classes(Pipeline([("tfidf", TfidfVectorizer()), ("rf", forest)]))) == [
        "Pipeline", "TfidfVectorizer", "RandomForestClassifier"]
    search = GridSearchCV(LogisticRegression(), {"C": [1.0]}, cv=2).fit(x, y)
    assert "LogisticRegression" in _short(estimator_classes((TfidfVectorizer(), {"clf": search})))
    assert "LinearSVC" in _short(estimator_classes(CalibratedClassifierCV(LinearSVC(), cv=2).fit(x, y)))


def test_a_model_held_by_a_class_or_a_closure_is_found():
    from sklearn.naive_bayes import MultinomialNB

    nb = MultinomialNB()

    class Mine:
        def __init__(self):
            self.inner = {"model": nb}

    def predict(texts):
        return nb.predict(texts)

    assert "MultinomialNB" in _short(estimator_classes(Mine()))
    assert "MultinomialNB" in _short(estimator_classes(predict))
