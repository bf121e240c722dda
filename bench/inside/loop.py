"""The worker's loop: the only process that imports a submission.

Started by `bench.worker.Worker` as `python -m labmark_worker WORKDIR REQ_FD
RESP_FD MEMORY_BYTES FILE_BYTES` (this package, copied where the worker can
read it; in the sandbox nothing else of the harness exists). It reads one JSON
request per line from REQ_FD and answers one JSON line per request on RESP_FD;
arrays travel as .npy files in WORKDIR/in (read-only here) and WORKDIR/out.
The student's own prints go to stdout/stderr, which the parent captures and
caps separately, so they can never corrupt the protocol.

Nothing this process says is trusted: the student's code runs in this very
process and could forge any answer, so the parent validates every one.
Values that are not plain data (a trained model, say) stay here and are
referred to by a numbered handle.
"""

from __future__ import annotations

import importlib.util
import inspect
import json
import os
import sys
import time
import traceback
from pathlib import Path

try:
    import resource
except ImportError:  # Windows: no rlimits (labmark asks for WSL there)
    resource = None

import numpy as np

from reference.spec import Budget, Trained

from . import gpu, network

MAX_DEPTH = 4
MAX_JSON_ITEMS = 100_000


# --- encoding results -------------------------------------------------------

class Encoder:
    """Turns return values into JSON + .npy files; everything else becomes a handle."""

    def __init__(self, outdir: Path):
        self.outdir = outdir
        self.handles: dict[int, object] = {}
        self._next_handle = 1

    def keep(self, obj) -> dict:
        k = self._next_handle
        self._next_handle += 1
        self.handles[k] = obj
        return {"handle": k, "type": f"{type(obj).__module__}.{type(obj).__qualname__}"}

    def encode(self, obj, prefix: str, depth: int = 0):
        if obj is None or isinstance(obj, (bool, int, float, str)) and not isinstance(obj, np.generic):
            return {"json": obj}
        as_array = _as_numeric_array(obj)
        if as_array is not None:
            if as_array.ndim == 0:
                return {"json": as_array.item()}
            name = f"{prefix}.npy"
            np.save(self.outdir / name, as_array, allow_pickle=False)
            return {"array": name}
        if depth < MAX_DEPTH:
            history = getattr(obj, "history", None)
            if isinstance(history, dict) and hasattr(obj, "epoch"):  # a keras History
                return {"dict": {str(k): self.encode(v, f"{prefix}_{i}", depth + 1) for i, (k, v) in enumerate(history.items())}}
            if isinstance(obj, tuple):
                return {"tuple": [self.encode(v, f"{prefix}_{i}", depth + 1) for i, v in enumerate(obj)]}
            if isinstance(obj, list) and len(obj) <= MAX_JSON_ITEMS:
                return {"list": [self.encode(v, f"{prefix}_{i}", depth + 1) for i, v in enumerate(obj)]}
            if isinstance(obj, dict) and len(obj) <= MAX_JSON_ITEMS and all(isinstance(k, str) for k in obj):
                return {"dict": {k: self.encode(v, f"{prefix}_{i}", depth + 1) for i, (k, v) in enumerate(obj.items())}}
        return self.keep(obj)

    def decode(self, arg, workdir: Path, budget_started: float):
        if "array" in arg:
            return np.load(workdir / "in" / arg["array"], allow_pickle=False)
        if "json" in arg:
            return arg["json"]
        if "frame" in arg:
            import pandas as pd

            with np.load(workdir / "in" / arg["frame"], allow_pickle=False) as z:
                return pd.DataFrame({name: z[f"c{i}"] for i, name in enumerate(arg["columns"])})
        if "handle" in arg:
            return self.handles[arg["handle"]]
        if "budget" in arg:
            return Budget(**arg["budget"], started=budget_started)
        if "make" in arg:  # an object the harness builds here, e.g. an environment or a random generator
            return harness_function(arg["make"])(*[self.decode(a, workdir, budget_started) for a in arg["args"]])
        raise ValueError(f"unknown argument encoding {arg!r}")


# --- what a training function returned -----------------------------------------------

MODEL_RETURNS = ("model", "history", "pair")


def trained_result(encoder: Encoder, value, returns: str, prefix: str) -> dict:
    """A training call's result: the model stays here as ONE handle whatever its type (a tuple, list or
    dict of fitted parts is one model, exactly as the student's predict will receive it); only what the
    interface names beside it comes back as data.

    returns="model": the value is the model, unless it is a `Trained(model, history)`.
    returns="history": as "model", and a pair (model, history) where the second item is a training history
    (see `is_history`), the interface's older "(model, history)".
    returns="pair": the interface's "(model, extra)": a 2-tuple's first item is the model, the second data.
    Either way the answer is a handle, or a tuple [handle, data]."""
    named = isinstance(value, tuple) and getattr(value, "_fields", None) == Trained._fields  # Trained, or a copy
    pair = isinstance(value, tuple) and len(value) == 2 and (
        returns == "pair" or (returns == "history" and is_history(value[1])))
    if not (named or pair):
        return encoder.keep(value)
    return {"tuple": [encoder.keep(value[0]), encoder.encode(value[1], prefix=prefix)]}


