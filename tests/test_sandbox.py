"""What the `sandbox` isolation layer promises, each promise tried by code that breaks it elsewhere.

Every test starts a sandboxed worker, runs a few lines of hostile code in it
and asserts the exact outcome. They skip, with bubblewrap's reason, where no
sandbox can start (no bubblewrap, not Linux); the tests that need the grader
to be root (per-worker uids, cgroups, the parent's network watch) say so.
"""

from __future__ import annotations

import os
import textwrap
import time

import pytest

from bench import errors
from bench.isolation import sandbox, seccomp
from bench.host import process_tree
from bench.worker import REPO_ROOT, Limits, Worker

from conftest import cmdline, needs_cgroup, pids

pytestmark = pytest.mark.skipif(not sandbox.probe()[0], reason=f"no sandbox here: {sandbox.probe()[1]}")
as_root = pytest.mark.skipif(os.geteuid() != 0, reason="needs a root grader (per-worker uids, cgroups, network watch)")


@pytest.fixture
def sandboxed(tmp_path):
    made: list[Worker] = []

    def make(source: str, name: str = "student", **limits) -> Worker:
        path = tmp_path / f"{name}.py"
        path.write_text(textwrap.dedent(source))
        w = Worker(name, Limits(**limits), isolation=sandbox.resolve("sandbox"))
        made.append(w)
        w.load(path, name, [], timeout=60)
        return w

    yield make
    for w in made:
        w.close()


def _uids_in(processes: list[int]) -> set[int]:
    uids = set()
    for pid in processes:
        try:
            with open(f"/proc/{pid}/status") as f:
                uids.add(int(next(line for line in f if line.startswith("Uid:")).split()[1]))
        except (OSError, StopIteration):
            pass
    return uids


# --- who the worker is and what it sees ------------------------------------------------------

@as_root
def test_workers_never_run_as_the_grader_and_each_has_its_own_uid(sandboxed):
    source = "import os, time\ndef who():\n    return os.getuid(), os.getgid(), os.getgroups()\n"
    a, b = sandboxed(source, "alice"), sandboxed(source, "bob")
    (uid_a, gid_a, groups), _ = a.call("who", timeout=10)
    (uid_b, _, _), _ = b.call("who", timeout=10)
    assert uid_a not in (0, os.getuid()) and uid_a != uid_b and gid_a == uid_a and groups == []
    # What `ps` shows on the host: bubblewrap's supervisor (root, outside the sandbox), and the worker.
    tree = process_tree(a.proc.pid)
    workers = [p for p in tree if _comm(p) != "bwrap"]
    assert [_comm(p) for p in tree if p not in workers] == ["bwrap"]
    assert workers and _uids_in(workers) == {uid_a}


def test_the_worker_sees_only_its_own_processes(sandboxed):
    w = sandboxed("import os\ndef pids():\n    return sorted(int(p) for p in os.listdir('/proc') if p.isdigit())\n")
    pids, _ = w.call("pids", timeout=10)
    assert pids == [1]  # the worker is its sandbox's first process: no grader, no other worker, no root reaper


def test_the_grader_and_its_memory_are_out_of_reach(sandboxed):
    w = sandboxed(f"""
        import os
        def snoop():
            found = {{}}
            for path in ("/proc/{os.getpid()}/mem", "/proc/{os.getppid()}/environ", "/proc/{os.getpid()}/cmdline"):
                try:
                    with open(path, "rb") as f:
                        found[path] = len(f.read(100))
                except OSError as exc:
                    found[path] = type(exc).__name__
            return found
    """)
    found, _ = w.call("snoop", timeout=10)
    assert all(isinstance(v, str) for v in found.values()), found


