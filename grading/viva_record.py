"""Viva questions made from a student's own run record and submission.

Three kinds, at most one each (2 to 3 per sheet where the record has them):
their weakest check ("your check X failed: ... — what went wrong?"), a
number from their run (per experiment where the record has a meaningful
comparison, else any recorded metric or the training time against its
budget), and a design choice visible in their code (an optimizer, a
threshold, n_estimators, ...). Nothing here is random: the same record gives
the same questions whoever prints the sheet. A submission file that is gone,
or that changed since it was graded, gives no code question.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from pathlib import Path

from .viva import Question

REPO = Path(__file__).resolve().parents[1]
MOST = 3
_SENTENCE = re.compile(r"(.+?[.!?])(?=\s|$)", re.DOTALL)
_FAILED = ("fail", "error")
_SEVERITY = {"error": 0, "fail": 1}
_NOT_QUALITY = re.compile(r"(^speed_ratio$|_per_second$|^train_seconds|_seconds$)")

YOUR_RUN = "your-run"


def number(value: float) -> str:
    """A figure as said aloud: two decimals for scores in [-1, 1], three significant digits otherwise."""
    return f"{value:.2f}" if -1 <= value <= 1 else f"{value:.3g}"


def first_sentence(message: str, limit: int = 300) -> str:
    text = " ".join((message or "").split())
    found = _SENTENCE.match(text)
    sentence = found.group(1) if found else text
    return sentence if len(sentence) <= limit else sentence[:limit - 1].rstrip() + "…"


# --- the weakest check --------------------------------------------------------------------------------

def weakest_check(entry: dict) -> dict | None:
    """The failed or errored check with the least credit (an error before a failure, then record order)."""
    failed = [(c.get("score") or 0.0, _SEVERITY[c["status"]], i, c)
              for i, c in enumerate(entry.get("checks") or []) if c.get("status") in _FAILED]
    return min(failed, key=lambda t: t[:3])[3] if failed else None


def weakest_question(entry: dict) -> Question | None:
    check = weakest_check(entry)
    if check is None:
        return None
    said = first_sentence(check.get("message") or "").removesuffix(".")
    verb = "failed" if check["status"] == "fail" else "stopped with an error"
    text = (f"Your check {check['name']} {verb}: {said or 'it left no message'} — what went wrong, and how "
            "would you fix it?")
    kind = check.get("kind") or ""
    specific = {"below_target": "what limits the metric here: the model, its features, the training time or the "
                                "data handling",
                "check_failed": "the case the check exercises and why a correct solution must handle it"}.get(
        kind, "where the error was raised and which input caused it")
    return Question(text, ("names the cause in their own code, not only the symptom", specific,
                           "a concrete fix, and how they would confirm it worked (a test, a metric)"),
                    YOUR_RUN, "record")


# --- a number from the run -------------------------------------------------------------------------------

def _evidence(entry: dict, check_name: str) -> dict:
    for c in entry.get("checks") or []:
        if c.get("name") == check_name:
            return c.get("evidence") or {}
    return {}


def _training(entry: dict, check_name: str) -> tuple[float, float] | None:
    ev = _evidence(entry, check_name)
    seconds, budget = ev.get("train_seconds"), ev.get("budget_seconds")
    return (float(seconds), float(budget)) if isinstance(seconds, (int, float)) and isinstance(budget, (int, float)) \
        else None


def _q(text: str, *points: str) -> Question:
    return Question(text, points, YOUR_RUN, "record")


def _exp01(m: dict, entry: dict) -> list[Question]:
    cnn, rnn = m.get("accuracy_cnn"), m.get("accuracy_rnn")
    if cnn is None or rnn is None:
        return []
    weak, strong = ("rnn", "cnn") if rnn <= cnn else ("cnn", "rnn")
    acc = {"cnn": cnn, "rnn": rnn}
    text = (f"Your {weak.upper()} reached {number(acc[weak])} test accuracy while your {strong.upper()} reached "
            f"{number(acc[strong])}")
    time = _training(entry, f"trains_within_budget[{weak}]")
    if time:
        text += f"; the {weak.upper()} trained for {time[0]:.1f} s of its {time[1]:g} s budget"
    return [_q(text + ". Why the gap, and what would you change?",
               "convolutions use the 2-D neighbourhood of each pixel; an RNN reading rows must carry the digit "
               "through 28 steps",
               "the unused budget: more epochs, a larger hidden size, a tuned learning rate",
               "checks it with learning curves: was the loss still falling when training stopped?")]


def _exp02(m: dict, entry: dict) -> list[Question]:
    if m.get("fid") is None:
        return []
    text = f"Your generator reached an FID of {number(m['fid'])}"
    if m.get("classes_covered") is not None:
        text += f" and its samples covered {number(m['classes_covered'])} of the 10 clothing classes"
    return [_q(text + ". What does each number say about your GAN, and what would you change first?",
               "FID compares feature statistics of real and generated images: quality and diversity",
               "few classes covered means mode collapse",
               "a concrete change: learning rates, architecture, training longer, loss variant")]


def _exp03(m: dict, entry: dict) -> list[Question]:
    scores = {k.removeprefix("accuracy_"): v for k, v in m.items()
              if k.startswith("accuracy_") and isinstance(v, (int, float))}
    if len(scores) < 2:
        return []
    best, worst = max(scores, key=scores.get), min(scores, key=scores.get)
    return [_q(f"Your {worst.replace('_', ' ')} reached {number(scores[worst])} accuracy while your "
               f"{best.replace('_', ' ')} reached {number(scores[best])} on the same features. Why the difference, "
               "and how sure are you that it is real?",
               "relates the gap to the models' assumptions on sparse, high-dimensional text features",
               "hyperparameters tuned fairly for both (not only defaults)",
               "variance: cross-validation or several seeds before trusting a small gap")]


def _exp04(m: dict, entry: dict) -> list[Question]:
    parts = [f"AUC {number(m['auc'])}" if m.get("auc") is not None else "",
             f"R2 {number(m['r2'])}" if m.get("r2") is not None else "",
             f"RMSE {number(m['rmse'])}" if m.get("rmse") is not None else ""]
    parts = [p for p in parts if p]
    if not parts:
        return []
    return [_q(f"Your Spark models reached {', '.join(parts)}. What does each number mean for this data, and "
               "which stage of your pipeline would you change to improve the weakest?",
               "AUC ranks positives above negatives; R2 is variance explained; RMSE is error in the target's units",
               "a concrete pipeline change: features, encoding, the estimator or its parameters")]


def _exp05(m: dict, entry: dict) -> list[Question]:
    if m.get("bleu") is None:
        return []
    text = f"Your translator scored BLEU {number(m['bleu'])}"
    if m.get("chrf") is not None:
        text += f" and chrF {number(m['chrf'])}"
    if m.get("attention_order") is not None:
        text += f", with an attention-order score of {number(m['attention_order'])}"
    return [_q(text + ". What do these numbers say about your model, and what would you change first?",
               "BLEU counts word n-gram overlap; chrF character n-grams (kinder to small word-form errors)",
               "whether the attention follows the source: a diffuse map means the decoder ignores it",
               "a concrete change: training longer, teacher forcing ratio, hidden size, decoding")]


def _exp06(m: dict, entry: dict) -> list[Question]:
    detectors = [k.removeprefix("f1_") for k, v in m.items() if k.startswith("f1_") and isinstance(v, (int, float))]
    out = []
    if detectors:
        d = min(detectors, key=lambda x: m[f"f1_{x}"])
        if m.get(f"precision_{d}") is not None and m.get(f"recall_{d}") is not None:
            out.append(_q(f"Your {d} detector had precision {number(m[f'precision_{d}'])} and recall "
                          f"{number(m[f'recall_{d}'])} (F1 {number(m[f'f1_{d}'])}). What do these numbers say about "
                          "its flags, and what would you change?",
                          "low precision: many false alarms (threshold, contamination or nu too loose); low "
                          "recall: anomalies missed",
                          "what the detector sees: raw values hide contextual anomalies in a seasonal series",
                          "a concrete change and how it moves precision and recall"))
    kinds = [(share, kind, d) for d in sorted(detectors)
             for kind, share in (_evidence(entry, f"detector_f1[{d}]").get("recall_by_kind") or {}).items()
             if isinstance(share, (int, float))]
    if kinds:
        share, kind, d = min(kinds)
        out.append(_q(f"Your {d} detector found {share:.0%} of the {kind} anomalies. Why does it miss them, and "
                      "how would you catch them?",
                      f"what makes a {kind} anomaly different from the others",
                      "features or preprocessing that expose it (remove the seasonal pattern, use the phase, "
                      "differences, rolling statistics)"))
    return out


def _exp07(m: dict, entry: dict) -> list[Question]:
    before, after = m.get("disparate_impact_before"), m.get("disparate_impact_after")
    if before is None or after is None:
        return []
    text = f"Your model's disparate impact was {number(before)} before mitigation and {number(after)} after"
    if m.get("accuracy_cost") is not None:
        text += f", at an accuracy cost of {number(m['accuracy_cost'])}"
    return [_q(text + ". Is the result fair by the four-fifths rule, and was the cost worth it?",
               "disparate impact is the ratio of favourable rates; 0.8 to 1.25 passes the four-fifths rule",
               "how reweighing moved it, and what other fairness metric should be checked too",
               "weighs the accuracy cost against the harm of the unfair decisions")]


def _exp08(m: dict, entry: dict) -> list[Question]:
    if m.get("lime_local_r2") is None:
        return []
    return [_q(f"Your LIME explanations had a mean local fit (R2) of {number(m['lime_local_r2'])}. What does that "
               "say about how far to trust them, and what would raise it?",
               "R2 of the local surrogate against the model on the perturbed samples: local fidelity",
               "kernel width, number of samples and features shown",
               "cross-checks with SHAP for the same predictions")]


def _exp09(m: dict, entry: dict) -> list[Question]:
    if m.get("mean_return") is None:
        return []
    text = f"Your agent's mean return was {number(m['mean_return'])}"
    if m.get("return_std") is not None:
        text += f" with a standard deviation of {number(m['return_std'])} over the evaluation episodes"
    return [_q(text + ". What does the spread say about the policy, and how would you make it better and steadier?",
               "a large spread: the policy fails on some starts; evaluate over more episodes and seeds",
               "exploration schedule, replay buffer, target network update, learning rate",
               "training longer or Double DQN against overestimation")]


def _exp10(m: dict, entry: dict) -> list[Question]:
    out = []
    acc = [(label, m[key]) for key, label in (("accuracy_eps1", "at epsilon 1"), ("accuracy_eps8", "at epsilon 8"),
                                               ("accuracy_nonprivate", "without privacy")) if m.get(key) is not None]
    if len(acc) >= 2:
        out.append(_q(f"Your model reached {', '.join(f'{number(v)} accuracy {label}' for label, v in acc)}. "
                      "Explain the gap, and how you would shrink it at the same epsilon.",
                      "smaller epsilon needs more noise relative to the clipped gradients",
                      "larger batches, a tuned clipping norm, fewer epochs, a simpler or pretrained model"))
    private, free = m.get("attack_advantage_private"), m.get("attack_advantage_nonprivate")
    if private is not None and free is not None:
        out.append(_q(f"A membership inference attack had an advantage of {number(private)} on your private model "
                      f"and {number(free)} on the non-private one. What does that tell you?",
                      "advantage over guessing measures leakage of who was in the training set",
                      "DP bounds it; overfitting raises it"))
    return out


PER_EXPERIMENT: dict[str, Callable[[dict, dict], list[Question]]] = {
    "exp01": _exp01, "exp02": _exp02, "exp03": _exp03, "exp04": _exp04, "exp05": _exp05,
    "exp06": _exp06, "exp07": _exp07, "exp08": _exp08, "exp09": _exp09, "exp10": _exp10,
}


def generic_numbers(entry: dict) -> list[Question]:
    """For an experiment with no generator of its own, or a record without the numbers it reads: the metric
    behind the weakest graded check (else the first recorded quality metric), and training time vs budget."""
    metrics = {k: v for k, v in (entry.get("metrics") or {}).items()
               if isinstance(v, (int, float)) and not isinstance(v, bool) and not _NOT_QUALITY.search(k)}
    out = []
    if metrics:
        graded = [(c.get("score") if c.get("score") is not None else 1.0, i, k)
                  for i, c in enumerate(entry.get("checks") or [])
                  for k in ((c.get("evidence") or {}).get("metrics") or {}) if k in metrics]
        name = min(graded)[2] if graded else min(metrics)
        out.append(_q(f"Your run recorded {name} = {number(metrics[name])}. What does it measure, how did your code "
                      "produce it, and what would improve it?",
                      "what the metric measures and whether higher or lower is better",
                      "the part of their code that determines it",
                      "a concrete change and its expected effect"))
    for c in entry.get("checks") or []:
        time = _training(entry, c.get("name", ""))
        if time:
            out.append(_q(f"Your model trained for {time[0]:.1f} s of its {time[1]:g} s budget ({c['name']}). How "
                          "did you decide when to stop, and what would you do with more (or less) time?",
                          "stopping rule: epochs, the remaining budget, or early stopping on validation loss",
                          "whether the learning curve had flattened when training stopped"))
            break
    return out


# --- a design choice in the code ---------------------------------------------------------------------------

Design = tuple[re.Pattern, str, str, tuple[str, ...]]


def _design(regex: str, what: str, topic: str, *points: str) -> Design:
    """A pattern whose first non-empty group is the value, how to say it, and the bank topic it covers (a sheet
    draws no bank question on that topic beside it)."""
    return re.compile(regex), what, topic, points


_TUNING = ("the evidence behind the value: a default, the lecture, or a comparison on validation data",
           "what would happen if it were much smaller or much larger")
DESIGNS: dict[str, list[Design]] = {
    "exp06": [
        _design(r"\bnu\s*=\s*([0-9.eE+-]+)", "nu = {value}", "one-class-svm",
                "nu bounds the share of training points treated as outliers", *_TUNING),
        _design(r"\bcontamination\s*=\s*([^,)\s]+)", "contamination = {value}", "isolation-forest",
                "contamination sets the score threshold: the share of points flagged", *_TUNING),
        _design(r"\babs\([^)]*\)\s*>=?\s*([0-9.]+)", "a threshold of {value} on the absolute score", "threshold",
                "the share of a normal distribution beyond that many standard deviations", *_TUNING),
    ],
    "exp09": [
        _design(r"\bgamma\s*=\s*([0-9.]+)", "gamma = {value}", "bellman",
                "the discount factor: how far ahead the agent plans", *_TUNING),
    ],
    "exp10": [
        _design(r"\bnoise_multiplier\s*=\s*([0-9.eE+-]+)", "noise_multiplier = {value}", "accounting",
                "noise relative to the clipping norm; with the sampling rate and steps it sets epsilon", *_TUNING),
        _design(r"\bmax_grad_norm\s*=\s*([0-9.eE+-]+)", "max_grad_norm = {value}", "dp-sgd",
                "the per-example clipping bound: too small biases gradients, too large needs more noise",
                *_TUNING),
    ],
    "exp03": [
        _design(r"\bngram_range\s*=\s*(\([^)]*\))", "ngram_range = {value}", "preprocessing",
                "n-grams catch phrases and negation at the cost of many more features", *_TUNING),
        _design(r"\bmax_features\s*=\s*(\d+)", "max_features = {value}", "features",
                "the vocabulary kept: rare words dropped, memory and speed bounded", *_TUNING),
    ],
}
GENERAL_DESIGNS = [
    _design(r"\b(?:num_)?epochs\s*=\s*(\d+)", "{value} epochs", "budget",
            "learning curves on validation data, early stopping", "the time budget: epochs times time per epoch"),
    _design(r"\b(?:optim|optimizers)\.(\w+)\(|\boptimizer\s*=\s*['\"](\w+)['\"]", "the {value} optimizer", "optimizer",
            "what it adds over plain SGD (momentum, per-parameter step sizes)",
            "its learning rate and how it was chosen"),
    _design(r"\b(?:lr|learning_rate)\s*=\s*([0-9.eE+-]+)", "a learning rate of {value}", "learning-rate",
            "too high diverges or oscillates, too low learns slowly", "schedules or a search on validation data"),
    _design(r"\bn_estimators\s*=\s*(\d+)", "n_estimators = {value}", "ensembles",
            "more trees lower variance with diminishing returns and more time", *_TUNING),
    _design(r"\bbatch_size\s*=\s*(\d+)", "a batch size of {value}", "batch-size",
            "gradient noise against speed per sample", "its interaction with the learning rate"),
    _design(r"\b(?:k|n_neighbors|n_clusters)\s*=\s*(\d+)", "k = {value}", "k", *_TUNING),
]


def source_text(entry: dict) -> tuple[str, bool] | None:
    """The graded submission's code and whether it is a notebook; None where the file is gone or changed.

    The recorded path is tried first, then the same file under this checkout's submissions/ folder (a record
    made on the grading machine, rendered elsewhere); either counts only if its sha256 is the record's."""
    source = entry.get("source") or {}
    path = source.get("path")
    if not path:
        return None
    recorded = Path(path)
    candidates = [recorded]
    if "submissions" in recorded.parts:
        candidates.append(REPO.joinpath(*recorded.parts[len(recorded.parts) - recorded.parts[::-1].index(
            "submissions") - 1:]))
    for candidate in candidates:
        try:
            data = candidate.read_bytes()
        except OSError:
            continue
        if source.get("sha256") and hashlib.sha256(data).hexdigest() != source["sha256"]:
            continue
        text = data.decode("utf-8", "replace")
        if source.get("kind") == "ipynb" or candidate.suffix == ".ipynb":
            try:
                cells = json.loads(text).get("cells") or []
            except (ValueError, AttributeError):
                return None
            return "\n".join("".join(c.get("source") or "") if isinstance(c.get("source"), list)
                             else str(c.get("source") or "") for c in cells if c.get("cell_type") == "code"), True
        return text, False
    return None


