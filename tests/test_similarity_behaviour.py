"""Behaviour similarity: identical mistakes are flagged, independent ones and perfect models are not."""

from __future__ import annotations

import numpy as np
import pytest

from bench.record import outputs as outputs_codec
from grading.records import Graded
from grading.similarity.behaviour import JACCARD_FLAG, MIN_MISTAKES, Output, behaviour_matches, compare, outputs_of

N, CLASSES = 600, 10


def _model(rng, truth, accuracy, hard=None):
    """Predictions at about `accuracy`, wrong with a random wrong label; `hard` items are wrong more often."""
    p_wrong = np.full(len(truth), 1 - accuracy)
    if hard is not None:
        p_wrong[hard] = np.minimum(1.0, p_wrong[hard] * 4)
    wrong = rng.random(len(truth)) < p_wrong
    pred = truth.copy()
    pred[wrong] = (truth[wrong] + rng.integers(1, CLASSES, wrong.sum())) % CLASSES
    return pred


def _output(student, pred, truth, name="cnn", dataset="d1"):
    predicted, correct = outputs_codec.decode(outputs_codec.encode(pred, truth))
    return Output(student, "exp01", name, dataset, predicted, correct)


def test_outputs_round_trip_compactly():
    rng = np.random.default_rng(0)
    truth = rng.integers(0, CLASSES, 5000)
    pred = _model(rng, truth, 0.9)
    data = outputs_codec.encode(pred, truth)
    predicted, correct = outputs_codec.decode(data)
    assert (predicted == pred).all() and (correct == (pred == truth)).all()
    assert len(data["predicted"]) + len(data["correct"]) < 5000  # bytes in the record for 5,000 items
    with pytest.raises(ValueError, match="differ in length"):
        outputs_codec.encode(pred[:10], truth)


def test_a_copy_is_flagged_and_honest_models_sharing_hard_items_are_not():
    rng = np.random.default_rng(1)
    truth = rng.integers(0, CLASSES, N)
    hard = rng.random(N) < 0.1  # items every model finds hard: honest models share these mistakes
    alice = _model(rng, truth, 0.9, hard)
    copy = alice.copy()
    copy[rng.choice(N, 6, replace=False)] = truth[rng.choice(N, 6, replace=False)]  # a few outputs differ
    bob = _model(rng, truth, 0.9, hard)
    copied = compare(_output("alice", alice, truth), _output("mallory", copy, truth))
    honest = compare(_output("alice", alice, truth), _output("bob", bob, truth))
    assert copied.flagged and copied.jaccard >= JACCARD_FLAG
    assert "repeat each other's mistakes" in copied.explanation and "evidence, not a verdict" in copied.explanation
    assert not honest.flagged and honest.jaccard < 0.5, honest
    assert honest.shared > honest.expected  # hard items: honest models share more than independence predicts
    assert f"of the {honest.mistakes_a} and {honest.mistakes_b} each made on {N} hidden items" in honest.explanation


def test_perfect_models_agree_without_being_flagged():
    truth = np.arange(N) % CLASSES
    pred = truth.copy()
    pred[:MIN_MISTAKES - 1] = (truth[:MIN_MISTAKES - 1] + 1) % CLASSES
    match = compare(_output("a", pred, truth), _output("b", pred, truth))
    assert match.jaccard == 1.0 and not match.flagged and "Too few mistakes" in match.explanation


def test_outputs_equal_to_the_references_are_flagged_as_such():
    rng = np.random.default_rng(2)
    truth = rng.integers(0, CLASSES, N)
    pred = _model(rng, truth, 0.85)
    [match] = behaviour_matches([_output("zed", pred, truth), _output("reference", pred, truth)])
    assert (match.a, match.b) == ("reference", "zed") and match.flagged and match.agreement == 1.0
    assert "the reference solution's mistakes" in match.explanation


def test_only_outputs_graded_on_the_same_hidden_data_are_compared():
    rng = np.random.default_rng(3)
    truth = rng.integers(0, CLASSES, N)
    pred = _model(rng, truth, 0.8)
    found = [_output("a", pred, truth, dataset="run1"), _output("b", pred, truth, dataset="run2"),
             _output("c", pred, truth, name="rnn", dataset="run1")]
    assert behaviour_matches(found) == []


def test_a_damaged_output_in_a_record_is_a_note_not_a_crash():
    truth = np.zeros(50, dtype=int)
    good = outputs_codec.encode(truth, truth)
    entry = {"dataset": {"checksum": "x"}, "outputs": {"cnn": good, "rnn": {"n": 50, "predicted": "!!"}}}
    found, notes = outputs_of({"alice": {"exp01": Graded(entry, {})}})
    assert [o.name for o in found] == ["cnn"]
    assert len(notes) == 1 and "alice exp01 output 'rnn': not readable" in notes[0]
