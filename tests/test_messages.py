"""Messages that name the cause: scikit-learn's -1/+1 outlier labels where flags belong (Experiment 6), and
a GPU asked for by hand on a grader that runs on the CPU."""

from __future__ import annotations

import textwrap

import numpy as np
import pytest

from bench import errors
from bench.scoring import outputs
from bench.worker import Limits, Worker


def test_sklearn_outlier_labels_are_named_as_such():
    labels = np.where(np.arange(10) % 5 == 0, -1, 1)  # IsolationForest.predict: -1 outlier, +1 inlier
    with pytest.raises(errors.BadOutput) as raised:
        outputs.mask(labels, 10, "isolation_forest_detector()")
    message = raised.value.message
    assert "-1 for 2 and +1 for 8" in message and "predict(X) == -1" in message
    assert "scores instead of flags" not in message


def test_scores_are_still_told_they_are_scores():
    with pytest.raises(errors.BadOutput, match="scores instead of flags"):
        outputs.mask(np.linspace(-2, 3, 10), 10, "zscore_detector()")
    assert outputs.mask(np.array([0, 1, 1]), 3, "f()").tolist() == [False, True, True]  # 0/1 are flags


@pytest.fixture
def cpu_worker(tmp_path):
    path = tmp_path / "student.py"
    path.write_text(textwrap.dedent("""
        import torch

        def train(budget):
            return torch.zeros(3, device=torch.device("cuda"))

        def fails_otherwise():
            raise RuntimeError("No CUDA GPUs here, says a student's own message")
    """))
    w = Worker("test", Limits(), device="cpu")
    w.load(path, "student", [], timeout=120)
    yield w
    w.close()


def test_a_hard_coded_cuda_device_on_a_cpu_grader_points_at_budget_device(cpu_worker):
    with pytest.raises(errors.Raised) as raised:
        cpu_worker.call("train", None, timeout=60)
    message = raised.value.message
    assert "budget.device is 'cpu'" in message and "torch.device(budget.device)" in message
    assert raised.value.evidence["cause"] == "gpu_requested_on_cpu"
    with pytest.raises(errors.Raised) as other:  # another error keeps its own message only
        cpu_worker.call("fails_otherwise", timeout=60)
    assert "budget.device" not in other.value.message
