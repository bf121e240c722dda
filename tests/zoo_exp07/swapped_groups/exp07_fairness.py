"""Defect: each row gets the weight of the *other* group's cell with its label.

The four cell weights are the right numbers, assigned across the groups:
female positives get the small weight meant for male positives, male
positives the large one meant for female positives, so reweighing widens
the gap it should close. Everything else is the reference.
"""
import numpy as np

from reference_solution import predict, train_classifier  # noqa: F401 (the interface)


def reweighing_weights(protected, labels):
    a, y = np.asarray(protected, dtype=np.int64), np.asarray(labels, dtype=np.int64)
    joint = np.bincount(2 * a + y, minlength=4).reshape(2, 2) / len(y)
    p_a, p_y = joint.sum(axis=1), joint.sum(axis=0)
    return p_a[1 - a] * p_y[y] / joint[1 - a, y]  # the groups swapped
