"""Experiment 6: anomaly detection in a seasonal time series.

Aim: find the unusual samples in a noisy seasonal signal with three detectors
the lab compares (a z-score rule, Isolation Forest, One-Class SVM) and see
which kinds of anomaly each one catches.

Data: hidden series drawn fresh for every grading run by
`bench/data/anomalies.py` (seasonal wave, trend, noise; point, contextual and
collective anomalies). The detector gets the series and its seasonal period;
the labels never leave the grading process.

Claim: see TARGETS below (F1 of each reference detector over 3 seeds).
"""

from __future__ import annotations

import numpy as np

from reference.spec import BudgetSpec, Experiment, Function, Target

INTERFACE = (
    Function("zscore_detector", ("series", "period"), "bool mask, shape (n,)",
             "Flag samples whose z-score (of whatever residual you choose) exceeds a threshold."),
    Function("isolation_forest_detector", ("series", "period", "seed"), "bool mask, shape (n,)",
             "Flag anomalies with sklearn's IsolationForest; seed makes it reproducible."),
    Function("one_class_svm_detector", ("series", "period", "seed"), "bool mask, shape (n,)",
             "Flag anomalies with sklearn's OneClassSVM."),
)

TARGETS: tuple[Target, ...] = ()  # filled from measured reference runs

SPEC = Experiment(
    id="exp06",
    module="exp06_anomaly",
    title="Anomaly detection in time series",
    aim=__doc__.split("\n\n")[1].replace("\n", " "),
    interface=INTERFACE,
    targets=TARGETS,
    budget=BudgetSpec(train_seconds=30, quick_train_seconds=15, call_seconds=30, import_seconds=60, memory_mb=4096),
)
