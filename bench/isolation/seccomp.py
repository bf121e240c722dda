"""The sandbox's seccomp filter: system calls a worker never needs and an attacker would.

A classic BPF program, built here from syscall numbers so that nothing needs
libseccomp. bubblewrap loads it (`--seccomp FD`) just before it starts the
worker, so it binds the worker and everything the worker starts.

Denied with EPERM: reading or writing another process's memory (ptrace,
process_vm_readv/writev, pidfd_getfd, kcmp, process_madvise), new
namespaces (unshare, setns, clone with CLONE_NEWUSER — the door to
capabilities inside a sandbox), mounts, kernel modules and kexec, bpf,
the kernel keyring, perf events, userfaultfd, io_uring (whose operations no
seccomp filter sees) and file handles. clone3 answers
ENOSYS: its flags sit in memory a filter cannot read, and the C library falls
back to clone, whose flags it can. A program built for another ABI (i386 or
x32 system calls on x86-64) is killed: its numbers mean other calls.
"""

from __future__ import annotations

import errno
import platform
import struct

# seccomp_data: int nr; u32 arch; u64 instruction_pointer; u64 args[6]
_NR, _ARCH, _ARG0 = 0, 4, 16
_AUDIT_ARCH = {"x86_64": 0xC000003E, "aarch64": 0xC00000B7}
_X32_BIT = 0x40000000
CLONE_NEWUSER = 0x10000000

# Syscall numbers per architecture (Linux's unistd tables).
_NUMBERS = {
    "x86_64": {
        "ptrace": 101, "process_vm_readv": 310, "process_vm_writev": 311, "pidfd_getfd": 438, "kcmp": 312,
        "process_madvise": 440, "unshare": 272, "setns": 308, "mount": 165, "umount2": 166, "pivot_root": 155,
        "fsopen": 430, "fsmount": 432, "move_mount": 429, "open_tree": 428, "mount_setattr": 442,
        "kexec_load": 246, "kexec_file_load": 320, "init_module": 175, "finit_module": 313, "delete_module": 176,
        "bpf": 321, "add_key": 248, "request_key": 249, "keyctl": 250, "perf_event_open": 298,
        "userfaultfd": 323, "open_by_handle_at": 304, "name_to_handle_at": 303, "swapon": 167, "swapoff": 168,
        "reboot": 169, "acct": 163, "quotactl": 179, "iopl": 172, "ioperm": 173,
        "io_uring_setup": 425, "io_uring_enter": 426, "io_uring_register": 427,
        "clone": 56, "clone3": 435,
    },
    "aarch64": {
        "ptrace": 117, "process_vm_readv": 270, "process_vm_writev": 271, "pidfd_getfd": 438, "kcmp": 272,
        "process_madvise": 440, "unshare": 97, "setns": 268, "mount": 40, "umount2": 39, "pivot_root": 41,
        "fsopen": 430, "fsmount": 432, "move_mount": 429, "open_tree": 428, "mount_setattr": 442,
        "kexec_load": 104, "kexec_file_load": 294, "init_module": 105, "finit_module": 273, "delete_module": 106,
        "bpf": 280, "add_key": 217, "request_key": 218, "keyctl": 219, "perf_event_open": 241,
        "userfaultfd": 282, "open_by_handle_at": 265, "name_to_handle_at": 264, "swapon": 224, "swapoff": 225,
        "reboot": 142, "acct": 89, "quotactl": 60,
        "io_uring_setup": 425, "io_uring_enter": 426, "io_uring_register": 427,
        "clone": 220, "clone3": 435,
    },
}
DENIED = ("ptrace", "process_vm_readv", "process_vm_writev", "pidfd_getfd", "kcmp", "process_madvise", "unshare",
          "setns", "mount", "umount2", "pivot_root", "fsopen", "fsmount", "move_mount", "open_tree",
          "mount_setattr", "kexec_load", "kexec_file_load", "init_module", "finit_module", "delete_module", "bpf",
          "add_key", "request_key", "keyctl", "perf_event_open", "userfaultfd", "open_by_handle_at",
          "name_to_handle_at", "swapon", "swapoff", "reboot", "acct", "quotactl", "iopl", "ioperm",
          "io_uring_setup", "io_uring_enter", "io_uring_register")

# BPF opcodes and seccomp return values (linux/filter.h, linux/seccomp.h).
_LD_W_ABS, _JEQ_K, _JGE_K, _JSET_K, _RET_K = 0x20, 0x15, 0x35, 0x45, 0x06
_KILL_PROCESS, _ALLOW = 0x80000000, 0x7FFF0000


def _errno(code: int) -> int:
    return 0x00050000 | code


def supported(machine: str | None = None) -> bool:
    return (machine or platform.machine()) in _NUMBERS


def program(machine: str | None = None) -> bytes:
    """The filter as the raw `struct sock_filter` array bubblewrap reads from its --seccomp fd."""
    machine = machine or platform.machine()
    numbers = _NUMBERS[machine]
    denied = sorted({numbers[name] for name in DENIED if name in numbers})
    code: list[tuple[int, int, int, int]] = []

    def emit(op: int, k: int, jt: int = 0, jf: int = 0) -> None:
        code.append((op, jt, jf, k))

    emit(_LD_W_ABS, _ARCH)
    emit(_JEQ_K, _AUDIT_ARCH[machine], 1, 0)
    emit(_RET_K, _KILL_PROCESS)
    emit(_LD_W_ABS, _NR)
    if machine == "x86_64":
        emit(_JGE_K, _X32_BIT, 0, 1)
        emit(_RET_K, _KILL_PROCESS)
    for nr in denied:  # if nr == denied: return EPERM
        emit(_JEQ_K, nr, 0, 1)
        emit(_RET_K, _errno(errno.EPERM))
    emit(_JEQ_K, numbers["clone3"], 0, 1)
    emit(_RET_K, _errno(errno.ENOSYS))
    emit(_JEQ_K, numbers["clone"], 0, 3)  # clone: look at its flags (the low 32 bits of the first argument)
    emit(_LD_W_ABS, _ARG0)
    emit(_JSET_K, CLONE_NEWUSER, 0, 1)
    emit(_RET_K, _errno(errno.EPERM))
    emit(_RET_K, _ALLOW)
    return b"".join(struct.pack("=HBBI", op, jt, jf, k) for op, jt, jf, k in code)
