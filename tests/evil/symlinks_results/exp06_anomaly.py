"""Attack: make the grader read a file of the host's in place of a result.

Before each answer it replaces the result's name /labmark/out/r<id>.npy with a
symbolic link to /tmp/EVILZOO-r<id>.npy. Inside the sandbox that path is its
private /tmp, so the worker's own np.save writes through the link; on the
host the same path names a file of the grader's machine. A grader that
followed the link would read (and score, or leak) whatever the host holds
there: the record, another student's result, a key.

Expected: the grader opens results without following links: every check that
calls a detector fails with kind `bad_output`, the message naming the refused
link ("Too many levels of symbolic links"), not a host file's contents and not
"No such file"; the speed check is skipped.
"""
import os
import sys

import numpy as np


def _link_this_answer():
    rid = sys._getframe(2).f_locals.get("rid")  # the worker loop's request id: the result will be r<rid>.npy
    if isinstance(rid, int):
        name = f"r{rid}.npy"
        os.symlink(f"/tmp/EVILZOO-{name}", os.path.join("/labmark/out", name))


def _residual(series, period):
    series = np.asarray(series, dtype=float)
    phase = np.arange(len(series)) % period
    profile = np.array([np.median(series[phase == p]) for p in range(period)])
    return series - profile[phase]


def zscore_detector(series, period):
    _link_this_answer()
    r = _residual(series, period)
    spread = np.median(np.abs(r - np.median(r))) * 1.4826
    if spread == 0:
        return np.zeros(len(r), dtype=bool)
    return np.abs(r - np.median(r)) / spread > 4


def isolation_forest_detector(series, period, seed):
    from sklearn.ensemble import IsolationForest

    _link_this_answer()
    r = _residual(series, period).reshape(-1, 1)
    return IsolationForest(contamination=0.05, random_state=seed).fit_predict(r) == -1


def one_class_svm_detector(series, period, seed):
    from sklearn.svm import OneClassSVM

    _link_this_answer()
    r = _residual(series, period)
    r = ((r - r.mean()) / (r.std() or 1.0)).reshape(-1, 1)
    return OneClassSVM(nu=0.05, gamma="scale").fit_predict(r) == -1
