"""The parent's side of a worker process: start, talk, watch, kill.

One `Worker` runs one submission's module for one experiment. Each request
has a wall-clock deadline; while it runs the parent watches the whole process
tree's resident memory and the volume of output, and kills the tree (process
group plus any descendant that left it) when a limit is crossed. Inputs are
written to a private staging directory; results come back as JSON and .npy
files that are loaded with `allow_pickle=False` and size caps.

Isolation layer "process": a plain subprocess with rlimits, memory and output
watch, a wall-clock kill and a Python-level network block. It keeps honest
mistakes from hurting the run; it is not a security boundary against a
determined attacker (same user, same filesystem).
"""

from __future__ import annotations

import json
import os
import re
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import deque
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from . import errors

ISOLATION_LAYER = "process"
REPO_ROOT = Path(__file__).resolve().parent.parent
_RESULT_NAME = re.compile(r"^r\d+(_\d+)*\.npy$")
_CONTROL_CHARS = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|[\x00-\x08\x0b-\x1f\x7f]")
MiB = 1 << 20


@dataclass(frozen=True)
class Limits:
    memory_mb: int = 6144  # resident memory of the whole process tree
    output_mb: int = 20  # stdout + stderr, after which the worker is stopped
    result_mb: int = 512  # one returned array
    address_space_slack_mb: int = 12288  # frameworks reserve far more address space than they use
    grace_seconds: float = 5.0  # added to every deadline: process and pipe overhead


@dataclass(frozen=True)
class Handle:
    """A value that stayed in the worker (a trained model, say)."""

    id: int
    type: str


@dataclass(frozen=True)
class Make:
    """An argument the worker builds with harness code: Make("bench.rl:make_env", seed)."""

    factory: str
    args: tuple = ()

    def __init__(self, factory: str, *args):
        object.__setattr__(self, "factory", factory)
        object.__setattr__(self, "args", args)


class CapturedOutput:
    """Keeps the head and tail of a stream and counts the rest."""

    def __init__(self, stream, keep: int = 32 * 1024):
        self.head = bytearray()
        self.tail: deque[bytes] = deque()
        self.tail_bytes = 0
        self.total = 0
        self.keep = keep
        self._thread = threading.Thread(target=self._drain, args=(stream,), daemon=True)
        self._thread.start()

    def _drain(self, stream) -> None:
        while chunk := stream.read1(65536):
            self.total += len(chunk)
            room = self.keep - len(self.head)
            if room > 0:
                self.head += chunk[:room]
                chunk = chunk[room:]
            if chunk:
                self.tail.append(chunk)
                self.tail_bytes += len(chunk)
                while self.tail_bytes - len(self.tail[0]) >= self.keep:
                    self.tail_bytes -= len(self.tail.popleft())

    def text(self) -> str:
        self._thread.join(timeout=0.5)
        tail = b"".join(self.tail)[-self.keep :]
        skipped = self.total - len(self.head) - len(tail)
        body = bytes(self.head).decode(errors="replace")
        if tail:
            body += (f"\n[... {skipped} bytes not kept ...]\n" if skipped > 0 else "") + tail.decode(errors="replace")
        return clean_text(body)


def _column(series) -> np.ndarray:
    """A numeric column as it is; anything else as unicode strings (never object arrays)."""
    values = series.to_numpy()
    return values if values.dtype.kind in "biuf" else values.astype(str)