def test_nothing_of_the_harness_but_the_worker_package_is_importable(sandboxed):
    w = sandboxed(f"""
        import importlib, os
        def look():
            out = {{}}
            for name in ("reference.exp06_anomaly.solution", "reference.exp06_anomaly", "bench", "bench.data",
                         "grading", "reference.spec"):
                try:
                    importlib.import_module(name)
                    out[name] = "imported"
                except ImportError as exc:
                    out[name] = type(exc).__name__
            out["repository"] = os.path.exists({str(REPO_ROOT / "reference")!r})
            out["solutions"] = [os.path.join(top, f) for top, _, files in os.walk("/labmark/lib/reference")
                                for f in files if f == "solution.py"]
            return out
    """)
    out, _ = w.call("look", timeout=30)
    assert out["reference.exp06_anomaly.solution"] == "ModuleNotFoundError"
    assert out["reference.exp06_anomaly"] == "imported"  # its public part: interface and targets
    assert out["bench"] == out["bench.data"] == out["grading"] == "ModuleNotFoundError"
    assert out["reference.spec"] == "imported"  # the public vocabulary (Budget) stays available
    assert out["repository"] is False and out["solutions"] == []


def test_the_environment_is_an_allow_list(sandboxed, monkeypatch):
    monkeypatch.setenv("LABMARK_TEST_CANARY", "grader-secret")
    w = sandboxed("import os\ndef env():\n    return dict(os.environ)\n")
    env, _ = w.call("env", timeout=10)
    assert "LABMARK_TEST_CANARY" not in env and "grader-secret" not in str(env)
    assert env["HOME"] == "/labmark/scratch"


def test_the_interpreter_and_the_inputs_are_read_only(sandboxed):
    import site

    target = site.getsitepackages()[0]
    w = sandboxed("""
        import os
        def write(path):
            try:
                with open(path, "w") as f:
                    f.write("import os")
                return "written"
            except OSError as exc:
                return type(exc).__name__
    """)
    for path in (os.path.join(target, "zzz-labmark-test.pth"), "/labmark/in/forged.npy", "/labmark/lib/labmark_worker/x.py"):
        result, _ = w.call("write", path, timeout=10)
        assert result in ("OSError", "PermissionError", "FileNotFoundError"), (path, result)
    assert not os.path.exists(os.path.join(target, "zzz-labmark-test.pth"))
    scratch, _ = w.call("write", "/labmark/scratch/notes.txt", timeout=10)
    assert scratch == "written"


# --- what it cannot do ------------------------------------------------------------------------

@pytest.mark.skipif(not seccomp.supported(), reason="no seccomp filter for this architecture")
def test_the_seccomp_filter_denies_tracing_namespaces_and_mounts(sandboxed):
    w = sandboxed("""
        import ctypes, os
        libc = ctypes.CDLL(None, use_errno=True)
        def denied():
            out = {}
            out["ptrace"] = libc.ptrace(16, 1, 0, 0), ctypes.get_errno()  # PTRACE_ATTACH to pid 1
            out["unshare"] = libc.unshare(0x10000000), ctypes.get_errno()  # CLONE_NEWUSER
            out["mount"] = libc.mount(b"none", b"/tmp", b"tmpfs", 0, None), ctypes.get_errno()
            out["keyctl"] = libc.syscall(250 if os.uname().machine == "x86_64" else 219, 0, 0, 0, 0), ctypes.get_errno()
            return out
    """)
    out, _ = w.call("denied", timeout=10)
    for call, (result, err) in out.items():
        assert result == -1 and err == 1, (call, result, err)  # EPERM


def test_threads_and_subprocesses_still_work(sandboxed):
    w = sandboxed("""
        import subprocess, sys, threading
        def work():
            box = []
            t = threading.Thread(target=lambda: box.append(sum(range(1000))))
            t.start(); t.join()
            out = subprocess.run([sys.executable, "-c", "print(6 * 7)"], capture_output=True, text=True).stdout
            return box[0], int(out)
    """)
    assert w.call("work", timeout=60)[0] == (499500, 42)