def is_history(obj) -> bool:
    """A Keras History, or a dict of named numbers and per-epoch lists of numbers with at least one list:
    {"loss": [0.9, 0.5], "steps": 1200}. A dict holding anything else (a fitted scaler, column names,
    arrays of statistics) is part of a model, never a history."""
    if isinstance(getattr(obj, "history", None), dict) and hasattr(obj, "epoch"):
        return True
    if not isinstance(obj, dict) or not obj or not all(isinstance(k, str) for k in obj):
        return False
    curves = 0
    for v in obj.values():
        if isinstance(v, (list, tuple)):
            if not all(_scalar(e) for e in v[:10_000]):
                return False
            curves += 1
        elif not _scalar(v):
            return False
    return curves > 0


def _scalar(v) -> bool:
    """A number: Python's, numpy's, or a framework's 0-d tensor (a loss appended without .item())."""
    if isinstance(v, (bool, int, float, np.number)):
        return True
    shape = getattr(v, "shape", None)
    return shape is not None and tuple(shape) == () and _as_numeric_array(v) is not None


def _as_numeric_array(obj):
    """A numeric numpy view of arrays and framework tensors; None for anything else."""
    if type(obj).__module__.startswith("torch") and hasattr(obj, "detach"):
        obj = obj.detach().cpu().numpy()
    elif type(obj).__module__.startswith(("tensorflow", "keras")) and hasattr(obj, "numpy"):
        obj = obj.numpy()
    if isinstance(obj, (np.ndarray, np.generic)) and (obj.dtype.kind in "biuf"):
        return np.asarray(obj)
    if isinstance(obj, list) and len(obj) > 64 and all(isinstance(v, (int, float, bool)) for v in obj[:64]):
        try:
            arr = np.asarray(obj)
        except (ValueError, TypeError):
            return None
        return arr if arr.dtype.kind in "biuf" else None
    return None


HARNESS_MODULES = ("helpers", "rl", "spark")  # what the parent may name in a Make or a harness request


def harness_function(ref: str):
    """'rl:make_env' -> that function of this package. Only the harness's own helpers are reachable this way."""
    module, _, name = ref.partition(":")
    if module not in HARNESS_MODULES or not name.isidentifier() or name.startswith("_"):
        raise ValueError(f"not a harness function: {ref!r}")
    return getattr(importlib.import_module(f"{__package__}.{module}"), name)


# --- describing what the submission defines -----------------------------------

def describe_callable(obj) -> dict:
    if obj is None:
        return {"found": False}
    info = {"found": True, "type": type(obj).__name__, "callable": callable(obj)}
    if callable(obj):
        try:
            sig = inspect.signature(obj)
        except (TypeError, ValueError):
            return info
        info["signature"] = str(sig)
        info["params"] = [
            {"name": p.name, "kind": p.kind.name, "default": p.default is not inspect.Parameter.empty}
            for p in sig.parameters.values()
        ]
    return info


def describe_model(obj) -> dict:
    """Layer types of a torch module or keras model, for the architecture checks."""
    layers: list[str] = []
    framework = "unknown"
    params = None
    if hasattr(obj, "modules") and hasattr(obj, "parameters") and type(obj).__module__ != "builtins":
        try:
            layers = [type(m).__name__ for m in obj.modules()]
            params = int(sum(p.numel() for p in obj.parameters()))
            framework = "torch"
        except Exception:  # noqa: BLE001 - a student object that only looks like a module
            layers = []
    if not layers and hasattr(obj, "layers"):
        def walk(m):
            for layer in getattr(m, "layers", []) or []:
                layers.append(type(layer).__name__)
                walk(layer)
                for attr in ("layer", "forward_layer", "backward_layer"):  # Bidirectional, TimeDistributed
                    inner = getattr(layer, attr, None)
                    if inner is not None:
                        layers.append(type(inner).__name__)
        try:
            walk(obj)
            params = int(obj.count_params())
            framework = "keras"
        except Exception:  # noqa: BLE001
            pass
    history = getattr(getattr(obj, "history", None), "history", None)  # keras keeps the last fit's History
    if not isinstance(history, dict):
        history = None
    return {"framework": framework, "history": history, "type": f"{type(obj).__module__}.{type(obj).__qualname__}",
            "layers": layers[:500], "parameters": params}


# --- the loop -----------------------------------------------------------------

