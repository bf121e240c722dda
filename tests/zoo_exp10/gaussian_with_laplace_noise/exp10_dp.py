"""Defect: gaussian_mechanism draws Laplace noise.

The variance is right (Laplace scale sigma / sqrt(2) has sd sigma), so the mean and spread of the
draws look fine; only the shape of the distribution is wrong: what the KS test has to see.
Everything else is the reference.
"""
import math

from reference_solution import laplace_mechanism, predict_proba, train_nonprivate, train_private  # noqa: F401


def gaussian_mechanism(value, sensitivity, epsilon, delta, rng):
    sigma = sensitivity * math.sqrt(2 * math.log(1.25 / delta)) / epsilon
    return float(value + rng.laplace(0.0, sigma / math.sqrt(2)))