@as_root
def test_a_worker_cannot_signal_another(sandboxed):
    victim = sandboxed("def ping():\n    return 'pong'\n", "anchor")
    attacker = sandboxed("""
        import os, signal
        def attack():
            hit = 0
            for pid in range(1, 4 * 32768):
                for sig in (signal.SIGSTOP, signal.SIGKILL):
                    try:
                        os.kill(pid, sig) if pid > 2 else None
                        hit += 1
                    except (ProcessLookupError, PermissionError):
                        pass
            return hit
    """, "attacker")
    attacker.call("attack", timeout=60)
    started = time.monotonic()
    assert victim.call("ping", timeout=10)[0] == "pong" and time.monotonic() - started < 5


@as_root
def test_a_daemon_that_leaves_the_session_does_not_outlive_the_worker(sandboxed):
    token = f"labmark-daemon-{os.getpid()}-{time.monotonic_ns()}"
    w = sandboxed(f"""
        import os, subprocess, sys
        def daemonize():
            subprocess.Popen([sys.executable, "-c", "import os, time\\nif os.fork(): os._exit(0)\\nos.setsid()\\n"
                              "time.sleep(600)", "{token}"], start_new_session=True)
            return 1
    """)
    w.call("daemonize", timeout=30)
    time.sleep(0.5)
    assert any(token in cmdline(p) for p in pids())
    w.close()
    time.sleep(0.3)
    assert not [p for p in pids() if token in cmdline(p)]


@needs_cgroup
def test_a_fork_bomb_is_capped(sandboxed):
    w = sandboxed("""
        import os, time
        def bomb():
            children = 0
            for _ in range(10000):
                try:
                    if os.fork() == 0:
                        time.sleep(30)
                        os._exit(0)
                    children += 1
                except OSError:
                    return children
            return children
    """, pids=64)
    children, _ = w.call("bomb", timeout=60)
    assert children < 64


# --- what the parent sees for itself --------------------------------------------------------

@as_root
def test_network_attempts_are_recorded_by_the_parent_even_when_the_worker_erases_its_own_record(sandboxed):
    w = sandboxed("""
        import socket, subprocess
        def sneak():
            import _socket
            from labmark_worker import network
            s = _socket.socket(_socket.AF_INET, _socket.SOCK_STREAM)
            try:
                s.connect(("203.0.113.7", 443))
            except OSError:
                pass
            subprocess.run(["bash", "-c", "echo > /dev/tcp/198.51.100.9/80"], capture_output=True)
            network.attempts.clear()
            return "nothing to see"
    """)
    with pytest.raises(errors.NetworkBlocked, match="203.0.113.7:443") as caught:
        w.call("sneak", timeout=30)
    assert "198.51.100.9:80" in caught.value.evidence["hosts"]


@as_root
def test_a_dns_lookup_names_the_host_and_fails_at_once(sandboxed):
    w = sandboxed("""
        import _socket
        def lookup():
            try:
                _socket.getaddrinfo("storage.googleapis.com", 443)
            except OSError:
                return "failed"
    """)
    started = time.monotonic()
    with pytest.raises(errors.NetworkBlocked, match="storage.googleapis.com"):
        w.call("lookup", timeout=30)
    assert time.monotonic() - started < 5


def test_loopback_inside_the_sandbox_works(sandboxed):
    w = sandboxed("""
        import socket, threading
        def echo():
            server = socket.socket()
            server.bind(("127.0.0.1", 0))
            server.listen()
            def serve():
                conn, _ = server.accept()
                conn.sendall(conn.recv(5))
            threading.Thread(target=serve).start()
            client = socket.create_connection(server.getsockname())
            client.sendall(b"hello")
            return client.recv(5).decode()
    """)
    assert w.call("echo", timeout=20)[0] == "hello"


