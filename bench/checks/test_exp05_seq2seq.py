"""Experiment 5 checks: translation scored against references only this process holds.

Corpus BLEU and chrF come from sacrebleu here (the signature goes in the
record). Decoding must stop (no output much longer than its input), empty and
very long inputs must come back as strings, and the attention the model
reports must be a distribution over the source that, on a corpus whose word
order mostly follows English, moves forward through the source as the
decoder writes.
"""

from __future__ import annotations

import dataclasses
import time

import numpy as np
import pytest

from reference import EXPERIMENTS, Budget

from bench import errors
from bench.scoring import outputs
from bench.data.en_fr import load_embedded_parallel
from bench.data.readers.parallel import find_parallel, load_parallel_files
from bench.checks.common import Speed, Training

EXPERIMENT = EXPERIMENTS["exp05"]
ATTENTION_SENTENCES = 20
SAMPLES_SHOWN = 8


def max_words(source: str) -> int:
    """The longest output that still counts as having stopped: 3x the input plus 10 words."""
    return 3 * len(source.split()) + 10


def load_corpus(data_dir, hidden_seed: int):
    """Real pairs when the data directory holds them; else the generator, drawn from the run's hidden seed.

    The generator is public, so with its default seed anyone could compute the
    reference translations; from the hidden seed they exist only here.
    """
    files = find_parallel(data_dir)
    if files:
        return load_parallel_files(files)
    split = load_embedded_parallel(seed=hidden_seed)
    return dataclasses.replace(split, info=split.info.hiding_seed(hidden_seed))


@pytest.fixture
def corpus(harness, run):
    split = harness.cached("exp05-corpus", lambda: load_corpus(harness.settings.data_dir, harness.settings.hidden_seed))
    run.dataset = split.info
    return split


def trained(run, corpus) -> dict:
    def compute():
        (model, history), seconds = run.call("train_translator", list(corpus.x_train), list(corpus.y_train), Budget,
                                             train=True, model="history")
        curves = {k: np.asarray(v, dtype=float).round(5).tolist() for k, v in (history if isinstance(history, dict) else {}).items()
                  if isinstance(v, (list, np.ndarray)) and np.size(v) and np.isfinite(np.asarray(v, float)).all()}
        return {"model": model, "seconds": seconds, "history": curves}
    return run.stage("train", compute)


def translations(run, model, sentences: list[str], what: str) -> tuple[list[str], float]:
    try:
        value, seconds = run.call("translate", model, list(sentences))
    except errors.Timeout as exc:
        raise errors.Timeout(
            f"translate() on {what} did not return within its budget of {run.budgets.call_seconds:.0f} s "
            f"and was stopped. Expected: decoding stops at the end-of-sentence token or at a maximum length (the "
            f"reference translates 1,000 sentences in about a second). Likely cause: a decoding loop that waits for "
            f"the end token with no maximum length.", exc.detail, **exc.evidence) from None
    if not isinstance(value, list) or len(value) != len(sentences) or not all(isinstance(s, str) for s in value):
        raise errors.BadOutput(f"translate() on {what} returned {type(value).__name__}"
                               f"{f' of {len(value)} items' if isinstance(value, list) else ''}; expected a list of "
                               f"{len(sentences)} strings, one per input sentence.")
    return value, seconds


def translated(run, corpus) -> dict:
    def compute():
        out, seconds = translations(run, trained(run, corpus)["model"], corpus.x_test, "the test sentences")
        return {"hypotheses": out, "seconds": seconds}
    return run.stage("translate", compute)


@pytest.fixture
def training(run, corpus) -> Training:
    """The translator's training, for the shared trains_within_budget check."""
    result = trained(run, corpus)
    evidence = {"history": result["history"]}
    tokenise = result["history"].get("tokenise_seconds")
    if tokenise and result["seconds"] > 0:  # as the submission reports it (the reference does): evidence only
        evidence["tokenise_share_of_training"] = tokenise[0] / result["seconds"]
    return Training("train_translator", result["seconds"], evidence=evidence)


