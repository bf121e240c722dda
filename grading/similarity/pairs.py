"""Code and behaviour evidence joined per pair of submissions: what the instructor reads.

For each experiment, every pair of students (and each student against the reference solution) gets the
code comparison (grading/similarity/code.py) and the comparison of their outputs on the hidden items
(grading/similarity/behaviour.py). A pair is flagged when either says so; the flag carries both
explanations and the matching code regions. Flags are evidence for the instructor: nothing here changes a
mark, and no student report shows it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path

from ..records import merge
from .behaviour import MIN_MISTAKES, REFERENCE, BehaviourMatch, behaviour_matches, outputs_of
from .code import CodeMatch, code_matches, sources_from_records

SCHEMA = "labmark.similarity/1"


@dataclass(frozen=True)
class Pair:
    experiment: str
    a: str  # the reference first, then by name
    b: str
    code: CodeMatch | None
    behaviour: tuple[BehaviourMatch, ...]

    @property
    def flagged(self) -> bool:
        return bool(self.code and self.code.flagged) or any(m.flagged for m in self.behaviour)

    @property
    def why(self) -> list[str]:
        """What flagged it, one phrase per kind of evidence."""
        out = []
        if self.code and self.code.flagged:
            out.append(f"code {self.code.score:.0%} alike")
        out += [f"{m.output}: {m.jaccard:.0%} of mistakes shared" for m in self.behaviour if m.flagged]
        return out

    @property
    def score(self) -> float:
        """The strongest evidence, 0..1: the code score or the largest share of mistakes repeated."""
        return max([self.code.score if self.code else 0.0]
                   + [m.jaccard for m in self.behaviour if max(m.mistakes_a, m.mistakes_b) >= MIN_MISTAKES])


@dataclass(frozen=True)
class Similarity:
    pairs: tuple[Pair, ...]  # flagged first, strongest evidence first
    notes: tuple[str, ...]  # what could not be compared, and why

    @property
    def flagged(self) -> list[Pair]:
        return [p for p in self.pairs if p.flagged]


def _key(experiment: str, a: str, b: str) -> tuple[str, str, str]:
    first, second = sorted((a, b), key=lambda s: (s != REFERENCE, s))
    return experiment, first, second


def analyse(records: list[dict], reference_root: Path | None = None) -> Similarity:
    """Compare every submission in these run records (the newest entry per student and experiment)."""
    notes: list[str] = []
    by_age = sorted(records, key=lambda r: r.get("finished") or "")
    code = {_key(m.experiment, m.a, m.b): m for m in code_matches(sources_from_records(by_age, reference_root, notes))}
    found, unreadable = outputs_of(merge(by_age))
    notes += unreadable
    behaviour: dict[tuple[str, str, str], list[BehaviourMatch]] = {}
    for m in behaviour_matches(found):
        behaviour.setdefault(_key(m.experiment, m.a, m.b), []).append(m)
    pairs = []
    for key in sorted(set(code) | set(behaviour)):
        matches = sorted(behaviour.get(key, []), key=lambda m: m.output)
        pairs.append(Pair(*key, code.get(key), tuple(_oriented(m, key) for m in matches)))
    pairs.sort(key=lambda p: (not p.flagged, -p.score, p.experiment, p.a, p.b))
    return Similarity(tuple(pairs), tuple(notes))


def _oriented(m: BehaviourMatch, key: tuple[str, str, str]) -> BehaviourMatch:
    """The match with a and b in the pair's order (figures swapped with them)."""
    if m.a == key[1]:
        return m
    return BehaviourMatch(**{**asdict(m), "a": m.b, "b": m.a, "accuracy_a": m.accuracy_b, "accuracy_b": m.accuracy_a,
                             "mistakes_a": m.mistakes_b, "mistakes_b": m.mistakes_a})


def to_json(similarity: Similarity) -> dict:
    def pair(p: Pair) -> dict:
        return {"experiment": p.experiment, "a": p.a, "b": p.b, "flagged": p.flagged, "why": p.why,
                "score": round(p.score, 4), "code": asdict(p.code) if p.code else None,
                "behaviour": [asdict(m) for m in p.behaviour]}
    return {"schema": SCHEMA, "flagged": sum(p.flagged for p in similarity.pairs),
            "pairs": [pair(p) for p in similarity.pairs], "notes": list(similarity.notes)}


def as_text(similarity: Similarity, everything: bool = False, regions: int = 3) -> str:
    """A terminal summary: each flagged pair (every pair with `everything`), its evidence and the longest
    matching code regions side by side."""
    shown = similarity.pairs if everything else similarity.flagged
    lines = [f"{len(similarity.flagged)} flagged of {len(similarity.pairs)} compared pairs "
             "(evidence for the instructor, not a verdict)"]
    for p in shown:
        lines += ["", f"{p.experiment}  {p.a} ~ {p.b}: " + ("; ".join(p.why) if p.flagged else "not flagged")]
        if p.code:
            lines.append(f"  code: {p.code.explanation}")
        lines += [f"  outputs ({m.output}): {m.explanation}" for m in p.behaviour]
        for r in (p.code.regions[:regions] if p.code and p.code.flagged else ()):
            lines.append(f"  --- {p.a} lines {r.a_lines[0]}-{r.a_lines[1]}  |  {p.b} lines {r.b_lines[0]}-{r.b_lines[1]}")
            lines += _side_by_side(r.a_text, r.b_text)
    lines += [f"note: {n}" for n in similarity.notes]
    return "\n".join(lines) + "\n"


def _side_by_side(left: str, right: str, width: int = 60, limit: int = 12) -> list[str]:
    a, b = left.splitlines()[:limit], right.splitlines()[:limit]
    rows = max(len(a), len(b))
    a, b = a + [""] * (rows - len(a)), b + [""] * (rows - len(b))
    return [f"  {x[:width]:<{width}} | {y[:width]}" for x, y in zip(a, b)]
