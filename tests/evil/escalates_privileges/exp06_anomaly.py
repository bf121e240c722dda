"""Attack: become root (or gain capabilities) inside the worker.

In its isolation_forest_detector it tries setuid(0) and setresgid(0, 0, 0),
unshare(CLONE_NEWUSER) (a user namespace would make it "root" with every
capability over its own mounts), reads its capability and no_new_privs flags,
and runs setuid-root programs (su, mount) and bubblewrap with a user
namespace. Root in the worker would undo every other barrier.

Expected: it stays its own unprivileged uid with no capabilities and
no_new_privs set (setuid binaries gain nothing), the seccomp filter refuses the
user namespace: every attempt is refused, and the report it raises says so,
so that check errs with kind `raised`; the other detectors behave as the
honest control's; the speed check is skipped.
"""
import ctypes
import os
import subprocess

from honest import one_class_svm_detector, zscore_detector  # noqa: F401

CLONE_NEWUSER = 0x10000000


def _escalate():
    if os.getpid() != 1:  # never outside a sandbox: it would act as the grader's user
        raise RuntimeError("EVILZOO escalates_privileges: not in a sandbox (pid != 1); refusing to attack this machine")
    out = []
    for name, call in (("setuid(0)", lambda: os.setuid(0)), ("setresgid(0)", lambda: os.setresgid(0, 0, 0))):
        try:
            call()
            out.append(f"{name}=ok")
        except OSError as exc:
            out.append(f"{name}={'EPERM' if exc.errno == 1 else exc.strerror}")
    libc = ctypes.CDLL(None, use_errno=True)
    ret = libc.unshare(CLONE_NEWUSER)
    out.append(f"unshare(CLONE_NEWUSER)={'ok' if ret == 0 else os.strerror(ctypes.get_errno()).replace('Operation not permitted', 'EPERM')}")
    with open("/proc/self/status") as f:
        status = dict(line.split(":", 1) for line in f if ":" in line)
    out += [f"CapEff={status['CapEff'].strip()}", f"CapPrm={status['CapPrm'].strip()}",
            f"NoNewPrivs={status['NoNewPrivs'].strip()}", f"root={os.geteuid() == 0}"]
    for name, argv in (("su", ["su", "-c", "id -u", "root"]), ("mount", ["mount", "-t", "tmpfs", "none", "/labmark/in"]),
                       ("bwrap", ["bwrap", "--unshare-user", "--uid", "0", "--ro-bind", "/", "/", "id", "-u"])):
        try:
            done = subprocess.run(argv, capture_output=True, text=True, timeout=5, stdin=subprocess.DEVNULL)
            out.append(f"{name}: {'refused' if done.returncode or done.stdout.strip() != '0' else 'ROOT'}")
        except (OSError, subprocess.TimeoutExpired) as exc:
            out.append(f"{name}: refused ({type(exc).__name__})")
    return "EVILZOO escalates_privileges: " + ", ".join(out)


def isolation_forest_detector(series, period, seed):
    raise PermissionError(_escalate())
