"""How a worker process is started: the isolation layers `sandbox` and `process`.

`sandbox` (official grading) starts each worker in bubblewrap:

- new pid, network, ipc, uts and mount namespaces; a fresh /proc that shows
  only the worker's own processes; `--die-with-parent`, `--new-session`;
- its own unprivileged uid and gid, never the grader's: a root grader gives
  every worker a uid of its own from a range no account uses (bubblewrap runs
  privileged and `setpriv` drops to that uid before Python starts); a
  non-root grader's workers are uid 65534 in a user namespace of their own;
- a read-only view of only what Python needs (the system's /usr, the
  interpreter, the virtualenv), the worker package (bench/inside) and the
  experiments' public part (`reference` without its solutions), the read-only input folder and a writable output
  folder; a private, size-capped tmpfs for /tmp, /dev/shm and the scratch
  folder that is the worker's home and working directory. No reference
  solution, data generator, other submission, record or key exists inside;
- an environment built from an allow-list (nothing inherited from the grader);
- no_new_privs and a seccomp filter (bench/isolation/seccomp.py);
- a cgroup of its own (bench/isolation/cgroups.py) where one can be made; the network
  attempts watched from the parent (bench/isolation/netwatch.py) where it runs as root.

`process` starts a plain subprocess with the same worker package, allow-listed
environment and rlimits: it keeps honest mistakes from hurting the run and is
what a student's self-check gets where bubblewrap is absent. It is not a
security boundary.
"""

from __future__ import annotations

import atexit
import functools
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path

from reference import public_files

from . import seccomp

LAYERS = ("auto", "sandbox", "process")
PACKAGE = Path(__file__).resolve().parents[1] / "inside"
REFERENCE_SPEC = Path(__file__).resolve().parents[2] / "reference"  # its public part goes into every worker
INSIDE = Path("/labmark")  # where the worker sees its folder in the sandbox
SANDBOX_UID_BASE = 0x6C00_0000  # per-worker uids (root grader) start here: far above any account's uid
SANDBOX_HOSTNAME = "labmark"
TMPFS_BYTES = 2 << 30  # /tmp, /dev/shm and scratch each; their pages count against the worker's memory too
RESULTS_BYTES = 1 << 30  # results waiting for the parent (each is removed once read; one is at most 512 MiB)
INSTALL_HINT = "install bubblewrap (Debian/Ubuntu: `sudo apt-get install bubblewrap`; Fedora: `sudo dnf install bubblewrap`)"


@dataclass(frozen=True)
class Isolation:
    layer: str  # "sandbox" or "process"
    why: str  # one line for the header and the record: what runs workers, or why the sandbox is not used
    root: bool = field(default_factory=lambda: os.geteuid() == 0)

    def header(self) -> str:
        if self.layer == "sandbox":
            who = "each worker under a uid of its own" if self.root else "workers as uid 65534 in a user namespace"
            return f"labmark: isolation: sandbox ({self.why}; {who})"
        warning = " -- NOT A SECURITY BOUNDARY: workers run as root" if self.root else ""
        return f"labmark: isolation: process ({self.why}){warning}"

    def to_json(self) -> dict:
        return {"layer": self.layer, "why": self.why, "grader_is_root": self.root}


# --- choosing the layer ---------------------------------------------------------------------

def resolve(choice: str) -> Isolation:
    """The layer for `--isolation CHOICE`. Raises ValueError (a usage error) when `sandbox` cannot run."""
    ok, why = probe()
    if choice == "process":
        return Isolation("process", "chosen with --isolation process")
    if ok:
        return Isolation("sandbox", why)
    if choice == "sandbox":
        raise ValueError(f"--isolation sandbox: {why}. Fix: {INSTALL_HINT}, or use --isolation process for a "
                         "self-check (not for official grades).")
    return Isolation("process", f"no sandbox: {why}; {INSTALL_HINT} for official grading")


