"""Workers on a GPU: the device reaches a sandboxed worker, and each worker's GPU memory is capped.

These need an NVIDIA GPU with PyTorch's CUDA build; everywhere else they skip
with the reason (the CPU suite is complete without them).
"""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

from bench import errors
from bench.isolation import sandbox
from bench.worker import Limits, Worker

from conftest import LAYERS

pytestmark = pytest.mark.skipif(shutil.which("nvidia-smi") is None and not Path("/dev/nvidia0").exists(),
                                reason="no NVIDIA GPU on this machine")


SOURCE = """
import torch

def probe():
    return {"available": torch.cuda.is_available(), "name": torch.cuda.get_device_name(0)}

def allocate(mb):
    x = torch.empty(int(mb) * 2**20, dtype=torch.uint8, device="cuda")
    return int(x.numel() >> 20)

def stats():
    return int(torch.cuda.max_memory_allocated(0) >> 20)
"""


@pytest.fixture(params=LAYERS)
def gpu_worker(request, tmp_path):
    path = tmp_path / "gpu_student.py"
    path.write_text(textwrap.dedent(SOURCE))
    w = Worker("gpu", Limits(gpu_memory_mb=1024), device="cuda", isolation=sandbox.resolve(request.param))
    w.load(path, "gpu_student", [], timeout=120)
    yield w
    w.close()


def test_the_gpu_reaches_the_worker(gpu_worker):
    info, _ = gpu_worker.call("probe", timeout=120)
    assert info["available"] and info["name"]


def test_gpu_memory_is_capped_at_the_budget(gpu_worker):
    assert gpu_worker.call("allocate", 256, timeout=120)[0] == 256
    with pytest.raises(errors.Raised, match="OutOfMemoryError|out of memory"):
        gpu_worker.call("allocate", 4096, timeout=120)
    stats = gpu_worker.stats()
    assert "torch" in stats["gpu"]["caps"] and stats["gpu"]["torch_peak_mb"] >= 256
