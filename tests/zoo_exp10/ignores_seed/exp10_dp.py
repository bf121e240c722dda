"""Defect: the mechanisms draw from a fresh unseeded generator, np.random.default_rng(), instead of
the rng they are given.

Each draw is random and has the right distribution, so the distribution checks pass; but the same
seed does not give the same noise, so no release can be reproduced. Everything else is the reference.
"""
import numpy as np

from reference_solution import gaussian_mechanism as reference_gaussian
from reference_solution import laplace_mechanism as reference_laplace
from reference_solution import predict_proba, train_nonprivate, train_private  # noqa: F401


def laplace_mechanism(value, sensitivity, epsilon, rng):
    return reference_laplace(value, sensitivity, epsilon, np.random.default_rng())


def gaussian_mechanism(value, sensitivity, epsilon, delta, rng):
    return reference_gaussian(value, sensitivity, epsilon, delta, np.random.default_rng())
