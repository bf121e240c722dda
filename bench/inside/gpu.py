"""Cap a worker's GPU memory at its experiment's budget, whichever framework the student imports.

The parent sets LABMARK_GPU_MEMORY_MB when the worker runs with --device cuda.
Importing torch or TensorFlow here just to set a cap would cost every worker
seconds, so the cap is applied the moment the student's code (or a harness
helper) first imports the framework: PyTorch's per-process memory fraction,
TensorFlow's logical-device memory limit. The cap is what an honest
submission gets; the peak each framework saw is reported back as evidence.
"""

from __future__ import annotations

import importlib.abc
import os
import sys

ENV = "LABMARK_GPU_MEMORY_MB"
applied: dict[str, str] = {}  # framework -> what was done (or why not), reported to the parent


def _cap_torch(module, limit_mb: int) -> None:
    if not module.cuda.is_available():
        applied["torch"] = "no CUDA device visible"
        return
    total = module.cuda.get_device_properties(0).total_memory
    fraction = min(1.0, limit_mb * (1 << 20) / total)
    module.cuda.set_per_process_memory_fraction(fraction, 0)
    applied["torch"] = f"memory fraction {fraction:.4f} of {total >> 20} MiB"


def _cap_tensorflow(module, limit_mb: int) -> None:
    gpus = module.config.list_physical_devices("GPU")
    if not gpus:
        applied["tensorflow"] = "no GPU visible"
        return
    module.config.set_logical_device_configuration(
        gpus[0], [module.config.LogicalDeviceConfiguration(memory_limit=limit_mb)])
    applied["tensorflow"] = f"logical device memory_limit {limit_mb} MiB"


_CAPS = {"torch": _cap_torch, "tensorflow": _cap_tensorflow}


class _CapOnImport(importlib.abc.MetaPathFinder):
    """Wraps the loader of torch / tensorflow so the cap runs right after the real import."""

    def __init__(self, limit_mb: int):
        self.limit_mb = limit_mb

    def find_spec(self, name, path=None, target=None):
        if name not in _CAPS or name in applied:
            return None
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(name, path, target)
            if spec is not None and spec.loader is not None:
                spec.loader = _Capped(spec.loader, name, self.limit_mb)
                return spec
        return None


class _Capped(importlib.abc.Loader):
    def __init__(self, loader, name: str, limit_mb: int):
        self.loader, self.name, self.limit_mb = loader, name, limit_mb

    def __getattr__(self, name):  # everything else (resource readers, get_code, ...) is the real loader's
        return getattr(self.loader, name)

    def create_module(self, spec):
        return self.loader.create_module(spec)

    def exec_module(self, module):
        self.loader.exec_module(module)
        try:
            _CAPS[self.name](module, self.limit_mb)
        except Exception as exc:  # noqa: BLE001 - reported, the parent decides what it means
            applied[self.name] = f"could not cap: {type(exc).__name__}: {exc}"


def cap_memory_from_environment() -> None:
    value = os.environ.get(ENV)
    if value and value.isdigit():
        sys.meta_path.insert(0, _CapOnImport(int(value)))


def peak_memory() -> dict:
    """Peak GPU memory each imported framework saw, in MiB (evidence, reported by the worker)."""
    out: dict = {"caps": dict(applied)}
    torch = sys.modules.get("torch")
    if torch is not None and torch.cuda.is_available():
        out["torch_peak_mb"] = torch.cuda.max_memory_allocated(0) >> 20
    tf = sys.modules.get("tensorflow")
    if tf is not None:
        try:
            out["tensorflow_peak_mb"] = tf.config.experimental.get_memory_info("GPU:0")["peak"] >> 20
        except Exception:  # noqa: BLE001 - no GPU, or an older TensorFlow
            pass
    return out
