"""Experiment 3 checks: text preprocessing properties, six classifiers, accuracy and cost.

Preprocessing is property-tested with hypothesis in the worker. Each named
model is trained on the raw training texts and predicts the hidden test
texts; accuracy and macro-F1 are computed here; the best model must meet the
target. Training plus prediction time of each model is compared with the
reference's model of the same name, in the same run.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from reference import EXPERIMENTS, Budget
from reference.exp03_text import MODELS

from bench import errors
from bench.scoring import outputs
from bench.checks.common import Speed
from bench.inside import helpers
from bench.data.newsgroups import load_20newsgroups

EXPERIMENT = EXPERIMENTS["exp03"]
PROPERTY = hsettings(max_examples=40, deadline=None, derandomize=True, database=None,
                     suppress_health_check=list(HealthCheck))
CLEAN = re.compile(r"^$|^[^\W\d_]+( [^\W\d_]+)*$")  # letters only, single spaces, nothing at the ends
WORDS = st.lists(st.sampled_from(["The", "cats", "were", "running", "quickly!", "It's", "3.5", "GPUs", "mice,",
                                  "better", "(and)", "don't", "2026", "e-mail", "Studies", "was", "geese"]),
                 max_size=25).map(" ".join)


@pytest.fixture
def corpus(harness, run):
    split = harness.cached("exp03-corpus", lambda: load_20newsgroups(harness.settings.data_dir,
                                                                   seed=harness.settings.hidden_seed))
    run.dataset = split.info.hiding_seed(harness.settings.hidden_seed)
    return split


def clean(run, text: str) -> str:
    value, _ = run.call("preprocess", text)
    if not isinstance(value, str):
        raise errors.BadOutput(f"preprocess() returned {type(value).__name__}; expected a str")
    return value


def test_preprocess_output_is_lowercase_letters_and_single_spaces(run, check):
    run.interface()

    tried, crashes = [], []

    @PROPERTY
    @given(text=st.one_of(WORDS, st.text(max_size=200)))
    def shape(text):
        tried.append(text)
        try:
            out = clean(run, text)
        except errors.Raised as exc:  # a crash is the unicode check's to grade, not this one's
            crashes.append(exc)
            return
        assert out == out.lower(), f"preprocess({text!r}) = {out!r} is not lower-case."
        assert CLEAN.match(out), (f"preprocess({text!r}) = {out!r}: expected only letters separated by single "
                                  "spaces, no digits, punctuation or leading/trailing spaces. Likely cause: a "
                                  "punctuation filter that misses some characters, or ' '.join over empty tokens.")
    shape()
    if crashes:
        if len(crashes) == len(tried):
            raise crashes[0]
        check.add(inputs_that_raised=len(crashes), inputs_tried=len(tried))


def test_preprocess_is_idempotent(run, check):
    run.interface()

    @PROPERTY
    @given(text=WORDS)
    def twice(text):
        once = clean(run, text)
        assert clean(run, once) == once, (f"preprocess(preprocess({text!r})) != preprocess({text!r}) ({once!r}). "
                                          "Expected: cleaning clean text changes nothing. Likely cause: "
                                          "lemmatising or stemming that keeps shortening words.")
    twice()


def test_preprocess_handles_empty_and_any_unicode(run, check):
    run.interface()
    assert clean(run, "") == "", "preprocess('') should return ''"

    @PROPERTY
    @given(text=st.text(alphabet=st.characters(codec="utf-8"), max_size=300))
    def anything(text):
        clean(run, text)  # raises (and fails the check) if the submission crashes
    anything()


def fitted(run, name: str, corpus) -> tuple:
    """(the fitted model's handle, its training seconds), trained once per run."""
    def compute():
        return run.call("train_model", name, corpus.x_train, corpus.y_train, Budget, train=True, model=True)
    return run.stage(f"train:{name}", compute)


def trained(run, name: str, corpus) -> dict:
    def compute():
        model, train_s = fitted(run, name, corpus)
        value, predict_s = run.call("predict", model, corpus.x_test)
        pred = outputs.array(value, "predict()", f"an int array of shape ({len(corpus.x_test)},)")
        if pred.shape != (len(corpus.x_test),) or pred.dtype.kind not in "iu":
            raise errors.BadOutput(f"predict() with {name} returned {pred.shape} {pred.dtype}; expected "
                                   f"({len(corpus.x_test)},) integer labels")
        run.record_outputs(name, pred, corpus.y_test)
        return {"pred": pred, "train_seconds": train_s, "predict_seconds": predict_s}
    return run.stage(f"model:{name}", compute)


def scores(pred: np.ndarray, y: np.ndarray) -> dict:
    classes = np.unique(y)
    f1 = []
    for c in classes:
        tp = np.sum((pred == c) & (y == c))
        precision = tp / max(np.sum(pred == c), 1)
        recall = tp / max(np.sum(y == c), 1)
        f1.append(2 * precision * recall / (precision + recall) if precision + recall else 0.0)
    return {"accuracy": float((pred == y).mean()), "macro_f1": float(np.mean(f1)), "per_class_f1": f1}


# What each name must be made of: class names (of any library, or the student's own) that say the kind, or
# the modules of neural-network libraries for the MLP. A model matching none earns nothing for its accuracy.
KINDS = {
    "naive_bayes": ("a naive Bayes classifier", "MultinomialNB", r"NB$|Bayes", ()),
    "logistic_regression": ("a logistic regression", "LogisticRegression", r"Logistic", ()),
    "linear_svm": ("a linear SVM", "LinearSVC", r"SVC$|SVM|SGDClassifier", ()),
    "decision_tree": ("a decision tree", "DecisionTreeClassifier", r"DecisionTree|ExtraTreeClassifier", ()),
    "random_forest": ("a random forest", "RandomForestClassifier", r"RandomForest|ExtraTreesClassifier", ()),
    "mlp": ("a multi-layer perceptron", "MLPClassifier", r"MLP|Perceptron", ("torch.", "keras.", "tensorflow.")),
}


def made_of(run, name: str, corpus) -> list[str]:
    """The estimator classes the model trained under this name is made of (found in the worker)."""
    def compute():
        model, _ = fitted(run, name, corpus)
        value, _ = run.harness(helpers.estimator_classes, model)
        return [str(c)[:120] for c in value[:100]] if isinstance(value, list) else []
    return run.stage(f"kind:{name}", compute)


def assert_kind(run, check, corpus, name: str) -> None:
    what, example, pattern, modules = KINDS[name]
    classes = made_of(run, name, corpus)
    check.add(estimators=classes)
    if any(re.search(pattern, c.rsplit(".", 1)[-1]) or c.startswith(modules) for c in classes):
        return
    shown = ", ".join(c.rsplit(".", 1)[-1] for c in classes)[:300] or "nothing recognisable"
    raise AssertionError(
        f"train_model({name!r}, ...) returned a model made of {shown}, none of them {what}, so its "
        f"accuracy earns nothing here. Expected: {what} (e.g. sklearn's {example}), as the lab compares the six kinds. "
        "Likely cause: one classifier returned for several names. Fix: build the named model for each name.")


@pytest.mark.parametrize("name", MODELS)
def test_model(run, check, corpus, name):
    assert_kind(run, check, corpus, name)
    result = trained(run, name, corpus)
    s = scores(result["pred"], corpus.y_test)
    check.metric(f"macro_f1_{name}", s["macro_f1"])
    check.add(train_seconds=result["train_seconds"], predict_seconds=result["predict_seconds"],
              per_class_f1=np.round(s["per_class_f1"], 4).tolist())
    # Each model has its own measured target: the lab compares the six, so a broken one loses its marks
    # even when another model is the best.
    hint = majority_hint(result["pred"], corpus.y_test)
    target = EXPERIMENT.target(f"accuracy_{name}", corpus.info.variant, check.quick)
    if not hint and target is not None and s["accuracy"] < target.target:
        again = training_texts_again(run, name, corpus)
        if again is not None:
            check.add(training_texts_again=again)
            hint = refit_hint(again, s["accuracy"])
    check.grade(f"accuracy_{name}", s["accuracy"], EXPERIMENT, corpus.info.variant,
                what=f"{name} test accuracy (macro-F1 {s['macro_f1']:.3f}, trained in {result['train_seconds']:.1f} s)",
                hint=hint)


# A model below its target predicts TRAINING_SAMPLE of the texts it was trained on again, and the first half
# of them on their own: a fitted model gets most right, and labels each text the same whatever comes with it.
TRAINING_SAMPLE = 300
LEARNED = 0.5  # accuracy on its own training texts that says predict() reproduces what was fitted
BATCH_DEPENDENT = 0.05  # share of texts whose label changes with the other texts given: not a fixed model


def training_texts_again(run, name: str, corpus) -> dict | None:
    """predict() on training texts: the accuracy on TRAINING_SAMPLE of them, and the share of the first half
    labelled differently when predicted without the rest (None when predict() fails there: a hint's evidence,
    never graded)."""
    def compute():
        model, _ = fitted(run, name, corpus)
        texts, labels = corpus.x_train[:TRAINING_SAMPLE], np.asarray(corpus.y_train[:TRAINING_SAMPLE])
        half = len(texts) // 2
        try:
            together, _ = run.call("predict", model, texts)
            alone, _ = run.call("predict", model, texts[:half])
            together = np.asarray(outputs.array(together, "predict()", "labels")).ravel()
            alone = np.asarray(outputs.array(alone, "predict()", "labels")).ravel()
        except errors.SubmissionError:
            return None
        if together.shape != (len(texts),) or alone.shape != (half,):
            return None
        return {"texts": len(texts), "accuracy": round(float((together == labels).mean()), 4),
                "alone": half, "changed_alone": round(float((together[:half] != alone).mean()), 4)}
    return run.stage(f"predict-training-texts:{name}", compute)


def refit_hint(again: dict, test_accuracy: float) -> str:
    """What predicting training texts again says about predict(): "" when it reproduces a fitted model."""
    seen = (f"{again['accuracy']:.2f} accuracy on {again['texts']} of the texts it was trained on, "
            f"{test_accuracy:.2f} on the test texts")
    if again["changed_alone"] >= BATCH_DEPENDENT:
        return (f"predict() does not reproduce the fitted model on its own training documents: {seen}; "
                f"{again['changed_alone']:.0%} of the first {again['alone']} of them get a different label when "
                "predicted without the others, so predict() depends on which texts it is given. Expected: each "
                "text's label independent of the others, and most right on texts the model was fitted on. Likely "
                "cause: refitting the vectoriser (fit_transform) on the texts passed to predict; fit it once in "
                "training and only transform in predict.")
    if again["accuracy"] < LEARNED:
        return (f"predict() gets only {seen}, labelling each text the same whatever comes with it: the model did "
                "not fit even its training texts. Expected: most right on texts it was fitted on. Likely cause: a "
                "model too constrained (a very shallow tree, very strong regularisation), labels not matched to "
                "their texts in training, or preprocessing that leaves the texts (nearly) empty; if predict() "
                "vectorises the texts itself, make it use the vectoriser fitted in training, only transforming.")
    return ""


def majority_hint(pred: np.ndarray, y: np.ndarray) -> str:
    values, counts = np.unique(pred, return_counts=True)
    if counts.max() >= 0.9 * len(pred):
        return (f"It predicts class {values[counts.argmax()]} for {counts.max() / len(pred):.0%} of the texts; "
                f"the test set has {len(np.unique(y))} classes. Likely cause: the model is not fitted on the "
                "features (a placeholder or dummy baseline), or the texts reach it empty after preprocessing.")
    return ""


def test_best_model_meets_the_target(run, check, corpus):
    results = {name: trained(run, name, corpus) for name in MODELS}
    accuracy = {name: float((r["pred"] == corpus.y_test).mean()) for name, r in results.items()}
    best = max(accuracy, key=accuracy.get)
    pred, y = results[best]["pred"], corpus.y_test
    k = int(max(y.max(), pred.max())) + 1
    confusion = np.zeros((k, k), dtype=int)
    np.add.at(confusion, (y, np.clip(pred, 0, k - 1)), 1)
    check.add(best=best, accuracy_by_model=accuracy, confusion_matrix=confusion.tolist(),
              seconds_by_model={n: r["train_seconds"] + r["predict_seconds"] for n, r in results.items()},
              classes=corpus.info.sizes.get("classes"))
    target = EXPERIMENT.target("best_accuracy", corpus.info.variant, check.quick)
    hint = ""
    if target is not None and accuracy[best] < target.target and not majority_hint(pred, y):
        again = training_texts_again(run, best, corpus)  # already staged where that model's own check ran
        hint = refit_hint(again, accuracy[best]) if again is not None else ""
    check.grade("best_accuracy", accuracy[best], EXPERIMENT, corpus.info.variant,
                what=f"best model ({best}) test accuracy", hint=hint)


@pytest.fixture
def speed(run, corpus, harness) -> Speed:
    """Training plus prediction time of all six models against the reference's, same run."""
    def seconds(r) -> dict[str, float]:
        return {n: (t := trained(r, n, corpus))["train_seconds"] + t["predict_seconds"] for n in MODELS}
    mine, ref = seconds(run), harness.reference_figure(EXPERIMENT, seconds)
    ratios = {n: ref[n] / max(mine[n], 1e-9) for n in MODELS}
    return Speed("the six models (train + predict)", sum(mine.values()), sum(ref.values()),
                 evidence={"ratio_by_model": ratios}, reference_figure=ref)
