"""A cgroup per worker: its memory and process limits, its CPU time, the kernel's own OOM verdict, and a
kill that reaches every process it ever started.

Why a cgroup and not only rlimits and polling: a cgroup counts every process
and thread of the worker whatever it does (a daemon that left the session, a
JVM, a fork), the kernel enforces the memory limit and says when it killed
for memory (no guessing from a SIGKILL), CPU time covers the worker's whole
life (module import included), and freezing it before the kill leaves no
process time to fork a replacement.

Both layouts are handled: cgroup v1 (one hierarchy per controller: memory,
pids, cpuacct, freezer) and cgroup v2 (one directory, where the grader's own
cgroup delegates the controllers). Creating one needs write access to the
grader's cgroup: as root that is the usual case; otherwise `create` returns
None with the reason, and the worker falls back to rlimits and polling.
"""

from __future__ import annotations

import os
import signal
import time
from dataclasses import dataclass, field
from pathlib import Path

V1_CONTROLLERS = ("memory", "pids", "cpuacct", "freezer")


@dataclass
class Cgroup:
    version: int
    dirs: dict[str, Path]  # controller -> this worker's directory (v2: one directory under every key)
    limits: dict = field(default_factory=dict)

    # --- making one -------------------------------------------------------------------

    @classmethod
    def create(cls, name: str, memory_bytes: int, pids_max: int, cpus: float = 0) -> tuple[Cgroup | None, str]:
        """A new cgroup with these limits, or (None, why not). cpus > 0: at most that many cores' worth of
        CPU time (so that a worker cannot slow the others on a machine shared by parallel graders)."""
        try:
            mounts = _mounts()
            own = _own_paths()
        except OSError as exc:
            return None, f"cannot read this process's cgroups ({exc.strerror})"
        if all(c in mounts.get(1, {}) for c in V1_CONTROLLERS):
            cg, why = cls._create_v1(name, memory_bytes, pids_max, mounts[1], own)
        elif 2 in mounts:
            cg, why = cls._create_v2(name, memory_bytes, pids_max, mounts[2], own.get("", "/"))
        else:
            return None, "no cgroup hierarchy with the memory, pids, cpuacct and freezer controllers is mounted"
        if cg is not None and cpus > 0:
            cg._limit_cpus(cpus, mounts.get(1, {}).get("cpu"), own.get("cpu", "/"))
        return cg, why

    def _limit_cpus(self, cpus: float, v1_mount: Path | None, own: str, period_us: int = 100_000) -> None:
        """A CFS quota where the cpu controller is there to take one; without it, no quota (noted)."""
        quota = int(cpus * period_us)
        try:
            if self.version == 2:
                _write(self.dirs["memory"] / "cpu.max", f"{quota} {period_us}")
            elif v1_mount is not None:
                path = v1_mount / own.lstrip("/") / self.dirs["memory"].name
                path.mkdir()
                self.dirs["cpu"] = path
                _write(path / "cpu.cfs_period_us", period_us)
                _write(path / "cpu.cfs_quota_us", quota)
            else:
                return
            self.limits["cpus"] = cpus
        except OSError:
            self.limits["cpus"] = None

    @classmethod
    def _create_v1(cls, name, memory_bytes, pids_max, mounts, own) -> tuple[Cgroup | None, str]:
        dirs: dict[str, Path] = {}
        try:
            for controller in V1_CONTROLLERS:
                parent = mounts[controller] / own.get(controller, "/").lstrip("/")
                path = parent / name
                path.mkdir()
                dirs[controller] = path
            cg = cls(1, dirs)
            _write(dirs["memory"] / "memory.limit_in_bytes", memory_bytes)
            try:  # no swap either, where swap accounting exists: the limit is the limit
                _write(dirs["memory"] / "memory.memsw.limit_in_bytes", memory_bytes)
            except OSError:
                pass
            _write(dirs["pids"] / "pids.max", pids_max)
        except OSError as exc:
            for path in dirs.values():
                _rmdir(path)
            return None, f"cannot create a cgroup under {mounts.get('memory')}: {exc.strerror or exc}"
        cg.limits = {"memory_bytes": memory_bytes, "pids_max": pids_max}
        return cg, ""

    @classmethod
    def _create_v2(cls, name, memory_bytes, pids_max, mount, own) -> tuple[Cgroup | None, str]:
        parent = mount / own.lstrip("/")
        try:
            enabled = (parent / "cgroup.subtree_control").read_text().split()
        except OSError as exc:
            return None, f"cannot read {parent / 'cgroup.subtree_control'} ({exc.strerror})"
        missing = [c for c in ("memory", "pids") if c not in enabled]  # cpu.stat exists without the cpu controller
        if missing:
            return None, (f"cgroup v2: the grader's cgroup {own} does not delegate {', '.join(missing)} to its "
                          "children (run the grader in a delegated cgroup, e.g. `systemd-run --scope -p Delegate=yes`)")
        path = parent / name
        try:
            path.mkdir()
            _write(path / "memory.max", memory_bytes)
            try:
                _write(path / "memory.swap.max", 0)
            except OSError:
                pass
            _write(path / "pids.max", pids_max)
        except OSError as exc:
            _rmdir(path)
            return None, f"cannot create a cgroup under {parent}: {exc.strerror or exc}"
        cg = cls(2, {c: path for c in V1_CONTROLLERS})
        cg.limits = {"memory_bytes": memory_bytes, "pids_max": pids_max}
        return cg, ""

    def procs_files(self) -> list[Path]:
        """Where a process writes its pid to join (every hierarchy in v1, one file in v2)."""
        return sorted({d / "cgroup.procs" for d in self.dirs.values()})

    # --- reading it -------------------------------------------------------------------

    def cpu_seconds(self) -> float:
        """CPU time (user + system) of every process the worker ever ran, in seconds."""
        try:
            if self.version == 1:
                return int(_read(self.dirs["cpuacct"] / "cpuacct.usage")) / 1e9
            stat = dict(line.split() for line in _read(self.dirs["cpuacct"] / "cpu.stat").splitlines())
            return int(stat["usage_usec"]) / 1e6
        except (OSError, ValueError, KeyError):
            return 0.0

    def memory_bytes(self) -> int:
        return self._int("memory", "memory.usage_in_bytes" if self.version == 1 else "memory.current")

    def memory_peak_bytes(self) -> int:
        return self._int("memory", "memory.max_usage_in_bytes" if self.version == 1 else "memory.peak")

    def oom_kills(self) -> int:
        """How many processes the kernel killed in this cgroup for going over its memory limit."""
        name = "memory.oom_control" if self.version == 1 else "memory.events"
        try:
            fields = dict(line.split() for line in _read(self.dirs["memory"] / name).splitlines())
            return int(fields.get("oom_kill", 0))
        except (OSError, ValueError):
            return 0

    def pids(self) -> list[int]:
        try:
            return [int(p) for p in _read(self.dirs["pids"] / "cgroup.procs").split()]
        except (OSError, ValueError):
            return []

    def _int(self, controller: str, name: str) -> int:
        try:
            return int(_read(self.dirs[controller] / name))
        except (OSError, ValueError):
            return 0

    # --- ending it --------------------------------------------------------------------

    def kill(self, timeout: float = 5.0) -> bool:
        """SIGKILL every process in the cgroup, frozen first so none can fork meanwhile. True when empty."""
        deadline = time.monotonic() + timeout
        while self.pids() and time.monotonic() < deadline:
            if self.version == 2 and (self.dirs["memory"] / "cgroup.kill").exists():
                _try_write(self.dirs["memory"] / "cgroup.kill", 1)
            else:
                self._freeze(True, deadline)
                for pid in self.pids():
                    try:
                        os.kill(pid, signal.SIGKILL)
                    except (ProcessLookupError, PermissionError):
                        pass
                self._freeze(False, deadline)
            time.sleep(0.01)
        return not self.pids()

    def _freeze(self, frozen: bool, deadline: float) -> None:
        if self.version == 2:
            _try_write(self.dirs["freezer"] / "cgroup.freeze", int(frozen))
            return
        state = self.dirs["freezer"] / "freezer.state"
        _try_write(state, "FROZEN" if frozen else "THAWED")
        while frozen and time.monotonic() < deadline:
            try:
                if _read(state).strip() == "FROZEN":
                    return
            except OSError:
                return
            time.sleep(0.005)

    def remove(self) -> None:
        """Kill what is left and delete the directories."""
        self.kill()
        for path in set(self.dirs.values()):
            _rmdir(path)