def clean_text(text: str) -> str:
    """Drop terminal escapes and control characters (keeps newlines and tabs)."""
    return _CONTROL_CHARS.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def process_tree(root: int) -> list[int]:
    """root and every live descendant, found through /proc (works after setsid)."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                with open(f"/proc/{entry.name}/stat", "rb") as f:
                    stat = f.read()
            except OSError:
                continue
            ppid = int(stat[stat.rindex(b")") + 2 :].split()[1])
            children.setdefault(ppid, []).append(int(entry.name))
    tree, todo = [], [root]
    while todo:
        pid = todo.pop()
        tree.append(pid)
        todo.extend(children.get(pid, ()))
    return tree


def resident_bytes(pids: list[int]) -> int:
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/statm", "rb") as f:
                total += int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, IndexError, ValueError):
            pass
    return total


class Worker:
    """A running submission. Use as a context manager, or call close()."""

    def __init__(self, label: str, limits: Limits, threads: int = 1, device: str = "cpu", env: dict | None = None):
        self.label = label
        self.limits = limits
        self.workdir = Path(tempfile.mkdtemp(prefix=f"labmark-{re.sub(r'[^A-Za-z0-9_.-]', '_', label)}-"))
        for sub in ("in", "out", "scratch"):
            (self.workdir / sub).mkdir(mode=0o700)
        self.stopped: errors.SubmissionError | None = None  # why the worker is gone, once it is
        self.peak_rss = 0
        self.overhead_seconds = 0.0  # time calls spent outside the student's code, as seen from here
        self._worker_seconds = 0.0
        self.locate = lambda lineno: f"line {lineno}"  # maps a line of the imported file to what the student wrote
        self._staged: dict[int, tuple[np.ndarray, str]] = {}  # id(array) -> (array, file): stage each input once
        self._next_id = 0
        self._req_r, self._req_w = os.pipe()
        self._resp_r, self._resp_w = os.pipe()
        address_space = (limits.memory_mb + limits.address_space_slack_mb) * MiB
        started = time.monotonic()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "bench.worker_main", str(self.workdir), str(self._req_r), str(self._resp_w),
             str(address_space), str(limits.result_mb * MiB)],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            pass_fds=(self._req_r, self._resp_w), cwd=self.workdir, env=self._environment(threads, device, env),
            start_new_session=True,
        )
        os.close(self._req_r)
        os.close(self._resp_w)
        self.output = CapturedOutput(self.proc.stdout)
        self.start_seconds = time.monotonic() - started

    def _environment(self, threads: int, device: str, extra: dict | None) -> dict:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "LABMARK", "HYPOTHESIS"))}
        pythonpath = [str(REPO_ROOT)] + [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p]
        env.update(
            PYTHONPATH=os.pathsep.join(pythonpath),
            PYTHONUNBUFFERED="1",
            PYTHONDONTWRITEBYTECODE="1",
            HOME=str(self.workdir / "scratch"),  # framework caches and student files stay private
            MPLBACKEND="Agg",
            MPLCONFIGDIR=str(self.workdir / "scratch" / ".matplotlib"),
            TF_CPP_MIN_LOG_LEVEL="2",
            OMP_NUM_THREADS=str(threads), MKL_NUM_THREADS=str(threads), OPENBLAS_NUM_THREADS=str(threads),
            TF_NUM_INTRAOP_THREADS=str(threads), TF_NUM_INTEROP_THREADS="1",
            OMP_WAIT_POLICY="PASSIVE",  # idle OpenMP threads sleep instead of spinning: 10-40x faster on a busy machine
        )
        if device == "cpu":
            env["CUDA_VISIBLE_DEVICES"] = ""
        env.update(extra or {})
        return env

    # --- requests -------------------------------------------------------------

    def load(self, path: Path, module: str, functions: list[str], timeout: float) -> dict:
        return self._request({"op": "load", "path": str(path), "module": module, "functions": functions},
                             timeout, what=f"importing {path.name}")

    def call(self, fn: str, *args, timeout: float, model: bool = False):
        """Call fn(*args) in the worker. Returns (value, seconds measured by the parent).

        model=True: the result is a trained model, kept in the worker as a Handle whatever its type
        (for `(model, extra)` the extra part comes back as data)."""
        rid = self._next_id + 1
        encoded = [self._encode_arg(a, f"a{rid}_{i}") for i, a in enumerate(args)]
        started = time.perf_counter()
        value = self._request({"op": "call", "fn": fn, "args": encoded, "model": model}, timeout, what=f"{fn}()")
        seconds = time.perf_counter() - started
        self.overhead_seconds += max(seconds - self._worker_seconds, 0.0)  # staging, pipes, encoding
        return value, seconds

    def harness(self, fn: str, *args, timeout: float):
        """Run harness code `fn(student_module, *args)` inside the worker (e.g. a loop over the student's
        function that would cost a round trip per step). Returns (value, seconds measured here)."""
        rid = self._next_id + 1
        encoded = [self._encode_arg(a, f"a{rid}_{i}") for i, a in enumerate(args)]
        started = time.perf_counter()
        value = self._request({"op": "harness", "fn": fn, "args": encoded}, timeout, what=f"{fn.split(':')[-1]}()")
        return value, time.perf_counter() - started

    def describe(self, handle: Handle, timeout: float = 30) -> dict:
        return self._request({"op": "describe", "handle": handle.id}, timeout, what="inspecting the model")

    def _encode_arg(self, value, name: str) -> dict:
        from reference.spec import Budget

        if isinstance(value, Handle):
            return {"handle": value.id}
        if isinstance(value, Make):
            return {"make": value.factory, "args": [self._encode_arg(a, f"{name}_{i}") for i, a in enumerate(value.args)]}
        if isinstance(value, Budget):
            return {"budget": {"seconds": value.seconds, "device": value.device, "seed": value.seed, "threads": value.threads}}
        if type(value).__name__ == "DataFrame":  # a pandas table travels as one array per column
            if id(value) not in self._staged:
                columns = {f"c{i}": _column(value[c]) for i, c in enumerate(value.columns)}
                np.savez(self.workdir / "in" / f"{name}.npz", **columns)
                self._staged[id(value)] = (value, f"{name}.npz")
            return {"frame": self._staged[id(value)][1], "columns": [str(c) for c in value.columns]}
        if isinstance(value, np.ndarray):
            if id(value) not in self._staged:  # keeping the array alive keeps its id unique
                np.save(self.workdir / "in" / f"{name}.npy", value, allow_pickle=False)
                self._staged[id(value)] = (value, f"{name}.npy")
            return {"array": self._staged[id(value)][1]}
        return {"json": value}

    def _request(self, req: dict, timeout: float, what: str):
        if self.stopped is not None:
            raise self.stopped
        self._next_id += 1
        req["id"] = self._next_id
        try:
            os.write(self._req_w, (json.dumps(req) + "\n").encode())
        except BrokenPipeError:
            self._fail(self._exit_error(what))
        grace = max(self.limits.grace_seconds, 0.1 * timeout)
        reply = self._await_reply(timeout + grace, timeout, grace, what)
        if not isinstance(reply, dict) or reply.get("id") != req["id"]:
            self._fail(errors.BadOutput(f"the worker answered out of turn while {what}: the submission may be "
                                        "writing to the harness's private channel"))
        reported = reply.get("seconds")  # the worker's own timing: only used to size the overhead
        self._worker_seconds = float(reported) if isinstance(reported, (int, float)) else 0.0
        if reply.get("network_attempts"):  # reported even when the student's code swallowed the error
            raise self._network_error(reply["network_attempts"], what, "")
        if not reply.get("ok"):
            raise self._translate(reply.get("error") or {}, what)
        return self._decode(reply.get("result"), what)

    def _await_reply(self, kill_after: float, budget: float, grace: float, what: str) -> dict:
        deadline = time.monotonic() + kill_after
        buf = b""
        next_memory_check = 0.0
        while True:
            readable, _, _ = select.select([self._resp_r], [], [], 0.05)
            if readable:
                chunk = os.read(self._resp_r, 65536)
                if not chunk:
                    self._fail(self._exit_error(what))
                buf += chunk
                if b"\n" in buf:
                    try:
                        return json.loads(buf.split(b"\n", 1)[0])
                    except ValueError:
                        self._fail(errors.BadOutput(f"the worker's answer while {what} was not valid JSON"))
                if len(buf) > 4 * MiB:
                    self._fail(errors.BadOutput(f"the worker's answer while {what} exceeded 4 MiB"))
            now = time.monotonic()
            if self.proc.poll() is not None:
                self._fail(self._exit_error(what))
            if self.output.total > self.limits.output_mb * MiB:
                self._fail(errors.OutputFlood(
                    f"The submission printed more than {self.limits.output_mb} MB while {what} and was stopped. "
                    "Expected: a few lines of progress. Likely cause: a print (or a verbose progress bar) inside "
                    "a per-sample or per-batch loop; print once per epoch, or set verbose=0."))
            if now >= next_memory_check:
                rss = resident_bytes(process_tree(self.proc.pid))
                self.peak_rss = max(self.peak_rss, rss)
                if rss > self.limits.memory_mb * MiB:
                    self._fail(errors.MemoryLimit(
                        f"The submission used {rss / MiB / 1024:.1f} GiB of memory while {what}, over its limit "
                        f"of {self.limits.memory_mb / 1024:.1f} GiB, and was stopped. Likely cause: a very large "
                        "array, data copied per epoch, or a batch size too large; process data in batches.",
                        peak_mb=rss // MiB))
                next_memory_check = now + 0.25
            if now > deadline:
                self._fail(errors.Timeout(
                    f"{what} did not finish within its budget of {budget:.0f} s (+{grace:.0f} s "
                    "grace) and was stopped. Likely causes: an endless loop, a sleep, waiting for input, or "
                    "training that ignores budget.remaining(); stop training when the budget runs low.",
                    budget_seconds=budget))

    def _decode(self, enc, what: str):
        if not isinstance(enc, dict) or len(enc) < 1:
            raise errors.BadOutput(f"malformed answer while {what}")
        if "json" in enc:
            return enc["json"]
        if "array" in enc:
            return self._load_array(str(enc["array"]), what)
        if "handle" in enc:
            return Handle(int(enc["handle"]), str(enc.get("type", "?"))[:200])
        if "tuple" in enc:
            return tuple(self._decode(v, what) for v in enc["tuple"])
        if "list" in enc:
            return [self._decode(v, what) for v in enc["list"]]
        if "dict" in enc:
            return {str(k): self._decode(v, what) for k, v in enc["dict"].items()}
        raise errors.BadOutput(f"malformed answer while {what}")

    def _load_array(self, name: str, what: str) -> np.ndarray:
        if not _RESULT_NAME.match(name):
            raise errors.BadOutput(f"the worker named an unexpected result file while {what}")
        path = self.workdir / "out" / name
        try:
            fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
        except OSError as exc:
            raise errors.BadOutput(f"the result of {what} could not be read back ({exc.strerror})") from None
        with os.fdopen(fd, "rb") as f:
            size = os.fstat(f.fileno()).st_size
            if size > self.limits.result_mb * MiB:
                raise errors.BadOutput(f"the result of {what} is {size / MiB:.0f} MB, over the "
                                       f"{self.limits.result_mb} MB cap for one returned array")
            try:
                return np.load(f, allow_pickle=False)
            except ValueError as exc:
                raise errors.BadOutput(f"the result of {what} is not a plain numeric array ({exc})") from None

    # --- failures ---------------------------------------------------------------

    def _translate(self, err: dict, what: str) -> errors.SubmissionError:
        etype, message = err.get("type", "Exception"), err.get("message", "")
        detail = err.get("traceback", "")
        line = f" ({self.locate(err['lineno'])})" if err.get("lineno") else ""
        if etype == "SystemExit":
            return errors.Exited(
                f"The submission called sys.exit({err.get('code')!r}) while {what}{line}. Expected: the function "
                "returns its result. Remove exit()/sys.exit()/quit() from graded code.", detail)
        if etype == "NetworkBlockedError":
            return self._network_error([message.rsplit("reach ", 1)[-1].rstrip(")")], what, detail)
        if etype == "MemoryError":
            return errors.MemoryLimit(
                f"The submission ran out of memory while {what}{line} (limit {self.limits.memory_mb / 1024:.1f} "
                "GiB). Likely cause: a very large allocation; process data in batches.", detail)
        return errors.Raised(f"{what} raised {etype}{line}: {message}", detail, exception=etype,
                             lineno=err.get("lineno"), error_message=message, module=err.get("module"))

    @staticmethod
    def _network_error(attempts: list[str], what: str, detail: str) -> errors.SubmissionError:
        return errors.NetworkBlocked(
            f"The submission tried to reach {attempts[0]} while {what}: there is no network while grading. "
            "Expected: use the data the harness passes to your functions (x_train, y_train, series...). "
            "Likely cause: a dataset download such as tf.keras.datasets.mnist.load_data() or "
            "torchvision.datasets.MNIST(download=True) in graded code; move it to an ungraded cell.",
            detail, hosts=attempts[:5])

    def _exit_error(self, what: str) -> errors.SubmissionError:
        try:
            code = self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            code = None
        if code is not None and code < 0:
            name = signal.Signals(-code).name if -code in signal.Signals._value2member_map_ else str(-code)
            hint = ("it was probably killed for using too much memory" if code == -signal.SIGKILL
                    else "a crash in native code (a framework, or a segfault)")
            return errors.Exited(f"The worker died from signal {name} while {what}: {hint}.", self.output.text())
        return errors.Exited(
            f"The worker process ended (exit code {code}) while {what}, before returning a result. Expected: the "
            "function returns. Likely cause: os._exit(), exit() in a thread, or a library that ends the process.",
            self.output.text())

    def _fail(self, error: errors.SubmissionError):
        """Stop the worker for good and raise `error` (later requests re-raise it)."""
        self.kill()
        if not error.detail:
            error.detail = self.output.text()
        self.stopped = error
        raise error

    def kill(self) -> None:
        if self.proc.returncode is None:  # not reaped yet, so its pid still names our tree
            for pid in process_tree(self.proc.pid):
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass

    def close(self) -> None:
        if self.stopped is None:
            self.stopped = errors.Exited("the worker was closed")
        for fd in (self._req_w, self._resp_r):
            try:
                os.close(fd)
            except OSError:
                pass
        try:
            self.proc.wait(timeout=3)  # closing the request pipe ends the worker's loop
        except subprocess.TimeoutExpired:
            pass
        self.kill()
        shutil.rmtree(self.workdir, ignore_errors=True)

    def __enter__(self) -> "Worker":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