@functools.lru_cache(maxsize=1)
def probe() -> tuple[bool, str]:
    """Can a sandbox start here? (True, what runs it) or (False, why not). Runs one tiny sandbox, once."""
    bwrap = shutil.which("bwrap")
    if bwrap is None or not sys.platform.startswith("linux"):
        return False, "bubblewrap (bwrap) is not installed" if sys.platform.startswith("linux") else \
            f"the sandbox needs Linux (this is {sys.platform})"
    if not seccomp.supported():
        return False, f"no seccomp filter for this CPU architecture ({os.uname().machine})"
    if os.geteuid() == 0 and shutil.which("setpriv") is None:
        return False, "`setpriv` (util-linux) is missing, and a root grader needs it to drop to the worker's uid"
    try:
        version = subprocess.run([bwrap, "--version"], capture_output=True, text=True, timeout=10).stdout.strip()
        spawn = Spawner(library(), Isolation("sandbox", "probe"))
        argv, fds, _ = spawn.command(["/bin/true"], workdir=None, uid=SANDBOX_UID_BASE, env={})
        proc = subprocess.run(argv, pass_fds=fds, capture_output=True, text=True, timeout=30)
        for fd in fds:
            os.close(fd)
    except (OSError, subprocess.SubprocessError) as exc:
        return False, f"bubblewrap could not start ({exc})"
    if proc.returncode != 0:
        return False, f"bubblewrap could not start a sandbox here: {proc.stderr.strip()[-300:] or proc.returncode}"
    return True, version or "bubblewrap"


# --- what the worker can import ------------------------------------------------------------

