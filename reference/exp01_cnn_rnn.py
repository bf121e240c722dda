"""Experiment 1: a CNN and an RNN that classify handwritten digits.

Aim: build and train a convolutional network and a recurrent network (the
image read row by row as a sequence of 28 vectors) and compare them.

Data: 28x28 grayscale digits in [0, 1]. Real MNIST when the data directory
holds its IDX files; otherwise scikit-learn's real handwritten digits brought
to 28x28 (`bench/data/digits.py`). The test labels never leave the grading
process.

Claim: see TARGETS below.
"""

from __future__ import annotations

import numpy as np

from reference.spec import Budget, BudgetSpec, Experiment, Function, Target

INTERFACE = (
    Function("train_cnn", ("x_train", "y_train", "budget"), "model, or (model, history)",
             "Train a convolutional network on (n, 28, 28) float32 images and int labels 0-9."),
    Function("train_rnn", ("x_train", "y_train", "budget"), "model, or (model, history)",
             "Train a recurrent network that reads each image as 28 rows of 28 pixels."),
    Function("predict_proba", ("model", "images"), "float array, shape (n, 10)",
             "Class probabilities (rows sum to 1) for (n, 28, 28) images, for either model."),
)

TARGETS: tuple[Target, ...] = ()  # filled from measured reference runs

SPEC = Experiment(
    id="exp01",
    module="exp01_cnn_rnn",
    title="CNN and RNN image classification",
    aim=__doc__.split("\n\n")[1].replace("\n", " "),
    interface=INTERFACE,
    targets=TARGETS,
    budget=BudgetSpec(train_seconds=120, quick_train_seconds=30, call_seconds=60, import_seconds=90, memory_mb=6144),
)
