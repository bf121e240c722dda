"""The parent's own record of a sandboxed worker's attempts to reach the network.

The sandbox has a network namespace of its own with only a loopback device,
so nothing leaves it. To know that the submission *tried* (and to say where
to), the parent joins that namespace from a thread of its own and:

- routes every address to the loopback device (`ip route add local 0.0.0.0/0
  dev lo`), so a connection to any host fails at once (refused) instead of
  hanging, and its first packet passes through loopback;
- captures, on loopback, the first packet of every TCP connection (SYN) and
  every UDP datagram, with a small BPF filter so the sandbox's own loopback
  traffic (Spark's, say) costs nothing;
- counts as an attempt any packet to an address outside 127.0.0.0/8 and ::1,
  and any DNS query (with no resolv.conf, the C library asks 127.0.0.1:53;
  the query names the host the submission wanted).

The worker cannot see, stop or rewrite this record: it lives in the parent.
Joining another network namespace needs CAP_SYS_ADMIN, so this works when the
grader runs as root (official grading); otherwise `start` says why not, and
the record says the attempts are the worker's own report.
"""

from __future__ import annotations

import ctypes
import ipaddress
import os
import shutil
import socket
import struct
import subprocess
import threading
import time

CLONE_NEWNET = 0x40000000
ETH_P_ALL = 0x0003
PACKET_OUTGOING = 4
SO_ATTACH_FILTER = 26
MAX_ATTEMPTS = 50
LOCAL_NAMES = {"localhost", "labmark", "localhost.localdomain"}


def available() -> tuple[bool, str]:
    if os.geteuid() != 0:
        return False, "the grader is not root, so it cannot join the sandbox's network namespace"
    if not hasattr(socket, "AF_PACKET"):
        return False, "no packet sockets on this system"
    return True, ""


class NetWatch:
    """Attempts seen on one worker's loopback, newest last: [{"to": "host:port", "at": monotonic seconds}]."""

    def __init__(self) -> None:
        self.attempts: list[dict] = []
        self.notes: list[str] = []
        self._stop = threading.Event()
        self._ready = threading.Event()
        self._error: str | None = None
        self._thread: threading.Thread | None = None
        self._marker: socket.socket | None = None  # a UDP socket inside the sandbox's namespace, for sync()
        self._waiting: dict[bytes, threading.Event] = {}

    def start(self, pid: int, timeout: float = 10.0) -> str | None:
        """Watch the network namespace of process `pid`. Returns None, or why it could not."""
        ok, why = available()
        if not ok:
            return why
        path = f"/proc/{pid}/ns/net"
        self._route_everything_to_loopback(path)
        self._thread = threading.Thread(target=self._run, args=(path,), name=f"labmark-netwatch-{pid}", daemon=True)
        self._thread.start()
        if not self._ready.wait(timeout):
            return "the network watch did not start in time"
        return self._error

    def _route_everything_to_loopback(self, netns: str) -> None:
        ip, nsenter = shutil.which("ip"), shutil.which("nsenter")
        if not ip or not nsenter:
            self.notes.append("no `ip`/`nsenter` (iproute2, util-linux): only DNS queries are seen")
            return
        for family, prefix in (("-4", "0.0.0.0/0"), ("-6", "::/0")):
            proc = subprocess.run([nsenter, f"--net={netns}", ip, family, "route", "add", "local", prefix, "dev", "lo"],
                                  capture_output=True, text=True, timeout=10, env={"PATH": "/usr/sbin:/usr/bin:/sbin:/bin"},
                                  check=False)
            if proc.returncode != 0 and family == "-4":
                self.notes.append(f"routing to loopback failed ({proc.stderr.strip()[:200]}): only DNS queries are seen")

    def _run(self, netns: str) -> None:
        try:
            fd = os.open(netns, os.O_RDONLY)
            try:
                libc = ctypes.CDLL(None, use_errno=True)
                if libc.setns(fd, CLONE_NEWNET) != 0:  # this thread only: the rest of the parent stays put
                    raise OSError(ctypes.get_errno(), os.strerror(ctypes.get_errno()))
            finally:
                os.close(fd)
            sock = socket.socket(socket.AF_PACKET, socket.SOCK_DGRAM, socket.htons(ETH_P_ALL))
            sock.setsockopt(socket.SOL_SOCKET, SO_ATTACH_FILTER, _filter_struct())
            sock.bind(("lo", ETH_P_ALL))
            sock.settimeout(0.2)
            self._marker = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)  # a socket keeps its namespace
        except OSError as exc:
            self._error = f"cannot watch the sandbox's network ({exc.strerror or exc})"
            self._ready.set()
            return
        self._ready.set()
        with sock:
            while not self._stop.is_set():
                try:
                    packet, address = sock.recvfrom(2048)
                except TimeoutError:
                    continue
                except OSError:
                    return
                if address[2] != PACKET_OUTGOING:  # loopback shows each packet twice: sent and received
                    continue
                token = packet[-16:]
                if token in self._waiting and packet[:1] == b"\x45" and packet[9] == 17:
                    self._waiting[token].set()
                    continue
                where = describe(packet)
                if where and len(self.attempts) < MAX_ATTEMPTS:
                    self.attempts.append({"to": where, "at": time.monotonic()})

    def sync(self, timeout: float = 1.0) -> None:
        """Return once every packet the sandbox sent before this call has been looked at.

        Capture runs in its own thread; a marker datagram sent now through the
        sandbox's loopback arrives behind everything sent earlier."""
        if self._marker is None or not self._thread or not self._thread.is_alive():
            return
        token = os.urandom(16)
        seen = self._waiting[token] = threading.Event()
        try:
            self._marker.sendto(token, ("127.0.0.1", 9))
            seen.wait(timeout)
        except OSError:
            pass
        finally:
            self._waiting.pop(token, None)

    def stop(self) -> None:
        self._stop.set()
        if self._marker is not None:
            try:  # wake the capture thread now rather than at its next timeout
                self._marker.sendto(b"stop", ("127.0.0.1", 9))
            except OSError:
                pass
        if self._thread is not None:
            self._thread.join(timeout=2)
        if self._marker is not None:
            self._marker.close()


