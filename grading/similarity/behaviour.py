"""Behaviour similarity: two submissions that make the same mistakes on the same hidden items.

Every graded classification-like output keeps the predicted label of each hidden item and whether it was
right (bench.record.outputs). Two honest submissions at 90% accuracy each get about 10% wrong, and they
share some mistakes, because some items are hard for every model; what they almost never share is nearly
*all* of their mistakes, with the same wrong label each time. That is what a copied model, or copied
predictions, does. So per output and pair:

- `shared`: items both got wrong with the same predicted label;
- `jaccard`: shared / items either got wrong (1.0: identical mistakes);
- `expected`: the shared mistakes independent errors at these two accuracies would give
  (m_a * m_b / n, times the chance that two wrong labels agree, 1 / (classes - 1));
- the pair is flagged when at least MIN_MISTAKES items are wrong in one of them (fewer mistakes are no
  evidence: two perfect models agree everywhere) and jaccard >= JACCARD_FLAG.

A textbook method with no randomness (a global z-score at threshold 3) gives identical outputs to anyone
who implements it, so a flag is evidence for the instructor to read beside the code comparison, never a
mark. Outputs are compared only between entries graded on the same hidden data (equal dataset checksum).
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

import numpy as np

from bench.record import outputs as outputs_codec

REFERENCE = "reference"
MIN_MISTAKES = 10
# Measured in tests/test_similarity_class.py (Experiment 6, --quick, 2026-12-02): honest pairs share 0.00-0.20
# of their mistakes, except two different z-score detectors (the example's global one and an independent
# rolling one), which share 0.73: both miss the same contextual anomalies. Copies share 1.00 on every
# detector. 0.85 sits between; a high honest figure is why a flag is only evidence.
JACCARD_FLAG = 0.85


@dataclass(frozen=True)
class Output:
    student: str
    experiment: str
    name: str
    dataset: str  # the checksum of the hidden data it was graded on
    predicted: np.ndarray
    correct: np.ndarray


@dataclass(frozen=True)
class BehaviourMatch:
    experiment: str
    output: str
    a: str
    b: str
    n: int
    accuracy_a: float
    accuracy_b: float
    mistakes_a: int
    mistakes_b: int
    shared: int
    expected: float
    jaccard: float
    agreement: float  # fraction of all items with the same predicted label
    flagged: bool
    explanation: str


def outputs_of(graded: dict[str, dict]) -> tuple[list[Output], list[str]]:
    """Every recorded output, from grading.records.merge()'s {student: {experiment: Graded}}; and notes on
    outputs that could not be read (a damaged record is a note, never a crash)."""
    found, notes = [], []
    for student, experiments in sorted(graded.items()):
        for experiment, g in sorted(experiments.items()):
            checksum = (g.entry.get("dataset") or {}).get("checksum") or ""
            for name, data in sorted((g.entry.get("outputs") or {}).items()):
                try:
                    predicted, correct = outputs_codec.decode(data)
                except (KeyError, TypeError, ValueError) as exc:
                    notes.append(f"{student} {experiment} output {name!r}: not readable ({exc}); left out")
                    continue
                found.append(Output(student, experiment, name, checksum, predicted, correct))
    return found, notes


def compare(a: Output, b: Output) -> BehaviourMatch:
    n = len(a.predicted)
    wrong_a, wrong_b = ~a.correct, ~b.correct
    same = a.predicted == b.predicted
    shared = int((wrong_a & wrong_b & same).sum())
    union = int((wrong_a | wrong_b).sum())
    m_a, m_b = int(wrong_a.sum()), int(wrong_b.sum())
    classes = max(2, int(max(a.predicted.max(initial=0), b.predicted.max(initial=0))) + 1)
    expected = m_a * m_b / max(n, 1) / (classes - 1)
    jaccard = shared / union if union else 0.0
    flagged = max(m_a, m_b) >= MIN_MISTAKES and jaccard >= JACCARD_FLAG
    match = BehaviourMatch(a.experiment, a.name, a.student, b.student, n, 1 - m_a / max(n, 1), 1 - m_b / max(n, 1),
                           m_a, m_b, shared, expected, jaccard, float(same.mean()) if n else 0.0, flagged, "")
    return _explained(match)


def _explained(m: BehaviourMatch) -> BehaviourMatch:
    if max(m.mistakes_a, m.mistakes_b) < MIN_MISTAKES:
        why = (f"too few mistakes to compare ({m.mistakes_a} and {m.mistakes_b} of {m.n}; at least {MIN_MISTAKES} "
               "needed): models that are nearly always right agree by being right")
    else:
        why = (f"{m.shared} shared mistakes (same item, same wrong label) of the {m.mistakes_a} and {m.mistakes_b} "
               f"each made on {m.n} hidden items: {m.jaccard:.0%} of all their mistakes; independent errors at "
               f"these accuracies ({m.accuracy_a:.1%}, {m.accuracy_b:.1%}) would share about {m.expected:.1f}; "
               f"their predictions agree on {m.agreement:.1%} of the items")
        if m.flagged:
            who = "the reference solution's" if REFERENCE in (m.a, m.b) else "each other's"
            why += (f". The outputs repeat {who} mistakes: compare the code side by side; a deterministic textbook "
                    "method gives identical outputs to anyone who implements it, so this is evidence, not a verdict")
    return BehaviourMatch(**{**m.__dict__, "explanation": why[0].upper() + why[1:] + "."})


def behaviour_matches(found: list[Output]) -> list[BehaviourMatch]:
    """Every pair of students (the reference included) per experiment and output, on the same hidden data."""
    groups: dict[tuple[str, str, str, int], list[Output]] = {}
    for o in found:
        groups.setdefault((o.experiment, o.name, o.dataset, len(o.predicted)), []).append(o)
    matches = []
    for group in groups.values():
        for a, b in combinations(sorted(group, key=lambda o: (o.student != REFERENCE, o.student)), 2):
            matches.append(compare(a, b))
    return sorted(matches, key=lambda m: (not m.flagged, -m.jaccard, m.experiment, m.output, m.a, m.b))
