"""The parent's side of a worker process: start, talk, watch, kill.

One `Worker` runs one submission's module for one experiment, in the
isolation layer the session chose (bench/isolation/sandbox.py: `sandbox` for grading,
`process` for self-checks). Each request has a wall-clock deadline; while it
runs the parent watches memory (the worker's cgroup, where the kernel
enforces the limit and reports its own out-of-memory kills, else the process
tree's resident memory) and the volume of output, and kills everything the
worker started when a limit is crossed. Inputs are written by the parent to a
staging folder the worker can only read; results come back as one JSON line
per request and .npy files, all checked here: the reply against a strict
schema, files opened without following links or blocking and loaded with
`allow_pickle=False` under size caps. Whatever goes wrong with what the
worker sends is the submission's error, never the harness's.
"""

from __future__ import annotations

import functools
import json
import os
import re
import select
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import deque
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from reference.spec import Trained

from . import errors, host, offline, replies
from .isolation import sandbox
from .isolation.cgroups import Cgroup
from .isolation.netwatch import NetWatch
from .isolation.sandbox import Isolation
from .text import clean_text

REPO_ROOT = Path(__file__).resolve().parent.parent
_RESULT_NAME = re.compile(r"^r\d+(_\d+)*\.npy$")
# What PyTorch and TensorFlow say when code asks for a GPU where there is none.
_NO_GPU = re.compile(r"Found no NVIDIA driver|Torch not compiled with CUDA|No CUDA GPUs are available|CUDA driver "
                     r"initialization failed|torch\.cuda\.is_available\(\) is False|Could not satisfy device "
                     r"specification.*GPU|Cannot access accelerator device when none is available", re.IGNORECASE)
MiB = 1 << 20
PIDS_MAX = 4096  # processes and threads of one worker (a JVM or a data loader needs hundreds, a fork bomb more)


@dataclass(frozen=True)
class Limits:
    memory_mb: int = 6144  # resident memory of the whole process tree
    output_mb: int = 20  # stdout + stderr, after which the worker is stopped
    result_mb: int = 512  # one returned array
    address_space_slack_mb: int = 12288  # frameworks reserve far more address space than they use
    grace_seconds: float = 5.0  # added to every deadline: process and pipe overhead
    pids: int = PIDS_MAX
    gpu_memory_mb: int = 0  # with --device cuda: the framework's own cap (0: none)


@dataclass(frozen=True)
class Handle:
    """A value that stayed in the worker (a trained model, say)."""

    id: int
    type: str


@dataclass(frozen=True)
class Make:
    """An argument the worker builds with its own harness code: Make(inside.rl.make_env, seed)."""

    factory: str
    args: tuple = ()

    def __init__(self, factory, *args):
        object.__setattr__(self, "factory", inside_ref(factory))
        object.__setattr__(self, "args", args)


def inside_ref(fn) -> str:
    """How the worker names a function of bench/inside: `inside.rl.make_env` -> "rl:make_env".

    Checks refer to these functions by import, so a rename fails when the check module is imported; only
    the worker package's functions can be named (a string is passed on as it is, for the worker to refuse)."""
    if isinstance(fn, str):
        return fn
    module = getattr(fn, "__module__", "") or ""
    if not module.startswith(f"{__package__}.inside."):
        raise ValueError(f"{fn!r} is not a function of the worker package bench/inside")
    return f"{module.rsplit('.', 1)[1]}:{fn.__name__}"


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


@functools.lru_cache(maxsize=1)
def default_isolation() -> Isolation:
    """The layer a Worker made without one uses: the sandbox wherever it can start."""
    return sandbox.resolve("auto")


