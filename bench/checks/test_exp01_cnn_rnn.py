"""Experiment 1 checks: a CNN and an RNN classifying 28x28 digits.

The worker trains each model on the training split and predicts class
probabilities for the test images (on the embedded digits, warped afresh from
the run's hidden seed so that they cannot be looked up among scikit-learn's
public ones); the test labels stay here, where accuracy,
per-class precision/recall and the confusion matrix are computed. Keras
models and PyTorch modules both work: the worker reports their layer types,
which is how the architecture checks see a convolution or a recurrent layer,
and which layers a prediction really calls (a layer defined but skipped by the
forward pass does not count).
"""

from __future__ import annotations

import numpy as np
import pytest

from reference import EXPERIMENTS, Budget

from bench import errors
from bench.scoring import outputs
from bench.data.digits import ImageSplit, load_images
from bench.inside import helpers
from bench.checks.common import Speed, Training
from bench.scoring.speed import median_seconds

EXPERIMENT = EXPERIMENTS["exp01"]
MODELS = ("cnn", "rnn")
PROBE_IMAGES = 8  # the batch a forward pass is observed on, for the layers it calls
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
    # The layer must do work, not only be defined: observe one prediction on a probe batch.
    called, _ = run.harness(helpers.called_layers, trained(run, model, images)["handle"],
                            images.x_train[:PROBE_IMAGES])
    called = [str(name)[:100] for name in called[:500]] if isinstance(called, list) else []
    check.add(called_layers=called)
    if called:  # empty when no layer could be observed (an unusual model object): judged on its structure
        used = [layer for layer in called if layer in names]
        assert used, (f"The {model.upper()} has {what} ({found[0]}), but predict_proba() never calls it: a "
                      f"prediction on {PROBE_IMAGES} images called only {', '.join(called)[:300]}. Likely cause: "
                      f"a layer created in __init__ (or build) that forward() (or call()) skips. Fix: pass the "
                      f"input through the {found[0]} in the forward pass.")
        found = used
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
    hint = f"Weakest class: {worst} (recall {recall[worst]:.0%})."
    share = np.bincount(pred, minlength=CLASSES) / max(len(pred), 1)
    if accuracy < CHANCE_ACCURACY or share.max() >= ONE_CLASS_SHARE:
        on_training = training_images_accuracy(run, model, images)
        if on_training is not None:
            check.add(training_images_accuracy=on_training)
        diagnosis = chance_diagnosis(model, accuracy, int(share.argmax()), float(share.max()),
                                     _last_accuracy(training["history"]), on_training, TRAINING_SAMPLE)
        hint = diagnosis or hint + _undertrained(training, run)  # the diagnosis says more than the weakest class
    else:
        hint += _undertrained(training, run)
    check.grade(f"accuracy_{model}", accuracy, EXPERIMENT, variant,
                what=f"{model.upper()} test accuracy", hint=hint)


# Test accuracy below this (chance is 0.10 on ten classes), or one class taking this share of the test
# predictions, asks why; so does training data: predicting TRAINING_SAMPLE of the training images through
# predict_proba tells a model that never learned from one whose predict_proba does not match its training.
CHANCE_ACCURACY = 0.2
ONE_CLASS_SHARE = 0.8
TRAINING_SAMPLE = 512
LEARNED = 0.5  # accuracy on training images that says the model learned something


def training_images_accuracy(run, model: str, images: ImageSplit) -> float | None:
    """Accuracy of predict_proba() on the first TRAINING_SAMPLE training images (None if that call fails:
    it is evidence for a hint, never graded)."""
    def compute():
        handle = trained(run, model, images)["handle"]
        x, y = images.x_train[:TRAINING_SAMPLE], images.y_train[:TRAINING_SAMPLE]
        try:
            value, _ = run.call("predict_proba", handle, x)
            probs = outputs.probabilities(value, len(x), CLASSES, f"predict_proba() on the {model.upper()}")
        except errors.SubmissionError:
            return None
        return round(float((probs.argmax(axis=1) == y).mean()), 4)
    return run.stage(f"predict-training-images:{model}", compute)


def _last_accuracy(history: dict) -> float | None:
    acc = history.get("accuracy") or history.get("acc") or history.get("train_accuracy") or []
    return float(acc[-1]) if acc else None


def chance_diagnosis(model: str, test: float, top_class: int, top_share: float, history: float | None,
                     on_training: float | None, sample: int) -> str:
    """Why a model scores at chance on the test images, from its training accuracy (its history's last epoch)
    and from its accuracy when predict_proba() is given images it was trained on. "" when they say nothing."""
    name = model.upper()
    seen = (f"It gets {test:.2f} on the test images and predicts class {top_class} for {top_share:.0%} of them"
            if top_share >= ONE_CLASS_SHARE else f"It gets {test:.2f} on the test images")
    causes = ("Likely cause: preprocessing that differs between training and prediction (e.g. predict_proba() "
              "scaling the images, already in [0, 1], by 255 a second time, or a different reshape or "
              "normalisation), or a label mapping applied in training but not undone in prediction. Fix: give "
              "predict_proba() exactly the preprocessing that training used.")
    if on_training is None:
        if history is not None and history >= LEARNED:
            return (f"{seen}, after {history:.2f} accuracy in training (its history's last epoch): high in "
                    f"training, chance in prediction. {causes}")
        return ""
    if on_training < LEARNED and history is not None and history >= LEARNED:
        return (f"The {name} reached {history:.2f} accuracy in training (its history's last epoch), but "
                f"predict_proba() on {sample} of the training images it was trained on gets {on_training:.2f}. "
                f"{seen}. Expected: predict_proba() reproduces what the model learned. So the model did learn, "
                f"and prediction does not compute what training did. {causes}")
    if on_training < LEARNED:
        learned = f" (and its history's last epoch says {history:.2f})" if history is not None else ""
        return (f"predict_proba() gets {on_training:.2f} even on {sample} of the training images{learned}. "
                f"{seen}. Either training did not learn (check that the loss falls and the labels are the "
                "integers 0-9), or the preprocessing differs between training and prediction (e.g. scaling "
                "by 255 twice) or a label mapping is not undone: check what predict_proba() gets on the images "
                "you trained on.")
    if on_training - test >= 0.3:
        return (f"predict_proba() gets {on_training:.2f} on {sample} of the training images but {test:.2f} on "
                "the test images: it does not carry over to images it has not seen. Likely cause: the model "
                "memorised its training images (overfitting; regularise and validate on held-out images), or "
                "predict_proba() treats images by something only training images share (e.g. a lookup of "
                "training images, or statistics of each batch).")
    return ""


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
