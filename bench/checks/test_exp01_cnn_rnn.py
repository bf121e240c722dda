"""Experiment 1 checks: a CNN and an RNN classifying 28x28 digits.

The worker trains each model on the training split and predicts class
probabilities for the test images (on the embedded digits, warped afresh from
the run's hidden seed so that they cannot be looked up among scikit-learn's
public ones); the test labels stay here, where accuracy,
per-class precision/recall and the confusion matrix are computed. Keras
models and PyTorch modules both work: the worker reports their layer types,
which is how the architecture checks see a convolution or a recurrent layer.
"""

from __future__ import annotations

import numpy as np
import pytest

from reference import EXPERIMENTS, Budget

from bench import errors
from bench.scoring import outputs
from bench.data.digits import ImageSplit, load_images
from bench.checks.common import Speed, Training
from bench.scoring.speed import median_seconds

EXPERIMENT = EXPERIMENTS["exp01"]
MODELS = ("cnn", "rnn")
CLASSES = 10
REQUIRED_LAYERS = {
    "cnn": ("a convolution layer", ("Conv1d", "Conv2d", "Conv3d", "Conv1D", "Conv2D", "Conv3D", "SeparableConv2D",
                                    "DepthwiseConv2D", "LazyConv2d")),
    "rnn": ("a recurrent layer", ("RNN", "LSTM", "GRU", "SimpleRNN", "RNNCell", "LSTMCell", "GRUCell",
                                  "SimpleRNNCell", "ConvLSTM2D")),
}


@pytest.fixture
def images(harness, run) -> ImageSplit:
    """Real MNIST from the data directory, else the embedded digits drawn from the run's hidden seed: the
    public digits' split, order and a warp of every image, so no test image can be looked up."""
    seed = harness.settings.hidden_seed
    split = harness.cached("exp01-images", lambda: load_images(harness.settings.data_dir, seed))
    run.dataset = split.info.hiding_seed(seed)
    return split


def trained(run, model: str, images: ImageSplit) -> dict:
    """Train once per run: the model's handle, its history and the seconds it took."""
    def compute():
        (handle, history), seconds = run.call(f"train_{model}", images.x_train, images.y_train, Budget, train=True,
                                              model="history")
        description = run.worker.describe(handle)
        return {"handle": handle, "history": clean_history(history or description.get("history")),
                "seconds": seconds, "model": description}
    return run.stage(f"train:{model}", compute)


def clean_history(history) -> dict:
    """Per-epoch curves as lists of finite floats; anything else is dropped (it is evidence, not graded)."""
    if not isinstance(history, dict):
        return {}
    out = {}
    for key, values in list(history.items())[:20]:
        values = np.asarray(values, dtype=float).ravel()[:1000] if _numeric(values) else None
        if values is not None and len(values) and np.isfinite(values).all():
            out[str(key)[:40]] = values.round(6).tolist()
    return out


def _numeric(values) -> bool:
    try:
        return np.asarray(values).dtype.kind in "biuf"
    except (ValueError, TypeError):
        return False


def predicted(run, model: str, images: ImageSplit) -> np.ndarray:
    def compute():
        handle = trained(run, model, images)["handle"]
        value, _ = run.call("predict_proba", handle, images.x_test)
        probs = outputs.probabilities(value, len(images.x_test), CLASSES, f"predict_proba() on the {model.upper()}")
        run.record_outputs(model, probs.argmax(axis=1), images.y_test)
        return probs
    return run.stage(f"predict:{model}", compute)


TRAINING_ENTRIES = MODELS


@pytest.fixture
def training(request, run, images) -> Training:
    """Each model's training, for the shared trains_within_budget[cnn|rnn] check."""
    model = request.param
    result = trained(run, model, images)
    return Training(f"train_{model}", result["seconds"], metric=f"train_seconds_{model}",
                    evidence={"history": result["history"], "parameters": result["model"].get("parameters"),
                              "framework": result["model"].get("framework")})


@pytest.mark.parametrize("model", MODELS)
def test_architecture(run, check, images, model):
    description = trained(run, model, images)["model"]
    layers = description.get("layers") or []
    check.add(model=description)
    what, names = REQUIRED_LAYERS[model]
    if description.get("framework") not in ("torch", "keras"):
        raise errors.BadOutput(f"train_{model}() returned a {description.get('type')}, which is neither a "
                               "keras.Model nor a torch.nn.Module, so its layers cannot be checked. Expected: a "
                               "Keras model or a PyTorch module.")
    found = [layer for layer in layers if layer in names]
    shown = ", ".join(dict.fromkeys(layers))[:300] or "none"
    assert found, (f"The {model.upper()} has no {what} (its layers: {shown}). Expected: at least one of "
                   f"{', '.join(names[:4])}, ... Likely cause: a dense network submitted as the {model.upper()}.")
    check.message = f"has {what}: {found[0]}"


@pytest.mark.parametrize("model", MODELS)
def test_accuracy(run, check, images, model):
    probs = predicted(run, model, images)
    y, pred = images.y_test, probs.argmax(axis=1)
    confusion = np.zeros((CLASSES, CLASSES), dtype=int)
    np.add.at(confusion, (y, pred), 1)
    tp = np.diag(confusion)
    with np.errstate(invalid="ignore", divide="ignore"):
        precision = np.nan_to_num(tp / confusion.sum(axis=0))
        recall = np.nan_to_num(tp / confusion.sum(axis=1))
    accuracy = float((pred == y).mean())
    training = trained(run, model, images)
    check.add(confusion_matrix=confusion.tolist(), per_class={"precision": precision.round(4).tolist(),
                                                              "recall": recall.round(4).tolist()})
    variant = run.dataset.variant
    worst = int(recall.argmin())
    hint = f"Weakest class: {worst} (recall {recall[worst]:.0%})." + _undertrained(training, run)
    check.grade(f"accuracy_{model}", accuracy, EXPERIMENT, variant,
                what=f"{model.upper()} test accuracy", hint=hint)


def _undertrained(training: dict, run) -> str:
    """A hint when the history says training stopped while the model was still learning."""
    acc = training["history"].get("accuracy") or training["history"].get("acc") or []
    budget = run.budgets.train_seconds
    if len(acc) < 2 or training["seconds"] > 0.5 * budget:
        return ""
    if acc[-1] < 0.95 and acc[-1] - acc[-2] > 0.01:
        return (f" Training stopped after {len(acc)} epochs and {training['seconds']:.0f} s of its {budget:.0f} s "
                f"budget while its training accuracy was still rising ({acc[-2]:.2f} to {acc[-1]:.2f}): it is "
                "trained too briefly. Train for more epochs (or with a higher learning rate).")
    return ""


@pytest.fixture
def speed(run, images, harness) -> Speed:
    """Images per second through predict_proba for both models, as a ratio to the reference."""
    def timing(r):
        def compute():
            handles = [trained(r, m, images)["handle"] for m in MODELS]
            return sum(median_seconds(lambda h=h: r.call("predict_proba", h, images.x_test)) for h in handles)
        return r.stage("predict_timing", compute)

    seconds = timing(run)
    return Speed("prediction", seconds, harness.reference_figure(EXPERIMENT, timing),
                 metrics={"predict_images_per_second": 2 * len(images.x_test) / seconds})