class Worker:
    """A running submission. Use as a context manager, or call close()."""

    def __init__(self, label: str, limits: Limits, threads: int = 1, device: str = "cpu", env: dict | None = None,
                 isolation: Isolation | None = None, hide: tuple[Path, ...] = ()):
        self.label = label
        self.device = device  # what budget.device tells the submission
        self.limits = limits
        self.isolation = isolation or default_isolation()
        self.sandboxed = self.isolation.layer == "sandbox"
        self.stopped: errors.SubmissionError | None = None  # why the worker is gone, once it is
        self.peak_rss = 0
        self.overhead_seconds = 0.0  # time calls spent outside the student's code, as seen from here
        self._worker_seconds = 0.0
        self.locate = lambda lineno: f"line {lineno}"  # maps a line of the imported file to what the student wrote
        self.relabel = lambda text: text  # names the imported file as the student knows it, in any text
        self._staged: dict[int, tuple[np.ndarray, str]] = {}  # id(array) -> (array, file): stage each input once
        self._next_id = 0
        self._system_ooms_at_start = host.system_oom_kills()
        self._cpu_in_requests = 0.0
        self.uid = sandbox.next_uid() if self.sandboxed and self.isolation.root else None
        # An unpredictable private folder: nothing can be planted under its name beforehand.
        self.workdir = Path(tempfile.mkdtemp(prefix="labmark-"))
        (self.workdir / "in").mkdir(mode=0o755)
        if not self.sandboxed:
            (self.workdir / "out").mkdir(mode=0o700)
            (self.workdir / "scratch").mkdir(mode=0o700)
        self.visible = sandbox.INSIDE if self.sandboxed else self.workdir  # the workdir as the worker sees it
        self.results = self.workdir / "out"  # where the parent reads results (in a sandbox: its own tmpfs)
        self.cgroup, self.cgroup_why = (Cgroup.create(f"labmark-{uuid.uuid4().hex[:12]}", limits.memory_mb * MiB,
                                                      limits.pids, cpus=threads) if os.geteuid() == 0
                                        else (None, "the grader is not root"))
        self.netwatch = NetWatch() if self.sandboxed else None
        self.netwatch_why = "not sandboxed: attempts as the worker reports them" if not self.sandboxed else ""
        self._req_r, self._req_w = os.pipe()
        self._resp_r, self._resp_w = os.pipe()
        started = time.monotonic()
        try:
            self.proc = self._spawn(threads, device, env, hide)
        except BaseException:
            self._cleanup()
            raise
        os.close(self._req_r)
        os.close(self._resp_w)
        self.output = CapturedOutput(self.proc.stdout)
        self.start_seconds = time.monotonic() - started

    def _spawn(self, threads: int, device: str, extra: dict | None, hide: tuple[Path, ...]) -> subprocess.Popen:
        lib_root = sandbox.library()
        # With a cgroup the kernel limits memory; an address-space rlimit would only break frameworks.
        address_space = 0 if self.cgroup else (self.limits.memory_mb + self.limits.address_space_slack_mb) * MiB
        argv = [sys.executable, "-m", "labmark_worker", str(self.visible), str(self._req_r), str(self._resp_w),
                str(address_space), str(self.limits.result_mb * MiB)]
        home = str(self.visible / "scratch")
        lib = str(sandbox.INSIDE / "lib") if self.sandboxed else str(lib_root / "lib")
        env = sandbox.environment(self._worker_variables(threads, device, home) | (extra or {}), home, lib)
        spawner = sandbox.Spawner(lib_root, self.isolation)
        procs = self.cgroup.procs_files() if self.cgroup else []
        full, fds, info_fd = spawner.command(argv, self.workdir, self.uid or 0, env, device, procs,
                                             sandbox.masks_for([REPO_ROOT, *hide]))
        try:
            proc = subprocess.Popen(
                full, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                pass_fds=(self._req_r, self._resp_w, *fds), cwd=self.workdir if self.sandboxed else self.workdir / "scratch",
                env=env if not self.sandboxed else {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin"}, start_new_session=True)
        finally:
            for fd in fds:
                os.close(fd)
        if info_fd is not None:
            self.sandbox_pid = _read_child_pid(info_fd, timeout=30)
            self.results = Path(f"/proc/{self.sandbox_pid}/root") / sandbox.INSIDE.relative_to("/") / "out"
            if self.sandbox_pid is None:
                proc.kill()
                raise RuntimeError(f"the sandbox did not start (bubblewrap: {proc.stdout.read1(4000).decode(errors='replace')})")
            why = self.netwatch.start(self.sandbox_pid)
            self.netwatch_why = why or "watched by the grader"
            if why:
                self.netwatch = None
        return proc

    def _worker_variables(self, threads: int, device: str, home: str) -> dict:
        env = dict(
            PYTHONUNBUFFERED="1",
            PYTHONDONTWRITEBYTECODE="1",
            MPLBACKEND="Agg",
            MPLCONFIGDIR=f"{home}/.matplotlib",
            TF_CPP_MIN_LOG_LEVEL="2",
            OMP_NUM_THREADS=str(threads), MKL_NUM_THREADS=str(threads), OPENBLAS_NUM_THREADS=str(threads),
            TF_NUM_INTRAOP_THREADS=str(threads), TF_NUM_INTEROP_THREADS="1",
            OMP_WAIT_POLICY="PASSIVE",  # idle OpenMP threads sleep instead of spinning: 10-40x faster on a busy machine
            SPARK_LOCAL_IP="127.0.0.1",
            JAVA_TOOL_OPTIONS="-XX:-UseContainerSupport",  # the JVM's cgroup probe crashes in a sandbox
        )
        if self.sandboxed:
            env["LABMARK_SANDBOXED"] = "1"
        if device == "cpu":
            env["CUDA_VISIBLE_DEVICES"] = ""
        elif self.limits.gpu_memory_mb:
            env["LABMARK_GPU_MEMORY_MB"] = str(self.limits.gpu_memory_mb)
        return env

    def describe_isolation(self) -> dict:
        """What isolated this worker, for the record."""
        out = {"isolation": self.isolation.layer, "uid": self.uid if self.uid is not None else
               ("65534 in a user namespace" if self.sandboxed else os.geteuid()),
               "cgroup": f"v{self.cgroup.version}" if self.cgroup else f"none ({self.cgroup_why})",
               "limits": self.cgroup.limits if self.cgroup else {},
               "network_attempts": self.netwatch_why, "start_seconds": round(self.start_seconds, 4)}
        return out

    # --- time and memory ----------------------------------------------------------

    def cpu_seconds(self) -> float:
        """CPU time the worker has used so far, all its processes and threads, import included."""
        if self.cgroup is not None:
            return self.cgroup.cpu_seconds()
        return host.cpu_seconds(host.process_tree(self.proc.pid))

    def cpu_outside_requests(self) -> float:
        """CPU time spent while no request was running: work a background thread did between calls."""
        return max(0.0, self.cpu_seconds() - self._cpu_in_requests)

    # --- requests -------------------------------------------------------------

    def load(self, path: Path, module: str, functions: list[str], timeout: float, preload: tuple[str, ...] = (),
             shown: str | None = None) -> dict:
        """Import the module at `path`: a file staged under this worker's input folder (any other file is
        copied there first, so the worker never needs to see anything outside it). The libraries in `preload`
        are imported first, within the same timeout (those not installed are left to the module to ask for).
        `shown`: the file's name in messages (a notebook's name, not that of its staged graded code)."""
        path = Path(path)
        if self.workdir not in path.parents:
            src = self.workdir / "in" / "src"
            src.mkdir(mode=0o755, exist_ok=True)
            self._write_input(src / path.name, lambda f: f.write(path.read_bytes()))
            path = src / path.name
        visible = self.visible / path.relative_to(self.workdir)
        value = self._request({"op": "load", "path": str(visible), "module": module, "functions": functions,
                               "preload": list(preload)},
                              timeout, what=f"importing {shown or path.name}")
        return replies.checked_load(value, functions, shown or path.name)

    def call(self, fn: str, *args, timeout: float, model: bool | str = False):
        """Call fn(*args) in the worker. Returns (value, seconds measured by the parent).

        model: the result is a trained model, kept in the worker as ONE Handle whatever its type (a tuple,
        list or dict of fitted parts included); what comes back depends on what the interface says the
        function returns (see bench/inside/loop.py trained_result):
          True or "model"  "model": the Handle (a `Trained(model, history)` gives its model);
          "history"        "model, or (model, history)": Trained(Handle, history or None);
          "pair"           "(model, extra)": (Handle, extra), or the Handle alone when it returned no pair."""
        returns = "model" if model is True else model
        if returns and returns not in ("model", "history", "pair"):
            raise ValueError(f"model={model!r}: expected True, 'model', 'history' or 'pair'")
        rid = self._next_id + 1
        encoded = [self._encode_arg(a, f"a{rid}_{i}") for i, a in enumerate(args)]
        started = time.perf_counter()
        value = self._request({"op": "call", "fn": fn, "args": encoded, "model": returns or False}, timeout,
                              what=f"{fn}()")
        seconds = time.perf_counter() - started
        self.overhead_seconds += max(seconds - self._worker_seconds, 0.0)  # staging, pipes, encoding
        return (self._trained(value, returns, fn) if returns else value), seconds

    @staticmethod
    def _trained(value, returns: str, fn: str):
        """A model call's answer in the shape `call` promises, or BadOutput (the worker only ever sends a
        handle, or a handle and data)."""
        if isinstance(value, Handle):
            handle, extra, pair = value, None, False
        elif isinstance(value, tuple) and len(value) == 2 and isinstance(value[0], Handle):
            (handle, extra), pair = value, True
        else:
            raise errors.BadOutput(f"the worker's answer for the model {fn}() returned is malformed: the "
                                   "submission may have replaced the harness's code in its worker")
        if returns == "model":
            return handle
        if returns == "history":
            return Trained(handle, extra)
        return (handle, extra) if pair else handle

    def harness(self, fn, *args, timeout: float):
        """Run harness code `fn(student_module, *args)` inside the worker (e.g. a loop over the student's
        function that would cost a round trip per step); `fn` is a function of bench/inside. Returns (value,
        seconds measured here)."""
        fn = inside_ref(fn)
        rid = self._next_id + 1
        encoded = [self._encode_arg(a, f"a{rid}_{i}") for i, a in enumerate(args)]
        started = time.perf_counter()
        value = self._request({"op": "harness", "fn": fn, "args": encoded}, timeout, what=f"{fn.split(':')[-1]}()")
        return value, time.perf_counter() - started

    def describe(self, handle: Handle, timeout: float = 30) -> dict:
        value = self._request({"op": "describe", "handle": handle.id}, timeout, what="inspecting the model")
        if not isinstance(value, dict):
            raise errors.BadOutput(f"the worker's description of the model is a {type(value).__name__}, not a "
                                   "mapping: the submission may have replaced the harness's code in its worker")
        layers, params, history = value.get("layers"), value.get("parameters"), value.get("history")
        return {"framework": clean_text(str(value.get("framework", "unknown")))[:20],
                "type": clean_text(str(value.get("type", "?")))[:200],
                "layers": [clean_text(str(x))[:100] for x in layers[:500]] if isinstance(layers, list) else [],
                "parameters": params if type(params) is int else None,
                "history": history if isinstance(history, dict) else None}

    def stats(self, timeout: float = 10) -> dict:
        """The worker's own account of itself (GPU memory peaks): evidence, never a basis for marks."""
        try:
            value = self._request({"op": "stats"}, timeout, what="reporting its statistics")
        except errors.SubmissionError:
            return {}
        return value if isinstance(value, dict) else {}

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
                self._write_input(self.workdir / "in" / f"{name}.npz", lambda f: np.savez(f, **columns))
                self._staged[id(value)] = (value, f"{name}.npz")
            return {"frame": self._staged[id(value)][1], "columns": [str(c) for c in value.columns]}
        if isinstance(value, np.ndarray):
            if id(value) not in self._staged:  # keeping the array alive keeps its id unique
                self._write_input(self.workdir / "in" / f"{name}.npy", lambda f: np.save(f, value, allow_pickle=False))
                self._staged[id(value)] = (value, f"{name}.npy")
            return {"array": self._staged[id(value)][1]}
        return {"json": value}

    def _write_input(self, path: Path, write) -> None:
        """Create a new input file; never follow or reuse what is already there under that name."""
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_NONBLOCK, 0o644)
        except OSError as exc:  # only the worker (process layer: same user) could have put something there
            self._fail(errors.Tampered(
                f"The harness could not stage {path.name} for the submission ({exc.strerror}): something "
                "replaced or planted files in the worker's input folder. Expected: submissions read their "
                "arguments and write nothing outside their own working folder."))
        with os.fdopen(fd, "wb") as f:
            write(f)

    def _request(self, req: dict, timeout: float, what: str):
        try:
            return self._exchange(req, timeout, what)
        except errors.SubmissionError as exc:
            self._relabel(exc)
            raise

    def _relabel(self, exc: errors.SubmissionError) -> None:
        """Every text of the error names the submission's file as the student knows it (a notebook's cell and line,
        never the staged graded code's file and lines). Idempotent: a stopped worker's error is raised again."""
        exc.message = self.relabel(exc.message)
        exc.args = (exc.message,)
        exc.detail = self.relabel(exc.detail)
        exc.evidence = {k: self.relabel(v) if isinstance(v, str) else v for k, v in exc.evidence.items()}

    def _exchange(self, req: dict, timeout: float, what: str):
        if self.stopped is not None:
            raise self.stopped
        self._next_id += 1
        req["id"] = self._next_id
        seen = len(self.netwatch.attempts) if self.netwatch else 0
        cpu_before = self.cpu_seconds()
        try:
            try:
                os.write(self._req_w, (json.dumps(req) + "\n").encode())
            except (BrokenPipeError, OSError):
                self._fail(self._exit_error(what))
            grace = max(self.limits.grace_seconds, 0.1 * timeout)
            raw = self._await_reply(timeout + grace, timeout, grace, what)
        finally:
            self._cpu_in_requests += max(0.0, self.cpu_seconds() - cpu_before)
            if self.netwatch:
                self.netwatch.sync()
        watched = [a["to"] for a in self.netwatch.attempts[seen:]] if self.netwatch else []
        try:
            reply = replies.checked(raw, req["id"])
        except errors.SubmissionError as exc:
            self._fail(exc)
        self._worker_seconds = reply["seconds"]  # the worker's own timing: only used to size the overhead
        if watched or reply["network_attempts"]:  # the parent's own watch, then what the worker admits to
            err = reply.get("error") or {}
            raise self._network_error(watched or reply["network_attempts"], reply["network_context"], what,
                                      err.get("lineno"), err.get("traceback", ""), err.get("message", ""))
        if not reply["ok"]:
            raise self._translate(reply["error"], what)
        try:
            return self._decode(reply["result"], what)
        except errors.SubmissionError:
            raise
        except (TypeError, ValueError, KeyError, AttributeError, IndexError, RecursionError, OSError) as exc:
            raise errors.BadOutput(f"the worker's answer while {what} is malformed ({type(exc).__name__}): the "
                                   "submission may have replaced the harness's code in its worker") from None

    def _await_reply(self, kill_after: float, budget: float, grace: float, what: str):
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
                    except (ValueError, RecursionError):
                        self._fail(errors.BadOutput(f"the worker's answer while {what} was not valid JSON: the "
                                                    "submission may be writing to the harness's private channel"))
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
                rss = host.resident_bytes(host.process_tree(self.proc.pid))
                self.peak_rss = max(self.peak_rss, rss)
                if rss > self.limits.memory_mb * MiB and self.cgroup is None:  # with a cgroup the kernel enforces it
                    self._fail(self._memory_error(what, rss))
                next_memory_check = now + 0.25
            if now > deadline:
                self._fail(errors.Timeout(
                    f"{what} did not finish within its budget of {budget:.0f} s (+{grace:.0f} s "
                    "grace) and was stopped. Likely causes: an endless loop, a sleep, waiting for input, or "
                    "training that ignores budget.remaining(); stop training when the budget runs low.",
                    budget_seconds=budget))

    def _memory_error(self, what: str, used: int, by_kernel: bool = False) -> errors.SubmissionError:
        how = "the kernel stopped it (its cgroup's out-of-memory kill)" if by_kernel else "it was stopped"
        return errors.MemoryLimit(
            f"The submission used {used / MiB / 1024:.1f} GiB of memory while {what}, over its limit of "
            f"{self.limits.memory_mb / 1024:.1f} GiB, and {how}. Likely cause: a very large array, data copied "
            "per epoch, or a batch size too large; process data in batches.", peak_mb=used // MiB)

    def _decode(self, enc, what: str):
        if "json" in enc:
            return enc["json"]
        if "array" in enc:
            return self._load_array(enc["array"], what)
        if "handle" in enc:
            return Handle(enc["handle"], enc.get("type", "?"))
        if "tuple" in enc:
            return tuple(self._decode(v, what) for v in enc["tuple"])
        if "list" in enc:
            return [self._decode(v, what) for v in enc["list"]]
        return {k: self._decode(v, what) for k, v in enc["dict"].items()}

    def _load_array(self, name: str, what: str) -> np.ndarray:
        if not _RESULT_NAME.match(name):
            raise errors.BadOutput(f"the worker named an unexpected result file while {what}")
        path = self.results / name
        try:  # never follow a link, never block on a FIFO the worker planted under a result's name
            fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
        except OSError as exc:
            raise errors.BadOutput(f"the result of {what} could not be read back ({exc.strerror})") from None
        with os.fdopen(fd, "rb") as f:
            info = os.fstat(f.fileno())
            if not stat.S_ISREG(info.st_mode):
                raise errors.BadOutput(f"the result of {what} is not a regular file: the submission replaced it")
            if info.st_size > self.limits.result_mb * MiB:
                raise errors.BadOutput(f"the result of {what} is {info.st_size / MiB:.0f} MB, over the "
                                       f"{self.limits.result_mb} MB cap for one returned array")
            try:
                return np.load(f, allow_pickle=False)
            except (ValueError, EOFError, OSError) as exc:
                raise errors.BadOutput(f"the result of {what} is not a plain numeric array ({exc})") from None
            finally:
                _remove(path)  # read once: the worker's results folder holds only what is still to be read

    # --- failures ---------------------------------------------------------------

    def _translate(self, err: dict, what: str) -> errors.SubmissionError:
        etype, message = err["type"], err["message"]
        detail = err["traceback"]
        line = f" ({self.locate(err['lineno'])})" if err["lineno"] else ""
        if etype == "SystemExit":
            return errors.Exited(
                f"The submission called sys.exit({err['code']}) while {what}{line}. Expected: the function "
                "returns its result. Remove exit()/sys.exit()/quit() from graded code.", detail)
        if etype == "NetworkBlockedError":
            return self._network_error([message.rsplit("reach ", 1)[-1].rstrip(")")], {}, what, err["lineno"], detail,
                                       message)
        if etype == "LookupError" and (resource := offline.nltk_resource(message)):
            return errors.MissingData(offline.nltk_message(resource, f"{what}{line}"), detail, resource=resource)
        if etype == "MemoryError":
            return errors.MemoryLimit(
                f"The submission ran out of memory while {what}{line} (limit {self.limits.memory_mb / 1024:.1f} "
                "GiB). Likely cause: a very large allocation; process data in batches.", detail)
        if self.device == "cpu" and _NO_GPU.search(message):
            return errors.Raised(
                f"{what} raised {etype}{line}: {message[:300]}. This run grades on the CPU (budget.device is "
                "'cpu'), and the code asked for a GPU. Expected: the device the harness passes. Likely cause: a "
                "hard-coded torch.device('cuda'), .cuda() or .to('cuda'). Fix: use torch.device(budget.device) "
                "when training, and move the model to the CPU (or to the device its parameters are on) in the "
                "functions that take it.", detail, exception=etype, lineno=err["lineno"], error_message=message,
                module=err["module"], filename=err["filename"], cause="gpu_requested_on_cpu")
        return errors.Raised(f"{what} raised {etype}{line}: {message}", detail, exception=etype,
                             lineno=err["lineno"], error_message=message, module=err["module"],
                             filename=err["filename"])

    def _network_error(self, attempts: list[str], context: dict, what: str, lineno: int | None, detail: str,
                       message: str) -> errors.SubmissionError:
        """`context`: the worker's note of the first attempt ({"lineno", "by"}); `lineno`, `detail`, `message`: of
        the error the request ended with, if any. All of it is the worker's word: it only shapes the message."""
        lineno = lineno or context.get("lineno")
        line = f" ({self.locate(lineno)})" if lineno else ""
        by = context.get("by")
        through = f" through {by}" if by else ""
        reached = f"The submission tried to reach {clean_text(str(attempts[0]))[:200]}{through} while {what}{line}"
        hosts = [clean_text(str(a))[:200] for a in attempts[:5]]
        if by == "nltk" or offline.nltk_resource(message) or "nltk.download" in detail:
            return errors.NetworkBlocked(f"{reached}. " + offline.nltk_message(offline.nltk_resource(message), "It"),
                                         detail, hosts=hosts)
        return errors.NetworkBlocked(
            f"{reached}: there is no network while grading. Expected: use the data the harness passes to your "
            "functions (x_train, y_train, series...). Likely cause: a dataset download such as "
            "tf.keras.datasets.mnist.load_data() or torchvision.datasets.MNIST(download=True) in graded code; move "
            "it to an ungraded cell.", detail, hosts=hosts)

    def _exit_error(self, what: str) -> Exception:
        system_ooms = host.system_oom_kills()
        try:
            code = self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            code = None
        if self.cgroup is not None and self.cgroup.oom_kills():
            return self._memory_error(what, max(self.cgroup.memory_peak_bytes(), self.peak_rss), by_kernel=True)
        output = self.output.text()
        if code == 125 and self.cgroup is not None:
            return RuntimeError(f"the worker could not join its cgroup: {output[-500:]}")
        if code is not None and code < 0 or (self.sandboxed and code is not None and code > 128):
            signo = -code if code < 0 else code - 128  # bubblewrap passes its child's signal on as 128 + n
            name = signal.Signals(signo).name if signo in signal.Signals._value2member_map_ else str(signo)
            if signo == signal.SIGKILL and system_ooms > self._system_ooms_at_start:
                return WorkerLost(f"The worker was killed (SIGKILL) while {what} and the system's out-of-memory "
                                  "killer ran meanwhile: the machine ran out of memory. This is not a problem "
                                  "with the submission; grade it again on a machine with more free memory.")
            if signo == signal.SIGKILL:
                cause = ("not by the harness, and not for memory (no out-of-memory kill was recorded): "
                         "something in the submission's own processes sent it")
            else:
                cause = "a crash in native code (a framework, or a segfault) or a signal the submission sent itself"
            return errors.Exited(f"The worker died from signal {name} while {what}: {cause}.", output)
        return errors.Exited(
            f"The worker process ended (exit code {code}) while {what}, before returning a result. Expected: the "
            "function returns. Likely cause: os._exit(), exit() in a thread, or a library that ends the process.",
            output)

    def _fail(self, error: Exception):
        """Stop the worker for good and raise `error` (later requests re-raise it)."""
        self.kill()
        if isinstance(error, errors.SubmissionError):
            if not error.detail:
                error.detail = self.output.text()
            self.stopped = error
        raise error

    def kill(self) -> None:
        """SIGKILL everything the worker started: its cgroup, its process tree and its process group."""
        if self.cgroup is not None:
            self.cgroup.kill()
        if self.proc.returncode is None:  # not reaped yet, so its pid still names our tree
            for pid in host.process_tree(self.proc.pid):
                try:
                    os.kill(pid, signal.SIGKILL)
                except (ProcessLookupError, PermissionError):
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
        self._cleanup()

    def _cleanup(self) -> None:
        if self.netwatch is not None:
            self.netwatch.stop()
        if self.cgroup is not None:
            self.cgroup.remove()
        shutil.rmtree(self.workdir, ignore_errors=True)

    def __enter__(self) -> Worker:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class WorkerLost(RuntimeError):
    """The worker was killed by something outside it (the machine's OOM killer): not the submission's fault."""


def _read_child_pid(fd: int, timeout: float) -> int | None:
    """The sandboxed process's pid, from bubblewrap's --info-fd JSON."""
    deadline = time.monotonic() + timeout
    buf = b""
    try:
        while time.monotonic() < deadline:
            readable, _, _ = select.select([fd], [], [], 0.1)
            if not readable:
                continue
            chunk = os.read(fd, 4096)
            buf += chunk
            try:
                pid = json.loads(buf).get("child-pid")
                return pid if type(pid) is int else None
            except ValueError:
                if not chunk:
                    return None
    finally:
        os.close(fd)
    return None


def _remove(path: Path) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


