"""Lazy: no model. train_classifier keeps the most frequent training label and predict answers it for every
row. What this scores is what needs no learning: the baseline accuracy's floor is set at or above it
(`python -m bench.calibrate exp07 --baseline tests/zoo_exp07/predicts_majority_class`). Self-contained (the
weights are the formula's), so that bench.calibrate can grade it as it stands."""
import numpy as np


def reweighing_weights(protected, labels):
    a, y = np.asarray(protected, dtype=np.int64), np.asarray(labels, dtype=np.int64)
    joint = np.bincount(2 * a + y, minlength=4).reshape(2, 2) / len(y)
    return joint.sum(axis=1)[a] * joint.sum(axis=0)[y] / joint[a, y]


def train_classifier(x_train, y_train, sample_weight, budget):
    return int(np.bincount(np.asarray(y_train, dtype=np.int64)).argmax())


def predict(model, x):
    return np.full(len(x), model, dtype=np.int64)
