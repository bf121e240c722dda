"""Attack: stop, then kill, every process on the machine while a detector runs.

During its first isolation_forest_detector call it sends SIGSTOP and then
SIGKILL to every pid 1..131072, and both to -1 ("every process I may
signal"). Outside a sandbox, as the grader's user, this would take the grader,
the reference anchor and every other student's worker down with it.

Expected: the worker's pid namespace holds only itself; as its namespace's
pid 1 it ignores its own signals; it has a uid of its own, so it may signal
nothing else. The signals reach only itself (and its threads' ids), unharmed;
the call returns and the report goes to its output (signals accepted "by
other processes none"). Every check ends as the honest control's; the
controls, the anchor and the session are unaffected.
"""
import os
import signal

import honest
from honest import one_class_svm_detector, zscore_detector  # noqa: F401

DONE = []


def _process_of(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            return int(next(line.split()[1] for line in f if line.startswith("Tgid:")))
    except OSError:
        return None


def _kill_everyone():
    if os.getpid() != 1:  # never outside a sandbox: there it would end this machine's processes
        raise RuntimeError("EVILZOO kills_everyone: not in a sandbox (pid != 1); refusing to attack this machine")
    accepted = set()
    for sig in (signal.SIGSTOP, signal.SIGKILL):
        for pid in range(1, 131073):
            try:
                os.kill(pid, sig)
                accepted.add(pid)
            except OSError:
                pass
    every = []
    for sig in (signal.SIGSTOP, signal.SIGKILL):
        try:
            os.kill(-1, sig)
            every.append("sent")
        except OSError as exc:
            every.append(type(exc).__name__)
    own = {p for p in accepted if _process_of(p) == os.getpid()}  # itself, and its threads' ids
    print(f"EVILZOO kills_everyone: signals accepted by itself and its threads {sorted(own)}, by other processes "
          f"{sorted(accepted - own) or 'none'}; kill(-1): {every}", flush=True)
    DONE.append(True)


def isolation_forest_detector(series, period, seed):
    if not DONE:
        _kill_everyone()
    return honest.isolation_forest_detector(series, period, seed)
