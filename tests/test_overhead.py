"""The harness's own cost per task, measured with pytest-benchmark.

These bound what the harness adds to a student's training time: starting a
worker and importing a trivial submission, and one call's round trip with a
staged array and a returned array, under each isolation layer (the sandbox
adds bubblewrap, a cgroup and the network watch to the start).
"""

from __future__ import annotations

import numpy as np
import pytest

from bench.isolation import sandbox
from bench.worker import Limits, Worker

from conftest import LAYERS


SUBMISSION = "import numpy as np\ndef double(x):\n    return x * 2\n"


@pytest.fixture
def trivial(tmp_path):
    path = tmp_path / "trivial.py"
    path.write_text(SUBMISSION)
    return path


@pytest.mark.parametrize("layer", LAYERS)
def test_worker_start_and_import(benchmark, trivial, layer):
    isolation = sandbox.resolve(layer)

    def start():
        with Worker("bench", Limits(), isolation=isolation) as w:
            w.load(trivial, "trivial", ["double"], timeout=30)

    benchmark.pedantic(start, rounds=3, iterations=1)
    # A python process importing numpy: well under the seconds a training budget is counted in.
    assert benchmark.stats.stats.median < 3.0


@pytest.mark.parametrize("layer", LAYERS)
def test_call_round_trip(benchmark, trivial, layer):
    x = np.random.default_rng(0).random((1000, 28, 28), dtype=np.float32)  # a batch of 1,000 images
    with Worker("bench", Limits(), isolation=sandbox.resolve(layer)) as w:
        w.load(trivial, "trivial", ["double"], timeout=30)
        value, _ = w.call("double", x, timeout=30)
        np.testing.assert_array_equal(value, x * 2)
        benchmark.pedantic(lambda: w.call("double", x, timeout=30), rounds=10, iterations=1)
    assert benchmark.stats.stats.median < 0.5
