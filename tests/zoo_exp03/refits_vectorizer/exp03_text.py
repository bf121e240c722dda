"""Defect: predict() fits the TF-IDF vectoriser again, on the texts it is asked to label.

Training is sound: a vectoriser of the 1,000 most frequent words, fitted on the training texts, and
the reference's classifiers on its features. predict() calls fit_transform on the texts it gets, so
column i is now another word (the 1,000 most frequent of those texts), with the same number of
columns: nothing raises, and every model labels the test texts close to chance, as it does the texts
it was trained on. Preprocessing is the reference's: only the six models' checks and the best
model's fail, and the message must name the refitting.
"""
import numpy as np
from reference_solution import (
    clean_words,
    fit_forest,
    fit_mlp,
    make_classifier,
    preprocess,  # noqa: F401
)


def train_model(name, texts, labels, budget):
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import Pipeline

    vectorizer = TfidfVectorizer(analyzer=clean_words, sublinear_tf=True, max_features=1000)
    X, y = vectorizer.fit_transform(texts), np.asarray(labels)
    if name == "random_forest":
        classifier = fit_forest(X, y, budget)
    elif name == "mlp":
        classifier = fit_mlp(X, y, budget)
    else:
        classifier = make_classifier(name, budget).fit(X, y)
    return Pipeline([("tfidf", vectorizer), (name, classifier)])


def predict(model, texts):
    X = model.named_steps["tfidf"].fit_transform(texts)  # the defect: fit again, on the texts to label
    return np.asarray(model[-1].predict(X), dtype=np.int64)