def attention_maps(run, corpus) -> list[dict]:
    def compute():
        model = trained(run, corpus)["model"]
        maps = []
        for sentence in corpus.x_test[:ATTENTION_SENTENCES]:
            value, _ = run.call("attention", model, sentence)
            if not (isinstance(value, tuple) and len(value) == 3):
                raise errors.BadOutput("attention() must return (weights, source_tokens, target_tokens)")
            weights = outputs.array(value[0], "attention()", "a 2-D float array")
            src, tgt = value[1], value[2]
            if not (isinstance(src, list) and isinstance(tgt, list)):
                raise errors.BadOutput("attention()'s source_tokens and target_tokens must be lists of str")
            if weights.ndim != 2 or weights.shape != (len(tgt), len(src)) or not np.isfinite(weights).all():
                raise errors.BadOutput(f"attention() returned weights of shape {weights.shape} for {len(tgt)} "
                                       f"target and {len(src)} source tokens; expected ({len(tgt)}, {len(src)})")
            maps.append({"weights": weights.astype(float), "source": [str(t) for t in src],
                         "target": [str(t) for t in tgt]})
        return maps
    return run.stage("attention", compute)


def test_attention_rows_are_distributions(run, check, corpus):
    maps = attention_maps(run, corpus)
    worst = max(float(np.abs(m["weights"].sum(axis=1) - 1).max()) if m["weights"].size else 0.0 for m in maps)
    negative = min(float(m["weights"].min()) if m["weights"].size else 0.0 for m in maps)
    first = maps[0]
    check.add(attention_heatmap={"weights": first["weights"].round(4).tolist(), "source": first["source"],
                       "target": first["target"]})
    assert worst <= 1e-3 and negative >= 0, (
        f"Attention rows must be distributions over the source tokens (non-negative, summing to 1); the worst "
        f"row sums to 1 {'+' if worst > 0 else ''}{worst:.3g}, the smallest weight is {negative:.3g}. Likely "
        "cause: returning scores before the softmax, or the transposed matrix.")


def order_correlation(weights: np.ndarray) -> float:
    """Spearman correlation between a target token's position and the source position it attends most.

    Target tokens that attend the same source token share its rank (the average of their positions, as
    Spearman's rho has it), so attention that stays on one token correlates 0 and mostly on one token
    little; ranking such ties by position would make attention stuck on one token a perfect 1."""
    from scipy.stats import rankdata

    if weights.shape[0] < 3 or weights.shape[1] < 3:
        return float("nan")
    focus = rankdata(weights.argmax(axis=1))  # ties: average ranks
    if focus.std() == 0:
        return 0.0
    return float(np.corrcoef(np.arange(len(focus)), focus)[0, 1])


def stuck_share(weights: np.ndarray) -> float:
    """The share of target tokens whose attention peaks on the source token attended most often."""
    if not weights.size:
        return 0.0
    return float(np.bincount(weights.argmax(axis=1)).max() / weights.shape[0])


def test_attention_follows_the_source_order(run, check, corpus):
    maps = attention_maps(run, corpus)
    graded = [m for m in maps if np.isfinite(order_correlation(m["weights"]))]
    values = [order_correlation(m["weights"]) for m in graded]
    mean = float(np.mean(values)) if values else 0.0
    stuck = float(np.mean([stuck_share(m["weights"]) for m in graded])) if graded else 0.0
    check.add(order_correlations=np.round(values, 3).tolist(), stuck_share=round(stuck, 3))
    hint = "Attention that stays on one token, or ignores the source, gives a correlation near 0."
    if stuck >= 0.5:
        first = next(m for m in graded if stuck_share(m["weights"]) >= 0.5)
        token = first["source"][int(np.bincount(first["weights"].argmax(axis=1)).argmax())]
        hint = (f"On average {stuck:.0%} of each translation's tokens attend most to one and the same source token "
                f"(e.g. {token!r} in {' '.join(first['source'])[:80]!r}): the attention is stuck rather than "
                "moving through the source. Likely cause: attention computed from the encoder outputs alone (no "
                "decoder state in the score), or scores over the wrong axis.")
    check.grade("attention_order", mean, EXPERIMENT, corpus.info.variant,
                what=f"attention's order correlation with the source (mean over {len(values)} sentences)", hint=hint)


