"""Attack: replace the harness's error reporting in its worker with nonsense.

At import it monkeypatches `labmark_worker.loop.error_payload` (which
describes an exception for the grader) to return a list of junk, and its
isolation_forest_detector raises (the others flag nothing): a grader that trusted the worker's error description would
crash on it (a harness error: "not the student's fault", no marks lost) or
print whatever it says.

Expected: the grader checks the reply's shape: detector_f1[isolation_forest]
fails with kind `bad_output` ("a failure without an error description"),
never a harness error; the worker is stopped, so the later checks are
skipped with that reason.
"""
import numpy as np
from labmark_worker import loop


def _nonsense(exc, where):
    return ["EVILZOO", None, {"type": 42}]


loop.error_payload = _nonsense


def zscore_detector(series, period):
    return np.zeros(len(series), dtype=bool)


def isolation_forest_detector(series, period, seed):
    raise ValueError("EVILZOO patches_error_payload")


def one_class_svm_detector(series, period, seed):
    return np.zeros(len(series), dtype=bool)
