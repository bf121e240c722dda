"""Defect: the mechanisms draw noise for every other call only, and answer the call after it with the
same noise, sign flipped (antithetic pairs, half the draws).

Each release has the right distribution, and the same seed gives the same releases; but successive
releases are tied, and the mean of two of them is the exact value, with no noise at all. Everything
else is the reference.
"""
from reference_solution import gaussian_mechanism as reference_gaussian
from reference_solution import laplace_mechanism as reference_laplace
from reference_solution import predict_proba, train_nonprivate, train_private  # noqa: F401

_pending = {}  # mechanism -> the noise its next call returns, sign flipped


def _paired(name, value, draw):
    if name in _pending:
        return float(value - _pending.pop(name))
    noise = draw() - value
    _pending[name] = noise
    return float(value + noise)


def laplace_mechanism(value, sensitivity, epsilon, rng):
    return _paired("laplace", value, lambda: reference_laplace(value, sensitivity, epsilon, rng))


def gaussian_mechanism(value, sensitivity, epsilon, delta, rng):
    return _paired("gaussian", value, lambda: reference_gaussian(value, sensitivity, epsilon, delta, rng))