def test_decoding_stops(run, check, corpus):
    hyps = translated(run, corpus)["hypotheses"]
    long = [(s, h) for s, h in zip(corpus.x_test, hyps) if len(h.split()) > max_words(s)]
    check.add(longest_ratio=max(len(h.split()) / max(len(s.split()), 1) for s, h in zip(corpus.x_test, hyps)))
    assert not long, (f"{len(long)} translations are longer than 3x their input plus 10 words, e.g. "
                      f"{long[0][1][:120]!r}... for {long[0][0]!r}. Expected: decoding stops at the end-of-"
                      "sentence token or a length limit. Likely cause: no maximum length in the decoding loop.")


def test_empty_and_very_long_inputs(run, check, corpus):
    model = trained(run, corpus)["model"]
    very_long = " ".join(corpus.x_test[:12])  # about 120 words in one sentence
    out, seconds = translations(run, model, ["", very_long], "an empty and a very long sentence")
    check.add(seconds=seconds, long_input_words=len(very_long.split()), long_output_words=len(out[1].split()),
              empty_output=out[0][:200])
    assert len(out[0].split()) <= max_words(""), (
        f"The empty sentence came back as {len(out[0].split())} words ({out[0][:80]!r}...). Expected: an empty or "
        f"short string. Likely cause: decoding with no maximum length tied to the input's length.")
    assert len(out[1].split()) <= max_words(very_long), (
        f"A {len(very_long.split())}-word input came back as {len(out[1].split())} words, more than 3x the input "
        f"plus 10. Expected: decoding stops at the end-of-sentence token or a length limit.")
    check.message = f"both came back in {seconds:.1f} s"


@pytest.mark.parametrize("metric", ["bleu", "chrf"])
def test_translation_quality(run, check, corpus, metric):
    from sacrebleu.metrics import BLEU, CHRF

    hyps = translated(run, corpus)["hypotheses"]
    started = time.perf_counter()
    scorer = BLEU() if metric == "bleu" else CHRF()
    score = float(scorer.corpus_score(hyps, [list(corpus.y_test)]).score)
    scoring = time.perf_counter() - started
    check.add(signature=str(scorer.get_signature()), scoring_seconds=scoring,
              scoring_share_of_training=scoring / max(trained(run, corpus)["seconds"], 1e-9),
              translation_samples=[{"source": s, "reference": r, "output": h}
                       for s, r, h in list(zip(corpus.x_test, corpus.y_test, hyps))[:SAMPLES_SHOWN]])
    copied = np.mean([h.strip() == s.strip() for h, s in zip(hyps, corpus.x_test)])
    empty = np.mean([not h.strip() for h in hyps])
    hint = ("Most outputs are the English input unchanged." if copied > 0.5 else
            "Most outputs are empty." if empty > 0.5 else "")
    check.grade(metric, score, EXPERIMENT, corpus.info.variant,
                what=f"corpus {metric.upper()} on {len(hyps)} unseen sentences", hint=hint)


# The checks that judge the outputs the speed check times (translating: decoding that stops, and any input
# answered): speed is measured only when none of them failed (bench/checks/common.py).
SPEED_NEEDS = ("decoding_stops", "empty_and_very_long_inputs")


@pytest.fixture
def speed(run, corpus, harness) -> Speed:
    """Translating the test sentences, against the reference in the same run."""
    mine = translated(run, corpus)["seconds"]
    return Speed(f"translating {len(corpus.x_test)} sentences", mine,
                 harness.reference_figure(EXPERIMENT, lambda ref: translated(ref, corpus)["seconds"]),
                 metrics={"sentences_per_second": len(corpus.x_test) / mine})