def describe(packet: bytes) -> str | None:
    """'host:port' or 'name (DNS query)' for a packet that reaches for the network; None for local traffic."""
    try:
        version = packet[0] >> 4
        if version == 4:
            header, proto, dst = (packet[0] & 0xF) * 4, packet[9], ipaddress.ip_address(packet[16:20])
        elif version == 6:
            header, proto, dst = 40, packet[6], ipaddress.ip_address(packet[24:40])
        else:
            return None
        port = struct.unpack("!H", packet[header + 2 : header + 4])[0]
    except (IndexError, ValueError, struct.error):
        return None
    if proto == 17 and port == 53:
        name = _dns_question(packet[header + 8 :])
        if name is None or name.lower().rstrip(".") in LOCAL_NAMES or name.endswith((".in-addr.arpa", ".ip6.arpa")):
            return None
        return f"{name} (DNS query)"
    if dst.is_loopback or (dst.version == 6 and dst.ipv4_mapped is not None and dst.ipv4_mapped.is_loopback):
        return None
    return f"[{dst}]:{port}" if dst.version == 6 else f"{dst}:{port}"


def _dns_question(payload: bytes) -> str | None:
    """The first question's name of a DNS query, or None if it is not one."""
    if len(payload) < 13 or payload[2] & 0x80:  # a response, not a query
        return None
    labels, i = [], 12
    while i < len(payload) and len(labels) < 64:
        n = payload[i]
        if n == 0:
            return ".".join(labels) or None
        if n > 63:
            return None
        label = payload[i + 1 : i + 1 + n]
        labels.append(label.decode("ascii", "replace"))
        i += 1 + n
    return None


# --- the capture filter ----------------------------------------------------------------------

def _filter_program() -> list[tuple[int, int, int, int]]:
    """Classic BPF over the network header (SOCK_DGRAM): accept UDP, and TCP with SYN set and ACK clear."""
    ldb, rsh, jeq, ldxb_msh, ldb_ind, and_, ret = 0x30, 0x74, 0x15, 0xB1, 0x50, 0x54, 0x06
    accept, drop = 17, 18
    prog = [
        (ldb, 0, 0, 0),             # 0: A = first byte
        (rsh, 0, 0, 4),             # 1: A >>= 4 (IP version)
        (jeq, 1, 0, 4),             # 2: v4 -> 4
        (jeq, 11 - 4, drop - 4, 6),  # 3: v6 -> 11, else drop
        (ldb, 0, 0, 9),             # 4: IPv4 protocol
        (jeq, accept - 6, 0, 17),   # 5: UDP -> accept
        (jeq, 0, drop - 7, 6),      # 6: TCP -> 7, else drop
        (ldxb_msh, 0, 0, 0),        # 7: X = IPv4 header length
        (ldb_ind, 0, 0, 13),        # 8: A = TCP flags
        (and_, 0, 0, 0x12),         # 9: SYN | ACK
        (jeq, accept - 11, drop - 11, 0x02),  # 10: SYN alone -> accept
        (ldb, 0, 0, 6),             # 11: IPv6 next header
        (jeq, accept - 13, 0, 17),  # 12: UDP -> accept
        (jeq, 0, drop - 14, 6),     # 13: TCP -> 14, else drop
        (ldb, 0, 0, 53),            # 14: TCP flags after the 40-byte IPv6 header
        (and_, 0, 0, 0x12),         # 15
        (jeq, accept - 17, drop - 17, 0x02),  # 16
        (ret, 0, 0, 0x40000),       # 17: accept
        (ret, 0, 0, 0),             # 18: drop
    ]
    return [(code, jt, jf, k) for code, jt, jf, k in prog]


_KEEP: list = []  # the filter's memory must outlive setsockopt


def _filter_struct() -> bytes:
    prog = _filter_program()
    raw = b"".join(struct.pack("=HBBI", code, jt, jf, k) for code, jt, jf, k in prog)
    buf = ctypes.create_string_buffer(raw)
    _KEEP.append(buf)
    return struct.pack("HL", len(prog), ctypes.addressof(buf))
