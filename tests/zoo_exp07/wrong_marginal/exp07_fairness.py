"""Defect: the weights divide by P(Y=y | A=a) where the formula has the joint P(A=a, Y=y).

P(A)P(Y)/P(Y|A) is the right weight times P(A=a): within a group the rows
keep their relative weights, but women (a third of the rows) count for half
as much as men. Everything else is the reference.
"""
import numpy as np

from reference_solution import predict, train_classifier  # noqa: F401 (the interface)


def reweighing_weights(protected, labels):
    a, y = np.asarray(protected, dtype=np.int64), np.asarray(labels, dtype=np.int64)
    p_a = np.array([(a == 0).mean(), (a == 1).mean()])
    p_y = np.array([(y == 0).mean(), (y == 1).mean()])
    p_y_given_a = np.array([[((a == g) & (y == v)).sum() / max((a == g).sum(), 1) for v in (0, 1)] for g in (0, 1)])
    return p_a[a] * p_y[y] / p_y_given_a[a, y]