def design_question(experiment_id: str, entry: dict) -> Question | None:
    found = source_text(entry)
    if found is None:
        return None
    text, notebook = found
    lines = text.splitlines()
    for pattern, what, topic, points in DESIGNS.get(experiment_id, []) + GENERAL_DESIGNS:
        for number_, line in enumerate(lines, start=1):
            stripped = line.strip()
            match = pattern.search(stripped) if not stripped.startswith("#") else None
            if match:
                value = next(g for g in match.groups() if g is not None)
                quoted = stripped if len(stripped) <= 120 else stripped[:119] + "…"
                where = "in the notebook" if notebook else f"line {number_}"
                return Question(f"Your code uses {what.format(value=value)} ({where}). Why that choice, and how "
                                "would you check it was a good one?", points, topic, "code", quoted)
    return None


def record_questions(experiment_id: str, entry: dict) -> list[Question]:
    """Up to MOST questions from this record: the weakest check, a number from the run, a design choice in the
    code, then more numbers where the first kinds were missing."""
    metrics = {k: v for k, v in (entry.get("metrics") or {}).items() if isinstance(v, (int, float))}
    numbers = PER_EXPERIMENT.get(experiment_id, lambda m, e: [])(metrics, entry) or generic_numbers(entry)
    candidates = [weakest_question(entry), *numbers[:1], design_question(experiment_id, entry), *numbers[1:]]
    out: list[Question] = []
    for q in candidates:
        if q is not None and q.text not in {o.text for o in out}:
            out.append(q)
    return out[:MOST]
