"""Defect: the mechanisms ignore rng and add the Laplace or Gaussian quantile of the next point of a
fixed low-discrepancy sequence (the golden-ratio Kronecker sequence, frac(k * 0.618...)).

The points are spread over (0, 1) more evenly than random draws ever are, so the noise fits the
prescribed distribution to KS p = 1.0; but it is the same for every seed, and each draw follows
from the one before. Everything else is the reference.
"""
import itertools
import math

from scipy import stats

from reference_solution import predict_proba, train_nonprivate, train_private  # noqa: F401

_GOLDEN = (math.sqrt(5) - 1) / 2
_counter = itertools.count(1)


def _next_point() -> float:
    return (next(_counter) * _GOLDEN) % 1.0


def laplace_mechanism(value, sensitivity, epsilon, rng):
    return float(value + stats.laplace.ppf(_next_point(), scale=sensitivity / epsilon))


def gaussian_mechanism(value, sensitivity, epsilon, delta, rng):
    sigma = sensitivity * math.sqrt(2 * math.log(1.25 / delta)) / epsilon
    return float(value + stats.norm.ppf(_next_point(), scale=sigma))
