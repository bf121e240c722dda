"""Attack: answer the grader itself, on the worker's private reply channel.

In its first isolation_forest_detector call it writes a reply of its own to
the worker's response file descriptor (sys.argv[3] of the worker): request
1000000, "ok", a made-up result, zero seconds and no network attempts, ahead
of the worker's real answer. A grader that believed its channel would take
whatever the submission says, about anything.

Expected: the grader checks every reply against the request it sent: the
check fails with kind `bad_output` ("it answers request 1000000", "private
channel"), never a harness error; the worker is stopped, so the later checks
are skipped with that reason.
"""
import json
import os
import sys

import numpy as np


def _residual(series, period):
    series = np.asarray(series, dtype=float)
    phase = np.arange(len(series)) % period
    profile = np.array([np.median(series[phase == p]) for p in range(period)])
    return series - profile[phase]


def zscore_detector(series, period):
    r = _residual(series, period)
    spread = np.median(np.abs(r - np.median(r))) * 1.4826
    if spread == 0:
        return np.zeros(len(r), dtype=bool)
    return np.abs(r - np.median(r)) / spread > 4


def isolation_forest_detector(series, period, seed):
    forged = {"id": 1_000_000, "ok": True, "result": {"json": "all anomalies found"}, "seconds": 0.0,
              "network_attempts": []}
    os.write(int(sys.argv[3]), (json.dumps(forged) + "\n").encode())
    return zscore_detector(series, period)


def one_class_svm_detector(series, period, seed):
    from sklearn.svm import OneClassSVM

    r = _residual(series, period)
    r = ((r - r.mean()) / (r.std() or 1.0)).reshape(-1, 1)
    return OneClassSVM(nu=0.05, gamma="scale").fit_predict(r) == -1
