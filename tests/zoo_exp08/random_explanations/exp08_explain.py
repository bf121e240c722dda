"""Random attributions, scaled so that they add up exactly.

Each row's SHAP values are a random split of (prediction - base value), so the
additivity check passes; they say nothing about the model, so the driver
checks must fail. LIME's weights are random too.
"""
import zlib

import numpy as np

from reference_solution import predict_proba, train_model  # noqa: F401 (the interface)


def explain_shap(model, x_train, x_explain, budget):
    x_explain = np.asarray(x_explain, dtype=float)
    base = float(predict_proba(model, x_train)[:, 1].mean())
    p = predict_proba(model, x_explain)[:, 1]
    shares = np.random.default_rng(budget.seed).dirichlet(np.ones(x_explain.shape[1]), size=len(x_explain))
    return shares * (p - base)[:, None], base  # each row sums to p - base


def explain_lime(model, x_train, instance, budget):
    instance = np.asarray(instance, dtype=float)
    rng = np.random.default_rng([budget.seed, zlib.crc32(instance.tobytes())])
    return rng.normal(size=instance.shape), 0.0