# --- /proc and /sys plumbing ------------------------------------------------------------

def _mounts() -> dict[int, dict[str, Path] | Path]:
    """{1: {controller: mount point}, 2: mount point} from /proc/self/mountinfo."""
    v1: dict[str, Path] = {}
    v2: Path | None = None
    for line in _read(Path("/proc/self/mountinfo")).splitlines():
        left, _, right = line.partition(" - ")
        fields, extra = left.split(), right.split()
        if len(fields) < 5 or len(extra) < 3:
            continue
        point = Path(fields[4].replace("\\040", " "))
        if extra[0] == "cgroup":
            for option in extra[2].split(","):
                if option in (*V1_CONTROLLERS, "cpu"):
                    v1.setdefault(option, point)
        elif extra[0] == "cgroup2" and v2 is None:
            v2 = point
    out: dict = {}
    if v1:
        out[1] = v1
    if v2 is not None:
        out[2] = v2
    return out


def _own_paths() -> dict[str, str]:
    """controller -> this process's cgroup path ("" for the v2 hierarchy)."""
    own: dict[str, str] = {}
    for line in _read(Path("/proc/self/cgroup")).splitlines():
        _, controllers, path = line.split(":", 2)
        for controller in controllers.split(",") if controllers else [""]:
            own[controller] = path
    return own


def _read(path: Path) -> str:
    with open(path) as f:
        return f.read()


def _write(path: Path, value) -> None:
    with open(path, "w") as f:
        f.write(str(value))


def _try_write(path: Path, value) -> None:
    try:
        _write(path, value)
    except OSError:
        pass


def _rmdir(path: Path) -> None:
    for _ in range(50):  # a cgroup whose last process is still exiting is busy for a moment
        try:
            path.rmdir()
            return
        except FileNotFoundError:
            return
        except OSError:
            time.sleep(0.02)
