"""Attack: plant files under the names the grader gives its own temporary folders.

The grader stages each worker in /tmp/labmark-<random> and the worker package
in /tmp/labmark-lib-<random>. At import this submission creates, in /tmp and
/dev/shm, folders and links named labmark-EVILZOO-*, a labmark-lib-EVILZOO
tree holding a replacement worker loop, links into its own output folder, and
/tmp/pytest-of-root/EVILZOO: on a shared /tmp, a grader that reused or
followed such names would run the planted loop or write where the link points.

Expected: its /tmp and /dev/shm are private tmpfs mounts: nothing appears on
the host (the test lists the host's /tmp, /tmp/pytest-of-root and /dev/shm),
and every check ends as the honest control's.
"""
import os

import numpy as np


def _plant():
    if os.getpid() != 1:  # never outside a sandbox: it would litter this machine's /tmp
        raise RuntimeError("EVILZOO tmp_staging_names: not in a sandbox (pid != 1); refusing to attack this machine")
    made = 0
    for top in ("/tmp", "/dev/shm"):
        for i in range(50):
            os.makedirs(f"{top}/labmark-EVILZOO-{i}/in/src", exist_ok=True)
            os.symlink("/labmark/out", f"{top}/labmark-EVILZOO-link-{i}")
            made += 2
    lib = "/tmp/labmark-lib-EVILZOO/lib/labmark_worker"
    os.makedirs(lib)
    with open(f"{lib}/loop.py", "w") as f:
        f.write("def main(argv):\n    print('EVILZOO loop')\n    return 0\n")
    os.makedirs("/tmp/pytest-of-root/EVILZOO")
    print(f"EVILZOO tmp_staging_names: planted {made + 2} names in /tmp and /dev/shm", flush=True)


_plant()


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
