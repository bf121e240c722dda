"""Validate what a worker returned before anything is scored.

Every function raises `errors.BadOutput` with what was expected, what came
back and the likely fix; on success it returns a clean numpy array.
"""

from __future__ import annotations

import contextlib

import numpy as np

from .. import errors
from ..worker import Handle


def _describe(value) -> str:
    if isinstance(value, Handle):
        return f"an object of type {value.type}"
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape} and dtype {value.dtype}"
    return f"a {type(value).__name__}"


@contextlib.contextmanager
def from_worker(what: str):
    """Around parent code that unpacks what a worker's harness helper returned: a value of the wrong shape
    (a helper the submission replaced in its worker, say) is the submission's error, not the harness's."""
    try:
        yield
    except (TypeError, KeyError, ValueError, AttributeError, IndexError) as exc:
        raise errors.BadOutput(f"{what} came back malformed from the worker ({type(exc).__name__}: {exc}). "
                               "Expected what the harness's own code returns there. Likely cause: the submission "
                               "changed the harness's code in its worker.") from None


def array(value, what: str, expected: str) -> np.ndarray:
    if not isinstance(value, np.ndarray):
        raise errors.BadOutput(f"{what} returned {_describe(value)}; expected {expected}. "
                               "Fix: return a numpy array (np.asarray(...)), not a custom object.")
    return value


def mask(value, n: int, what: str) -> np.ndarray:
    """A boolean mask of length n (0/1 integers are accepted)."""
    expected = f"a boolean numpy array of shape ({n},)"
    value = array(value, what, expected)
    if value.shape != (n,):
        raise errors.BadOutput(f"{what} returned an array of shape {value.shape}; expected {expected}, one flag per "
                               "sample of the input. Likely cause: flags for a window or a 2-D array; use .ravel() "
                               "or return one flag per sample.")
    if value.dtype == bool:
        return value
    if value.dtype.kind == "f" and not np.isfinite(value).all():
        bad = int((~np.isfinite(value)).sum())
        raise errors.BadOutput(f"{what} returned {bad} NaN or infinite values among its {n} flags; expected "
                               f"{expected}. Likely cause: NaN used for 'not an anomaly', or a division by a zero "
                               "standard deviation; return True/False for every sample.")
    if value.dtype.kind in "iuf" and np.isfinite(value).all() and np.isin(value, (0, 1)).all():
        return value.astype(bool)
    if value.dtype.kind in "iuf" and np.isin(value, (-1, 1)).all():
        outliers = int((value == -1).sum())
        raise errors.BadOutput(f"{what} returned scikit-learn's outlier labels: -1 for {outliers} and +1 for "
                               f"{n - outliers} of its {n} samples; expected {expected}, True for an anomaly. "
                               "IsolationForest and OneClassSVM's predict() mark outliers -1 and inliers +1. "
                               "Fix: return predict(X) == -1.")
    raise errors.BadOutput(f"{what} returned {_describe(value)} whose values are not all 0/1 or True/False; "
                           f"expected {expected}. Likely cause: returning scores instead of flags; compare them "
                           "with your threshold.")


def probabilities(value, n: int, classes: int, what: str) -> np.ndarray:
    """Rows of class probabilities: shape (n, classes), finite, in [0, 1], summing to 1."""
    expected = f"a float array of shape ({n}, {classes}) whose rows sum to 1"
    value = array(value, what, expected)
    if value.shape != (n, classes):
        raise errors.BadOutput(f"{what} returned an array of shape {value.shape}; expected {expected}. Likely cause: "
                               "returning predicted labels instead of probabilities, or a transposed array.")
    if value.dtype.kind not in "iuf":
        raise errors.BadOutput(f"{what} returned dtype {value.dtype}; expected {expected}.")
    value = value.astype(np.float64)
    bad = ~np.isfinite(value)
    if bad.any():
        rows = np.flatnonzero(bad.any(axis=1))
        raise errors.BadOutput(f"{what} returned {bad.sum()} non-finite values (NaN or inf) in {len(rows)} of {n} "
                               f"rows (first: row {rows[0]}); expected {expected}. Likely cause: training diverged "
                               "(learning rate too high) or a division by zero.", rows=rows[:20].tolist())
    if value.min() < -1e-6 or value.max() > 1 + 1e-6 or not np.allclose(value.sum(axis=1), 1.0, atol=1e-3):
        worst = float(np.abs(value.sum(axis=1) - 1).max())
        raise errors.BadOutput(f"{what} returned rows that are not probabilities (values in [{value.min():.3g}, "
                               f"{value.max():.3g}], row sums off by up to {worst:.3g}); expected {expected}. "
                               "Likely cause: returning logits; apply softmax.")
    return value
