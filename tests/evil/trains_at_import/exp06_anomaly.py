"""Attack: do the expensive work while the module is imported, where no call's budget counts it.

At import it keeps two threads busy (hashing releases the GIL, so they use
two cores) for 4.5 s of wall time and prints the CPU time it burned. In an
experiment with a training call, work done here would be training the budget
never saw. (With --budget-scale 0.1 the import budget is 6 s plus 5 s grace,
so it burns what fits; Experiment 6 has no training call to charge it to.)

Expected: the grader counts CPU time over the worker's whole cgroup from the
start of the import, so the record's worker.cpu.import_seconds holds at least
the CPU time the worker says it burned. Every check ends as the honest
control's.
"""
import hashlib
import threading
import time

from honest import isolation_forest_detector, one_class_svm_detector, zscore_detector  # noqa: F401


def _burn(until):
    block = b"x" * (1 << 20)
    while time.monotonic() < until:
        hashlib.sha256(block).digest()


_cpu, _until = time.process_time(), time.monotonic() + 4.5
_threads = [threading.Thread(target=_burn, args=(_until,)) for _ in range(2)]
for _t in _threads:
    _t.start()
for _t in _threads:
    _t.join()
print(f"EVILZOO trains_at_import: burned {time.process_time() - _cpu:.2f} s of CPU at import", flush=True)