@needs_cgroup
def test_the_kernel_says_when_memory_ran_out(sandboxed):
    w = sandboxed("""
        import numpy as np
        def grow():
            hoard = []
            while True:
                hoard.append(np.ones(64 * 2**20, dtype=np.uint8))
    """, memory_mb=400)
    assert w.cgroup is not None
    with pytest.raises(errors.MemoryLimit, match="cgroup's out-of-memory kill"):
        w.call("grow", timeout=60)


@as_root
def test_cpu_time_covers_every_thread_and_process(sandboxed):
    w = sandboxed("""
        import subprocess, sys
        def burn():
            subprocess.run([sys.executable, "-c", "x = 0\\nfor i in range(30_000_000): x += i"])
    """)
    before = w.cpu_seconds()
    w.call("burn", timeout=120)
    assert w.cpu_seconds() - before > 0.5


def test_a_crash_is_reported_as_a_crash(sandboxed):
    w = sandboxed("import ctypes\ndef crash():\n    ctypes.string_at(0)\n")
    with pytest.raises(errors.Exited, match="SIGSEGV.*native code") as caught:
        w.call("crash", timeout=10)
    assert caught.value.kind == "exited"


def test_the_worker_cannot_be_killed_from_inside_its_sandbox(sandboxed):
    w = sandboxed("import os, signal, subprocess\ndef kill():\n    subprocess.run(['kill', '-9', '1'])\n"
                  "    os.kill(1, signal.SIGTERM)\n    return 'alive'\n")
    assert w.call("kill", timeout=10)[0] == "alive"  # pid 1 ignores signals from its own namespace


def test_a_forged_reply_on_the_private_channel_is_the_submission_s_error(sandboxed):
    w = sandboxed("""
        import json, os, sys
        def forge():
            fd = int(sys.argv[3])
            os.write(fd, (json.dumps({"id": 99, "ok": True, "result": {"json": 1.0}}) + "\\n").encode())
            return 0
    """)
    with pytest.raises(errors.BadOutput, match="private channel"):
        w.call("forge", timeout=10)


def test_a_fifo_planted_as_a_result_does_not_block_the_parent(sandboxed):
    w = sandboxed("""
        import os
        def plant():
            os.mkfifo("/labmark/out/r2.npy")
            return None
    """)
    w.call("plant", timeout=10)
    started = time.monotonic()
    with pytest.raises(errors.BadOutput, match="not a regular file"):
        w._load_array("r2.npy", "plant()")
    assert time.monotonic() - started < 2


def _comm(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/comm") as f:
            return f.read().strip()
    except OSError:
        return ""


def test_the_probe_says_why_when_bubblewrap_is_missing(monkeypatch):
    sandbox.probe.cache_clear()
    monkeypatch.setenv("PATH", "/nonexistent")
    try:
        ok, why = sandbox.probe()
        assert not ok and "bubblewrap" in why
        with pytest.raises(ValueError, match="apt-get install bubblewrap"):
            sandbox.resolve("sandbox")
        assert sandbox.resolve("auto").layer == "process"
    finally:
        sandbox.probe.cache_clear()


@as_root
def test_a_worker_gets_at_most_its_threads_worth_of_cpu(tmp_path):
    path = tmp_path / "spin.py"
    path.write_text(textwrap.dedent("""
        import os, time
        def spin(seconds):
            children = [os.fork() for _ in range(3)]
            end = time.monotonic() + seconds
            while time.monotonic() < end:
                pass
            if 0 in children:
                os._exit(0)
            for child in children:
                os.waitpid(child, 0)
    """))
    with Worker("spin", Limits(), threads=1, isolation=sandbox.resolve("sandbox")) as w:
        if w.cgroup is None or not w.cgroup.limits.get("cpus"):
            pytest.skip("no cpu controller to take a quota here")
        w.load(path, "spin", [], timeout=60)
        before, started = w.cpu_seconds(), time.monotonic()
        w.call("spin", 2.0, timeout=30)
        used, wall = w.cpu_seconds() - before, time.monotonic() - started
    assert used < 1.3 * wall  # eight spinning processes, one core's worth of CPU
