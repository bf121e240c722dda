"""Experiment 7: assessing and mitigating bias with AIF360.

Aim: measure how a classifier trained on census data treats women and men,
then mitigate the bias by reweighing the training rows (Kamiran and Calders:
w = P(A) P(Y) / P(A, Y)) and measure again, with the accuracy it costs.

Data: UCI Adult when the data directory holds its raw files; otherwise an
Adult-schema table with a designed sex bias (disparate impact 0.36, as in
real Adult; `bench/data/adult.py`). The protected attribute is sex
(privileged: Male); test labels stay in the grading process.

Claim: on the embedded table the reference's logistic regression reaches 0.8185
test accuracy with disparate impact 0.20 by sex; reweighing moves it to 0.56
(statistical parity -0.20 to -0.09, equal opportunity -0.30 to -0.02) for
0.016 accuracy, which the checks' margin (0.04) allows with room.
"""

from __future__ import annotations

from reference.spec import BudgetSpec, Experiment, Function, Target

INTERFACE = (
    Function("reweighing_weights", ("protected", "labels"), "float array, shape (n,)",
             "Kamiran-Calders weights P(A)P(Y)/P(A,Y) from 0/1 arrays (protected: 1 = privileged)."),
    Function("train_classifier", ("x_train", "y_train", "sample_weight", "budget"), "model",
             "Train on the Adult feature table (a pandas DataFrame) with per-row weights."
             " The model is any object predict accepts: a pipeline, or a tuple or dict such as (classifier, scaler)."),
    Function("predict", ("model", "x"), "int array, shape (n,)", "0/1 income predictions for a feature table."),
)

# Measured, not chosen: see bench/calibrate.py for the rule. The logistic regression is
# deterministic, so the seeds agree exactly.
TARGETS: tuple[Target, ...] = (
    Target('accuracy_baseline', floor=0.76, target=0.81, variant='embedded',
           reference_mean=0.8185, reference_worst=0.8185, reference_sd=0.0000,
           source='reference, seeds 0,1,2, 2 CPU threads (AMD EPYC), 2026-12-02: mean 0.8185, min 0.8185, sd 0.0000; `python -m bench.calibrate exp07 --baseline tests/zoo_exp07/predicts_majority_class`; floor 0.76 = max 0.7560 of the model-free baseline predicts_majority_class on these seeds, rounded: no credit for what needs no learning'),
)

SPEC = Experiment(
    id="exp07",
    module="exp07_fairness",
    title="Assessing and mitigating bias with AIF360",
    aim=__doc__.split("\n\n")[1].replace("\n", " "),
    interface=INTERFACE,
    targets=TARGETS,
    graded_metrics=("accuracy_baseline",),
    libraries=("sklearn.compose", "sklearn.impute", "sklearn.linear_model", "sklearn.pipeline", "sklearn.preprocessing"),
    budget=BudgetSpec(train_seconds=60, quick_train_seconds=60, call_seconds=60, import_seconds=90, memory_mb=4096),
)
