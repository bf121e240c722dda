"""Experiment 7: assessing and mitigating bias with AIF360.

Aim: measure how a classifier trained on census data treats women and men,
then mitigate the bias by reweighing the training rows (Kamiran and Calders:
w = P(A) P(Y) / P(A, Y)) and measure again, with the accuracy it costs.

Data: UCI Adult when the data directory holds its raw files; otherwise an
Adult-schema table with a designed sex bias (disparate impact 0.36, as in
real Adult; `bench/data/adult.py`). The protected attribute is sex
(privileged: Male); test labels stay in the grading process.

Claim: on the embedded table, drawn from the run's hidden seed, the reference's
logistic regression reaches 0.80-0.84 test accuracy (mean 0.823 over 73 seeds)
with disparate impact 0.08-0.25 by sex; reweighing moves it to 0.42-0.89 (at
the calibration seeds 0.22/0.16/0.12 -> 0.70/0.59/0.48; statistical parity
-0.19/-0.20/-0.23 -> -0.06/-0.07/-0.10) for at most 0.024 accuracy, which the
checks' margin (0.04) allows with room.
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

# Measured, not chosen: see bench/calibrate.py for the rule. The logistic regression is deterministic, but the
# table, test rows included, is drawn from the run's hidden seed, so the seeds differ by the rows.
# `python -m bench.calibrate exp07 --baseline tests/zoo_exp07/predicts_majority_class` (2 CPU threads, AMD EPYC,
# 2026-12-02) measured the reference at 0.8315 / 0.8345 / 0.8305 and the majority class at 0.7525 / 0.7665 / 0.7675
# on seeds 0,1,2, and printed target 0.82, floor 0.77. Three seeds understate the spread of a 2,000-row test split
# (accuracy sd 0.0077): the same reference code on the tables of seeds 100-169 (loader and solution called
# directly, metrics as the checks compute them) scored 0.8035-0.8440, and the majority class 0.7365-0.7805 over
# seeds 0-199 (make_adult's test rows), so 0.82 failed the reference and 0.77 credited the majority class on some
# hidden seeds. Over those seeds: target 0.80 = min 0.8035 rounded down (min - sd, 0.7958, would fall to the
# baseline's own level), floor 0.79 = max 0.7805 of the majority class rounded up.
TARGETS: tuple[Target, ...] = (
    Target('accuracy_baseline', floor=0.79, target=0.80, variant='embedded',
           reference_mean=0.8228, reference_worst=0.8035, reference_sd=0.0077,
           source='reference, seeds 0,1,2, 2 CPU threads (AMD EPYC), 2026-12-02: 0.8315 / 0.8345 / 0.8305 (`python -m bench.calibrate exp07 --baseline tests/zoo_exp07/predicts_majority_class`), and on the tables of seeds 100-169 (the reference solution on load_adult(None, seed)): n 73, mean 0.8228, min 0.8035, sd 0.0077; target = the min rounded down; floor 0.79 = max 0.7805 of the model-free baseline predicts_majority_class (the test rows\' majority share) over seeds 0-199, rounded up: no credit for what needs no learning'),
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