@functools.lru_cache(maxsize=1)
def library() -> Path:
    """A folder holding all of the harness a worker may import, and the sandbox's /etc files.

    lib/labmark_worker: bench/inside;  lib/reference: the experiments' public
    part (the vocabulary, `Budget`, and each experiment's interface and
    targets), the same files a student kit ships: no solution;
    etc/: passwd, group, hosts, nsswitch.conf for a machine with one user and
    no network. Made once per session, readable by every worker, removed at exit.
    """
    root = Path(tempfile.mkdtemp(prefix="labmark-lib-"))
    atexit.register(shutil.rmtree, root, True)
    lib = root / "lib"
    _copy_py(PACKAGE, lib / "labmark_worker")
    for path in public_files():
        target = lib / "reference" / path.relative_to(REFERENCE_SPEC)
        target.parent.mkdir(parents=True, exist_ok=True)
        _copy(path, target)
    etc = root / "etc"
    etc.mkdir()
    files = {
        "passwd": f"root:x:0:0::/:/usr/sbin/nologin\n{_passwd_line(65534)}",
        "group": "root:x:0:\nlabmark:x:65534:\n",
        "hosts": f"127.0.0.1 localhost {SANDBOX_HOSTNAME}\n::1 localhost {SANDBOX_HOSTNAME}\n",
        "nsswitch.conf": "passwd: files\ngroup: files\nhosts: files dns\n",
    }
    for name, text in files.items():
        (etc / name).write_text(text)
    for path in [root, *root.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    return root


def _passwd_line(uid: int) -> str:
    return f"labmark:x:{uid}:{uid}:labmark worker:{INSIDE / 'scratch'}:/bin/sh\n"


def _copy_py(src: Path, dst: Path) -> None:
    dst.mkdir(parents=True)
    for path in src.glob("*.py"):
        _copy(path, dst / path.name)


def _copy(src: Path, dst: Path) -> None:
    dst.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(src, dst)


# --- the environment -------------------------------------------------------------------------

PASSED_THROUGH = ("LANG", "LC_ALL", "TZ", "JAVA_HOME", "LD_LIBRARY_PATH", "CUDA_HOME", "NVIDIA_DRIVER_CAPABILITIES")


def environment(extra: dict[str, str], home: str, lib: str) -> dict[str, str]:
    """The worker's whole environment: an allow-list, never a copy of the grader's."""
    venv_bin = str(Path(sys.executable).parent)
    env = {k: os.environ[k] for k in PASSED_THROUGH if k in os.environ}
    env.update(PATH=f"{venv_bin}:/usr/local/bin:/usr/bin:/bin", PYTHONPATH=lib, HOME=home, TMPDIR="/tmp",
               USER="labmark", LOGNAME="labmark",
               PYSPARK_PYTHON=sys.executable, PYSPARK_DRIVER_PYTHON=sys.executable)
    env.setdefault("LANG", "C.UTF-8")
    env.update(extra)
    return env


# --- starting one ----------------------------------------------------------------------------

_uids = iter(range(SANDBOX_UID_BASE + (os.getpid() % 4096) * 4096, SANDBOX_UID_BASE + (1 << 26)))
_uid_lock = threading.Lock()


def next_uid() -> int:
    """A uid no other worker of this session (or, by its pid, of another session) is using."""
    with _uid_lock:
        return next(_uids)


class Spawner:
    """Builds the command line of one worker for its layer."""

    def __init__(self, lib_root: Path, isolation: Isolation):
        self.lib_root = lib_root
        self.isolation = isolation

    def command(self, argv: list[str], workdir: Path | None, uid: int, env: dict[str, str],
                device: str = "cpu", cgroup_procs: list[Path] = (), masks: list[Path] = ()) -> tuple[list[str], list[int], int | None]:
        """(full argv, fds to pass, info fd to read the sandbox's pid from or None)."""
        if self.isolation.layer == "process":
            return join_cgroup(cgroup_procs, argv), [], None
        root = self.isolation.root
        filter_fd = _memfd("labmark-seccomp", seccomp.program())
        info_r, info_w = os.pipe()
        os.set_inheritable(info_w, True)
        args = ["bwrap"]
        if root:  # privileged bubblewrap: no user namespace, so the worker's uid is really its own
            args += ["--unshare-pid", "--unshare-net", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try",
                     "--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID", "--cap-add", "CAP_SETPCAP"]
        else:
            args += ["--unshare-all", "--unshare-user", "--disable-userns", "--uid", "65534", "--gid", "65534"]
        args += ["--hostname", SANDBOX_HOSTNAME, "--die-with-parent", "--new-session", "--clearenv",
                 "--info-fd", str(info_w), "--seccomp", str(filter_fd)]
        for key, value in env.items():
            args += ["--setenv", key, value]
        args += self._filesystem(workdir, device, masks, uid if root else 65534)
        # The worker is the sandbox's pid 1: no root-owned reaper inside, and when it ends the kernel ends
        # every process left in its namespace.
        args += ["--as-pid-1", "--chdir", str(INSIDE / "scratch")]
        command = ["setpriv", f"--reuid={uid}", f"--regid={uid}", "--clear-groups", "--inh-caps=-all",
                   "--bounding-set=-all", "--no-new-privs", "--"] if root else []
        # The options travel in a file: `ps` shows the supervisor as `bwrap --args N -- <the worker's command>`.
        args_fd = _memfd("labmark-bwrap-args", b"".join(a.encode() + b"\0" for a in args[1:]))
        full = ["bwrap", "--args", str(args_fd), "--", *command, *argv]
        return join_cgroup(cgroup_procs, full), [filter_fd, info_w, args_fd], info_r

    def _filesystem(self, workdir: Path | None, device: str, masks: list[Path], uid: int) -> list[str]:
        fs = Mounts()
        for top in ("/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"):
            if os.path.islink(top):
                fs.symlink(os.readlink(top), top)
            elif os.path.isdir(top):
                fs.ro(top)
        fs.ro("/usr")
        for path in ("/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/ld.so.conf.d", "/etc/alternatives",
                     "/etc/ssl", "/etc/localtime", "/etc/mime.types", *sorted(map(str, Path("/etc").glob("java*")))):
            if os.path.exists(path):
                fs.ro(path)
        etc = self.lib_root / "etc"
        if workdir is not None and uid != 65534:  # the worker's own uid has a name and a home (the JVM needs one)
            etc = workdir / "etc"
            etc.mkdir(mode=0o755, exist_ok=True)
            for name in ("hosts", "nsswitch.conf"):
                shutil.copyfile(self.lib_root / "etc" / name, etc / name)
            (etc / "passwd").write_text(f"root:x:0:0::/:/usr/sbin/nologin\n{_passwd_line(uid)}")
            (etc / "group").write_text(f"root:x:0:\nlabmark:x:{uid}:\n")
            for path in etc.iterdir():
                path.chmod(0o644)
        for name in ("passwd", "group", "hosts", "nsswitch.conf"):
            fs.ro(str(etc / name), f"/etc/{name}")
        for path in python_roots():
            fs.ro(path)
        fs.ro(str(self.lib_root / "lib"), str(INSIDE / "lib"))
        if workdir is not None:
            fs.ro(str(workdir / "in"), str(INSIDE / "in"))
        # Results go to a size-capped tmpfs of the sandbox's own (the parent reads them through
        # /proc/<worker>/root): a worker cannot fill the grader's disk, and what it writes counts as its memory.
        fs.tmpfs(str(INSIDE / "out"), RESULTS_BYTES)
        fs.tmpfs(str(INSIDE / "scratch"))
        fs.args += ["--proc", "/proc", "--dev", "/dev"]
        fs.tmpfs("/tmp")
        fs.tmpfs("/dev/shm")
        if device == "cuda":  # the GPU's device nodes, and /sys where CUDA reads the PCI topology
            for node in sorted(Path("/dev").glob("nvidia*")):
                fs.args += ["--dev-bind", str(node), str(node)]
            fs.ro("/sys")
        for path in masks:  # anything of the harness that a bound folder happens to contain
            fs.args += ["--tmpfs", str(path)]
        return fs.args


def join_cgroup(procs_files: list[Path], argv: list[str]) -> list[str]:
    """argv, started by a shell that first moves itself into the cgroup: nothing of the worker runs outside it."""
    if not procs_files:
        return argv
    join = "; ".join(f'echo $$ > "${i + 1}"' for i in range(len(procs_files)))
    return ["/bin/sh", "-c", f'{join} || exit 125; shift {len(procs_files)}; exec "$@"', "sh",
            *map(str, procs_files), *argv]


class Mounts:
    """bubblewrap mount arguments, with the parent folders of each mount point made traversable."""

    def __init__(self) -> None:
        self.args: list[str] = []
        self._dirs: set[str] = {"/"}

    def _parents(self, dest: str) -> None:
        for parent in reversed(Path(dest).parents):
            p = str(parent)
            if p not in self._dirs:
                self._dirs.add(p)
                self.args += ["--perms", "0755", "--dir", p]

    def ro(self, src: str, dest: str | None = None) -> None:
        dest = dest or src
        self._parents(dest)
        self.args += ["--ro-bind", src, dest]
        self._dirs.add(dest)

    def rw(self, src: str, dest: str) -> None:
        self._parents(dest)
        self.args += ["--bind", src, dest]
        self._dirs.add(dest)

    def symlink(self, target: str, dest: str) -> None:
        self.args += ["--symlink", target, dest]

    def tmpfs(self, dest: str, size: int = TMPFS_BYTES) -> None:
        self._parents(dest)
        self.args += ["--perms", "1777", "--size", str(size), "--tmpfs", dest]
        self._dirs.add(dest)


def python_roots() -> list[str]:
    """Folders the interpreter needs: its installation and the virtualenv (which may live elsewhere)."""
    roots = {os.path.realpath(sys.base_prefix), os.path.realpath(sys.prefix), sys.prefix,
             os.path.dirname(os.path.dirname(os.path.realpath(sys.executable)))}
    ordered = sorted(r for r in roots if os.path.isdir(r))
    return [r for r in ordered if not any(r != o and r.startswith(o.rstrip("/") + "/") for o in ordered)
            and not r.startswith(("/usr/", "/bin/", "/lib"))] or []


def masks_for(secrets: list[Path]) -> list[Path]:
    """The harness's own folders (repository, submissions, records, data) that a bound folder contains:
    each is hidden under an empty tmpfs inside the sandbox."""
    bound = [Path(p) for p in python_roots()] + [Path("/usr")]
    out = []
    for secret in secrets:
        secret = Path(os.path.realpath(secret))
        if secret.is_dir() and any(secret == b or b in secret.parents for b in bound):
            out.append(secret)
    return out


def _memfd(name: str, data: bytes) -> int:
    fd = os.memfd_create(name, 0)  # not close-on-exec: bubblewrap reads it
    os.write(fd, data)
    os.lseek(fd, 0, os.SEEK_SET)
    return fd
