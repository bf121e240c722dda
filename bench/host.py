"""The machine the grader runs on, asked portably (psutil): cores, processes, memory, CPU time.

A self-check runs on a student's laptop (Linux, macOS, or Windows through
WSL), so nothing here reads /proc or calls a Linux-only function directly;
the official grading machine's extras (cgroups, bubblewrap, seccomp, the
network watch) live in bench/isolation/ and are used only where they start.
"""

from __future__ import annotations

import os
import platform
import sys

import psutil

# What the worker enforces through setrlimit where the platform has it (bench/inside/loop.py).
RLIMITS = {"RLIMIT_AS": "address space (memory)", "RLIMIT_FSIZE": "file size", "RLIMIT_CORE": "core dumps"}


def usable_cores() -> list[int]:
    """The CPU cores this process may run on: its affinity where the platform keeps one, else every core."""
    if hasattr(os, "sched_getaffinity"):
        return sorted(os.sched_getaffinity(0))
    try:
        return sorted(psutil.Process().cpu_affinity())
    except (AttributeError, psutil.Error):  # macOS has no affinity: every core
        return list(range(psutil.cpu_count() or 1))


def can_pin() -> bool:
    """Whether a process can be kept to chosen cores here (--workers pins each shard)."""
    return hasattr(os, "sched_setaffinity")


def process_tree(root: int) -> list[int]:
    """root and every live descendant (children of children, after setsid too); [root] if it is gone."""
    try:
        return [root, *(p.pid for p in psutil.Process(root).children(recursive=True))]
    except psutil.Error:
        return [root]


def resident_bytes(pids: list[int]) -> int:
    total = 0
    for pid in pids:
        try:
            total += psutil.Process(pid).memory_info().rss
        except psutil.Error:
            pass
    return total


def cpu_seconds(pids: list[int]) -> float:
    """User plus system CPU time of these processes (all their threads)."""
    total = 0.0
    for pid in pids:
        try:
            times = psutil.Process(pid).cpu_times()
            total += times.user + times.system
        except psutil.Error:
            pass
    return total


def memory_total_bytes() -> int:
    return psutil.virtual_memory().total


def cpu_name() -> str:
    if sys.platform.startswith("linux"):
        try:
            with open("/proc/cpuinfo") as f:  # the model's name: only Linux says it here
                return next((ln.split(":", 1)[1].strip() for ln in f if ln.startswith("model name")),
                            platform.processor())
        except OSError:
            pass
    return platform.processor() or platform.machine()


def system_oom_kills() -> int:
    """Processes the kernel's out-of-memory killer has killed since boot (Linux; 0 where it does not say)."""
    try:
        with open("/proc/vmstat") as f:
            for line in f:
                if line.startswith("oom_kill "):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def unenforced_limits() -> list[str]:
    """The worker limits this platform cannot enforce with setrlimit (macOS ignores the address-space limit;
    Windows has no rlimits at all)."""
    try:
        import resource
    except ImportError:
        return sorted(RLIMITS.values())
    missing = [what for name, what in RLIMITS.items() if not hasattr(resource, name)]
    if sys.platform == "darwin":
        missing.append(RLIMITS["RLIMIT_AS"])  # accepted, not enforced
    return sorted(set(missing))
