"""Experiment 3: text classification, comparing algorithms for accuracy and efficiency.

Aim: clean raw newsgroup posts (lower-case, strip punctuation and digits,
remove stop words, lemmatise), then train the lab's six classifiers on the
cleaned text and compare their accuracy and their cost.

Data: 20 Newsgroups (the bydate archive) when the data directory holds it;
otherwise a generated topical corpus of 12 topics with confusable families
(`bench/data/newsgroups.py`). Test labels stay in the grading process.

Claim: on the embedded corpus the best model reaches 0.914 test accuracy
(mean of 5 seeds, min 0.899); linear SVM 0.909, random forest 0.913, MLP 0.908,
Naive Bayes 0.903, logistic regression 0.901, decision tree 0.649, so the trees
separate from the rest as in the lab. The linear SVM trains in 1.5 s and the
MLP in 4.0 s (2 cores, loaded machine). On real 20 Newsgroups the lab's linear
SVM reached 0.878 in 5 s and its MLP 0.877 in 151 s.
"""

from __future__ import annotations

from reference.spec import BudgetSpec, Experiment, Function, Target

MODELS = ("naive_bayes", "logistic_regression", "linear_svm", "decision_tree", "random_forest", "mlp")

INTERFACE = (
    Function("preprocess", ("text",), "str",
             "Lower-case, letters only, single spaces, stop words removed, lemmatised; '' for ''."),
    Function("train_model", ("name", "texts", "labels", "budget"), "model",
             f"Train the named model ({', '.join(MODELS)}) on raw texts (preprocess inside)."
             " The model is any object predict accepts: a pipeline, or a tuple or dict such as (classifier, scaler)."),
    Function("predict", ("model", "texts"), "int array, shape (n,)", "Predicted labels for raw texts."),
)

# Measured, not chosen: see bench/calibrate.py for the rule. The floors are half the targets: a
# majority-class guess scores 1/12 on the balanced topics, far below them. Real 20 Newsgroups (variant
# 'real') cannot be obtained on the grading machine, so nothing is measured for it yet: the two models the
# lab manual reports a result for are graded against it there (provisional, Target.from_lab_manual; a
# majority-class guess scores about 0.05 on 20 classes, far below those floors); the other models'
# accuracies are recorded, not graded, until `python -m bench.calibrate exp03 -- --data-dir DIR` measures them.
TARGETS: tuple[Target, ...] = (
    Target('best_accuracy', floor=0.44, target=0.88, variant='embedded',
           reference_mean=0.9142, reference_worst=0.8990, reference_sd=0.0092,
           source='reference, seeds 0,1,2,3,4, 2 CPU threads (AMD EPYC), 2026-11-23: mean 0.9142, min 0.8990, sd 0.0092; `python -m bench.calibrate exp03`'),
    Target('accuracy_naive_bayes', floor=0.43, target=0.87, variant='embedded',
           reference_mean=0.9034, reference_worst=0.8900, reference_sd=0.0119,
           source='reference, seeds 0,1,2,3,4, 2 CPU threads (AMD EPYC), 2026-11-23: mean 0.9034, min 0.8900, sd 0.0119; `python -m bench.calibrate exp03`'),
    Target('accuracy_logistic_regression', floor=0.43, target=0.87, variant='embedded',
           reference_mean=0.9008, reference_worst=0.8850, reference_sd=0.0108,
           source='reference, seeds 0,1,2,3,4, 2 CPU threads (AMD EPYC), 2026-11-23: mean 0.9008, min 0.8850, sd 0.0108; `python -m bench.calibrate exp03`'),
    Target('accuracy_linear_svm', floor=0.44, target=0.88, variant='embedded',
           reference_mean=0.9094, reference_worst=0.8970, reference_sd=0.0089,
           source='reference, seeds 0,1,2,3,4, 2 CPU threads (AMD EPYC), 2026-11-23: mean 0.9094, min 0.8970, sd 0.0089; `python -m bench.calibrate exp03`'),
    Target('accuracy_decision_tree', floor=0.31, target=0.62, variant='embedded',
           reference_mean=0.6490, reference_worst=0.6350, reference_sd=0.0142,
           source='reference, seeds 0,1,2,3,4, 2 CPU threads (AMD EPYC), 2026-11-23: mean 0.6490, min 0.6350, sd 0.0142; `python -m bench.calibrate exp03`'),
    Target('accuracy_random_forest', floor=0.44, target=0.89, variant='embedded',
           reference_mean=0.9126, reference_worst=0.8990, reference_sd=0.0086,
           source='reference, seeds 0,1,2,3,4, 2 CPU threads (AMD EPYC), 2026-11-23: mean 0.9126, min 0.8990, sd 0.0086; `python -m bench.calibrate exp03`'),
    Target('accuracy_mlp', floor=0.44, target=0.88, variant='embedded',
           reference_mean=0.9078, reference_worst=0.8930, reference_sd=0.0097,
           source='reference, seeds 0,1,2,3,4, 2 CPU threads (AMD EPYC), 2026-11-23: mean 0.9078, min 0.8930, sd 0.0097; `python -m bench.calibrate exp03`'),
    Target.from_lab_manual('accuracy_linear_svm', 0.878, 'real', "Experiment 3: the manual's linear SVM, "
                           "accuracy 0.878 on 20 Newsgroups"),
    Target.from_lab_manual('accuracy_mlp', 0.877, 'real', "Experiment 3: the manual's MLP, accuracy 0.877 on "
                           "20 Newsgroups"),
)

SPEC = Experiment(
    id="exp03",
    module="exp03_text",
    title="Text classification: comparing algorithms",
    aim=__doc__.split("\n\n")[1].replace("\n", " "),
    interface=INTERFACE,
    targets=TARGETS,
    graded_metrics=("best_accuracy",) + tuple(f"accuracy_{name}" for name in MODELS),
    libraries=("sklearn.ensemble", "sklearn.feature_extraction.text", "sklearn.linear_model", "sklearn.model_selection",
               "sklearn.naive_bayes", "sklearn.neural_network", "sklearn.pipeline", "sklearn.svm", "sklearn.tree"),
    reference_speed={'quick': {'naive_bayes': 3.748851, 'logistic_regression': 2.632554, 'linear_svm': 2.756902, 'decision_tree': 3.078466, 'random_forest': 5.865159, 'mlp': 3.730039}, 'full': {'naive_bayes': 2.41003, 'logistic_regression': 2.472264, 'linear_svm': 2.55765, 'decision_tree': 3.256674, 'random_forest': 5.405055, 'mlp': 3.606116}},
    reference_speed_source="the reference's speed check on the grading machine, quick: 2 CPU threads (AMD EPYC), 2026-12-02; full: 2 CPU threads (AMD EPYC), 2026-12-02; `python -m bench.calibrate speed RECORD...`",
    budget=BudgetSpec(train_seconds=60, quick_train_seconds=60, call_seconds=60, import_seconds=90, memory_mb=4096),
)
