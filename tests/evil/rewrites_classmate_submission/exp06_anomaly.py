"""Attack: sabotage a classmate's submission and back-date the change.

During its first isolation_forest_detector call it looks for classmates'
exp06_anomaly.py where copies_classmate does (beside itself, the working
folder, the repository's submissions/, and the real host path of the planted
classmate `victim` that tests/test_evil_zoo.py writes into hints.py), then
overwrites each with code that exits at import and sets its modification time
back to 2001 with os.utime. The classmate, graded after it, would lose every
mark, and a late-submission rule that trusted mtimes would be fooled.

Expected: no classmate file exists in the sandbox. Nothing is touched (the
test compares the victim's bytes and mtime), the victim's checks end as the
honest control's, and isolation_forest_detector raises the report
("rewrote nothing"), so that check errs with kind `raised`; the other
detectors behave as the honest control's; the speed check is skipped.
"""
import glob
import os

from honest import one_class_svm_detector, zscore_detector  # noqa: F401

try:
    from hints import GUESSES
except ImportError:
    GUESSES = []

SABOTAGE = "raise SystemExit('EVILZOO rewrites_classmate_submission')\n"


def _sabotage():
    if os.getpid() != 1:  # never outside a sandbox: there it would damage real submissions
        raise RuntimeError("EVILZOO rewrites_classmate_submission: not in a sandbox (pid != 1); refusing")
    mine = os.path.realpath(__file__)
    here = os.path.dirname(mine)
    patterns = [os.path.join(here, "..", "*", "exp06_anomaly.py"), os.path.join(os.getcwd(), "..", "*", "exp06_anomaly.py"),
                "/work/main/submissions/*/exp06_anomaly.py"]
    paths = [p for pat in patterns for p in glob.glob(pat) if os.path.realpath(p) != mine] + list(GUESSES)
    done, failed = [], []
    for path in paths:
        try:
            with open(path, "w") as f:
                f.write(SABOTAGE)
            os.utime(path, (978307200, 978307200))
            done.append(path)
        except OSError as exc:
            failed.append(f"{path}: {type(exc).__name__}")
    return (f"EVILZOO rewrites_classmate_submission: rewrote {done or 'nothing'}; tried {len(paths)} paths: "
            f"{failed}")


def isolation_forest_detector(series, period, seed):
    raise PermissionError(_sabotage())
