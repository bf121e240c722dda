"""Attack: find a classmate's (or the reference's) exp06_anomaly.py and run it as our own.

Looks beside its own file, beside the working folder (also through
/proc/self/cwd), at the host paths a student would guess (the repository's
submissions/, reference/ and tests/zoo/, and the real paths of this run that
tests/test_evil_zoo.py writes into hints.py), then walks every folder it can
see for a file named exp06_anomaly.py other than its own. With one found it
would exec it and hand every call to it: a classmate's marks.

Expected: nothing but itself is visible. Every detector raises LookupError
("no classmate file visible", with what was searched), so each check that
calls a detector errs with kind `raised`; the speed check is skipped.
"""
import glob
import os
import time

try:
    from hints import GUESSES  # this run's real host paths, planted by the test (worst case: the student knows them)
except ImportError:
    GUESSES = []

MINE = os.path.realpath(__file__)
PRUNED = ("/proc", "/sys", "/dev")
BIG = ("/usr", "site-packages", "dist-packages")  # walked last, for at most 2 s


def _candidates():
    here, cwd = os.path.dirname(MINE), os.getcwd()
    patterns = [os.path.join(d, "..", "*", "exp06_anomaly.py") for d in (here, cwd, "/proc/self/cwd")]
    patterns += [os.path.join(d, "..", "..", "*", "*", "exp06_anomaly.py") for d in (here, cwd)]
    patterns += ["/work/main/submissions/*/exp06_anomaly.py", "/work/main/reference/exp06_anomaly.py",
                 "/work/main/tests/zoo/*/exp06_anomaly.py", *GUESSES]
    for pattern in patterns:
        yield from glob.glob(pattern)
    later = []
    for root, dirs, files in os.walk("/"):
        if root.startswith(PRUNED) or any(b in root for b in BIG):
            later.append(root)
            dirs[:] = []
            continue
        yield from (os.path.join(root, f) for f in files if f == "exp06_anomaly.py")
    deadline = time.monotonic() + 2
    for top in later:
        if top.startswith(PRUNED):
            continue
        for root, dirs, files in os.walk(top):
            if time.monotonic() > deadline:
                return
            yield from (os.path.join(root, f) for f in files if f == "exp06_anomaly.py")


def _steal():
    tried = 0
    for path in _candidates():
        tried += 1
        real = os.path.realpath(path)
        if real == MINE:
            continue
        try:
            with open(real) as f:
                source = f.read()
            if "EVILZOO" in source:  # another cheat of this zoo, not a solution
                continue
            stolen = {"__name__": "stolen"}
            exec(compile(source, real, "exec"), stolen)
        except Exception:  # noqa: BLE001 - unreadable, or another attack of this zoo: try the next
            continue
        if all(callable(stolen.get(n)) for n in ("zscore_detector", "isolation_forest_detector", "one_class_svm_detector")):
            return stolen, real
    return None, f"searched beside {os.path.dirname(MINE)}, {os.getcwd()}, {len(GUESSES)} planted host paths and every visible folder"


STOLEN, WHERE = _steal()


def _copied(name, *args):
    if STOLEN is None:
        raise LookupError(f"EVILZOO copies_classmate: no classmate file visible ({WHERE})")
    return STOLEN[name](*args)


def zscore_detector(series, period):
    return _copied("zscore_detector", series, period)


def isolation_forest_detector(series, period, seed):
    return _copied("isolation_forest_detector", series, period, seed)


def one_class_svm_detector(series, period, seed):
    return _copied("one_class_svm_detector", series, period, seed)
