"""A courtesy inside the worker: refuse connections early, with a message that names the line.

This is not what keeps a submission off the network: the sandbox has no
network at all, and the parent watches the sandbox's own loopback for
attempts (bench/isolation/netwatch.py). Code running here can undo anything in this
module; it exists so that an honest `load_data()` fails at once with a clear
error pointing at the student's line instead of a long DNS timeout.
"""

from __future__ import annotations

import socket
import sys


class NetworkBlockedError(ConnectionRefusedError):
    """Raised instead of opening a connection to anything but this machine."""


attempts: list[str] = []  # reported with each answer; the parent does not rely on it
context: dict = {}  # of the first attempt of this answer: {"lineno": the submission's line, "by": a library}
source_file: str | None = None  # the submission's file, set by the loop when it imports it


def _note_context() -> None:
    """Which line of the submission made the attempt, and through which installed library (nltk.download(),
    keras' get_file...): the parent names them in its message. The library is the one the submission called
    (the outermost library frame below its line). Only the first attempt of an answer is noted."""
    if context:
        return
    frame, by = sys._getframe(2), None
    while frame is not None:
        code = frame.f_code.co_filename
        if source_file is not None and code == source_file:
            context["lineno"] = frame.f_lineno
            break
        if "site-packages" in code or "dist-packages" in code:
            by = str(frame.f_globals.get("__name__", "")).split(".")[0] or None
        frame = frame.f_back
    if by:
        context["by"] = by


def is_local(host) -> bool:
    host = str(host).strip("[]").lower()
    return host in ("localhost", "", "::1", "0.0.0.0", "labmark") or host.startswith("127.")


def _refuse(host, port=None) -> None:
    where = f"{host}:{port}" if port is not None else str(host)
    _note_context()
    attempts.append(where)
    raise NetworkBlockedError(f"labmark: network access is disabled while grading (tried to reach {where})")


def install_guard(sandboxed: bool) -> None:
    """sandboxed: the real call is made first (it fails at once: the sandbox has no network), so that the
    parent, which watches the sandbox's loopback, sees the attempt whatever this process does afterwards.
    Outside a sandbox the call is refused before anything leaves the machine."""
    real_connect, real_connect_ex = socket.socket.connect, socket.socket.connect_ex
    real_getaddrinfo = socket.getaddrinfo

    def attempt(call, *args):
        if sandboxed:
            try:
                call(*args)
            except OSError:
                pass

    def check(sock, address):
        if sock.family in (socket.AF_INET, socket.AF_INET6) and not is_local(address[0]):
            attempt(real_connect_ex, sock, address)
            _refuse(address[0], address[1])

    def connect(self, address):
        check(self, address)
        return real_connect(self, address)

    def connect_ex(self, address):
        check(self, address)
        return real_connect_ex(self, address)

    def getaddrinfo(host, port, *args, **kwargs):
        if host is not None and not is_local(host.decode() if isinstance(host, bytes) else host):
            attempt(real_getaddrinfo, host, port, *args)
            _refuse(host, port)
        return real_getaddrinfo(host, port, *args, **kwargs)

    socket.socket.connect, socket.socket.connect_ex = connect, connect_ex
    socket.getaddrinfo = getaddrinfo
