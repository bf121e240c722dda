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

from honest import one_class_svm_detector, zscore_detector  # noqa: F401


def isolation_forest_detector(series, period, seed):
    forged = {"id": 1_000_000, "ok": True, "result": {"json": "all anomalies found"}, "seconds": 0.0,
              "network_attempts": []}
    os.write(int(sys.argv[3]), (json.dumps(forged) + "\n").encode())
    return zscore_detector(series, period)
