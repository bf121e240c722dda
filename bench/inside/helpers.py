"""Harness code that runs inside a worker, next to the student's module.

Reached only through `Worker.call(..., Make(helpers.rng, seed))`
arguments and `Worker.harness(helpers.repeat, ...)`; whatever
it returns is validated by the parent like any other answer.
"""

from __future__ import annotations

import numpy as np


def rng(seed: int) -> np.random.Generator:
    """A numpy random generator built in the worker (generators do not cross process boundaries)."""
    return np.random.default_rng(seed)


def repeat(module, fn: str, n: int, *args) -> np.ndarray:
    """fn(*args) called n times in the worker, results as one array: many draws without n round trips."""
    f = getattr(module, fn)
    return np.asarray([f(*args) for _ in range(int(n))], dtype=np.float64)


def called_layers(module, model, images) -> list[str]:
    """The layer types a forward pass really calls: the student's predict_proba(model, images), observed."""
    from .layers import recording_calls

    with recording_calls(model) as called:
        module.predict_proba(model, images)
    return list(called)


def estimator_classes(module, model) -> list[str]:
    """The estimator classes a trained model is made of (see estimators.py)."""
    from .estimators import estimator_classes as classes

    return classes(model)
