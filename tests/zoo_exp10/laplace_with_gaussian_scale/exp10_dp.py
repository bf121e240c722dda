"""Defect: laplace_mechanism uses the Gaussian mechanism's sigma as the Laplace scale.

sigma = sensitivity * sqrt(2 ln(1.25/delta)) / epsilon with delta 1e-5 is 4.84 times the right
scale b = sensitivity / epsilon: private, but far noisier than the definition prescribes.
Everything else is the reference.
"""
import math

from reference.exp10_dp import DELTA  # the experiment's public part: workers see it, as a kit does
from reference_solution import gaussian_mechanism, predict_proba, train_nonprivate, train_private  # noqa: F401


def laplace_mechanism(value, sensitivity, epsilon, rng):
    scale = sensitivity * math.sqrt(2 * math.log(1.25 / DELTA)) / epsilon
    return float(value + rng.laplace(0.0, scale))