def error_payload(exc: BaseException, where: str) -> dict:
    err = {"type": type(exc).__name__, "message": str(exc)[:4000], "where": where,
           "traceback": "".join(traceback.format_exception(exc))[-20000:]}
    if isinstance(exc, SystemExit):
        err["code"] = exc.code if isinstance(exc.code, (int, type(None))) else str(exc.code)
    if isinstance(exc, SyntaxError):
        err.update(message=exc.msg, filename=exc.filename, lineno=exc.lineno, offset=exc.offset,
                   text=(exc.text or "").rstrip())
    if isinstance(exc, ImportError):  # ModuleNotFoundError, or "cannot import name X from Y" (name: Y)
        err["module"] = exc.name
    # Where in the student's file did it happen? The deepest frame in their source.
    tb = None if isinstance(exc, SyntaxError) else exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == SOURCE.get("path"):
            err["lineno"] = tb.tb_lineno
        tb = tb.tb_next
    return err


SOURCE: dict = {}


def forget_the_harness() -> None:
    """Make the harness's own packages unreachable by name, as they are in a sandbox (where their files are
    absent): an editable install of labmark puts an import finder for them in every interpreter."""
    editable = "__editable___labmark"
    sys.meta_path[:] = [f for f in sys.meta_path if not (getattr(f, "__module__", "") or "").startswith(editable)]
    sys.path_hooks[:] = [h for h in sys.path_hooks if "labmark" not in getattr(h, "__module__", "")]
    sys.path[:] = [p for p in sys.path if not (Path(p, "bench", "inside").is_dir() and Path(p, "reference").is_dir())]


def main(argv: list[str]) -> int:
    workdir, req_fd, resp_fd, memory_bytes, file_bytes = Path(argv[0]), int(argv[1]), int(argv[2]), int(argv[3]), int(argv[4])
    limits = {"RLIMIT_AS": memory_bytes, "RLIMIT_FSIZE": file_bytes, "RLIMIT_CORE": 0}
    if memory_bytes <= 0:  # a cgroup limits memory instead (address space is not memory)
        del limits["RLIMIT_AS"]
    for name, value in limits.items():  # where the platform has them (the grader's header says which it lacks)
        if resource is not None and hasattr(resource, name):
            resource.setrlimit(getattr(resource, name), (value, value))
    forget_the_harness()
    network.install_guard(sandboxed=os.environ.get("LABMARK_SANDBOXED") == "1")
    gpu.cap_memory_from_environment()
    try:  # torch's triton must load before TensorFlow, or a notebook that imports both segfaults
        import triton  # noqa: F401
    except ImportError:
        pass
    os.chdir(workdir / "scratch")
    encoder = Encoder(workdir / "out")
    module = None
    requests = os.fdopen(req_fd, "rb", buffering=0)

    def reply(payload: dict) -> None:
        payload["network_attempts"] = network.attempts[:20]
        payload["network_context"] = dict(network.context)
        network.attempts.clear()  # each answer reports only its own request's attempts
        network.context.clear()
        os.write(resp_fd, (json.dumps(payload, default=str) + "\n").encode())

    for line in requests:
        req = json.loads(line)
        op, rid = req["op"], req["id"]
        started = time.monotonic()
        try:
            if op == "load":
                for library in req.get("preload", ()):
                    try:
                        importlib.import_module(library)
                    except Exception:  # not installed or broken here: the submission's own import says so
                        pass
                SOURCE["path"] = network.source_file = req["path"]
                sys.path.insert(0, str(Path(req["path"]).parent))
                spec = importlib.util.spec_from_file_location(req["module"], req["path"])
                module = importlib.util.module_from_spec(spec)
                sys.modules[req["module"]] = module
                spec.loader.exec_module(module)
                defined = sorted(n for n, v in vars(module).items() if callable(v) and not n.startswith("_")
                                 and getattr(v, "__module__", None) == req["module"])
                result = {"json": {"functions": {n: describe_callable(getattr(module, n, None)) for n in req["functions"]},
                                   "defined": defined[:200]}}
            elif op == "call":
                fn = getattr(module, req["fn"])
                args = [encoder.decode(a, workdir, started) for a in req["args"]]
                value = fn(*args)
                returns = req.get("model")
                if returns:  # a trained model: it stays here as one handle (see trained_result)
                    result = trained_result(encoder, value, returns if returns in MODEL_RETURNS else "model",
                                            prefix=f"r{rid}")
                else:
                    result = encoder.encode(value, prefix=f"r{rid}")
            elif op == "harness":  # harness code that drives the student's functions here, in the worker
                args = [encoder.decode(a, workdir, started) for a in req["args"]]
                result = encoder.encode(harness_function(req["fn"])(module, *args), prefix=f"r{rid}")
            elif op == "describe":
                result = {"json": describe_model(encoder.handles[req["handle"]])}
            elif op == "stats":  # evidence for the record, reported by the worker itself
                result = {"json": {"gpu": gpu.peak_memory()}}
            elif op == "release":
                encoder.handles.pop(req["handle"], None)
                result = {"json": None}
            else:
                raise ValueError(f"unknown op {op!r}")
        except BaseException as exc:  # noqa: BLE001 - SystemExit and KeyboardInterrupt are answers too
            reply({"id": rid, "ok": False, "error": error_payload(exc, op), "seconds": time.monotonic() - started})
            continue
        reply({"id": rid, "ok": True, "result": result, "seconds": time.monotonic() - started})
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
