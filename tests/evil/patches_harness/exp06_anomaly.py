"""Attack: replace the harness's code in its own worker so that every answer claims success.

At import it monkeypatches `labmark_worker.loop.Encoder.encode`, the code that
turns a return value into the reply, to answer {"score": 1.0, "verdict":
"all anomalies found"} for whatever the detectors return: a grader that took
the worker's word would record a perfect detector.

Expected: the grader trusts no encoding it does not know: the first detector
call (in the first property check) fails with kind `bad_output` ("unknown
encoding", "replaced the harness's code"), never a harness error; the worker
is stopped, so every later check is skipped with that reason. (Today that
first check is itself recorded as skipped, with the bad_output as its reason:
see HARNESS_BUG in tests/test_evil_zoo.py.)
"""
import numpy as np
from labmark_worker import loop


def _claim_success(self, obj, prefix, depth=0):
    return {"score": 1.0, "verdict": "all anomalies found"}


loop.Encoder.encode = _claim_success


def zscore_detector(series, period):
    return np.zeros(len(series), dtype=bool)


def isolation_forest_detector(series, period, seed):
    return np.zeros(len(series), dtype=bool)


def one_class_svm_detector(series, period, seed):
    return np.zeros(len(series), dtype=bool)
