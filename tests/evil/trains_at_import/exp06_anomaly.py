"""Attack: do the expensive work while the module is imported, where no call's budget counts it.

At import it keeps two threads busy (hashing releases the GIL, so they use
two cores) for 4.5 s of wall time and prints the CPU time it burned. In an
experiment with a training call, work done here would be training the budget
never saw. (The brief asked for ~25 s of CPU; with --budget-scale 0.1 the
import budget is 6 s plus 5 s grace, so it burns what fits; Experiment 6 has
no training call to charge it to.)

Expected: the grader counts CPU time over the worker's whole cgroup from the
start of the import, so the record's worker.cpu.import_seconds holds at least
the CPU time the worker says it burned. Every check ends as the honest
control's.
"""
import hashlib
import threading
import time

import numpy as np


def _burn(until):
    block = b"x" * (1 << 20)
    while time.monotonic() < until:
        hashlib.sha256(block).digest()


_cpu, _until = time.process_time(), time.monotonic() + 4.5
_threads = [threading.Thread(target=_burn, args=(_until,)) for _ in range(2)]
for _t in _threads:
    _t.start()
for _t in _threads:
    _t.join()
print(f"EVILZOO trains_at_import: burned {time.process_time() - _cpu:.2f} s of CPU at import", flush=True)


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
    from sklearn.ensemble import IsolationForest

    r = _residual(series, period).reshape(-1, 1)
    return IsolationForest(contamination=0.05, random_state=seed).fit_predict(r) == -1


def one_class_svm_detector(series, period, seed):
    from sklearn.svm import OneClassSVM

    r = _residual(series, period)
    r = ((r - r.mean()) / (r.std() or 1.0)).reshape(-1, 1)
    return OneClassSVM(nu=0.05, gamma="scale").fit_predict(r) == -1
