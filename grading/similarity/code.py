"""The code half of the similarity check: which submissions of an experiment share unusually much code.

Every pair of submissions of an experiment is compared, and every submission
with the experiment's reference solution (read as text; never imported).
The comparison is copydetect's winnowed k-gram fingerprints over tokens with
every name replaced by one letter (so renaming changes nothing), after
`normalise` has blanked docstrings, imports and dropped notebook lines, and
with the experiment's shared boilerplate (its public interface) discounted.
Reordering functions changes little: fingerprints are matched wherever they
occur. A flag is evidence for an instructor to look at, never a verdict.

Only code that was graded is compared: a run record names each submission's
file and its sha256, and a file that has changed or gone since is left out
with a note.
"""

from __future__ import annotations

import hashlib
import io
import json
import warnings
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
from copydetect import CodeFingerprint, compare_files

from reference import EXPERIMENTS, SOLUTION, module_path

from .normalise import boilerplate, normalise

REFERENCE = "reference"  # the student name of the reference solution

# k (characters of filtered code per fingerprint) and the winnowing window. Filtered code has no spaces and
# one letter per name, so `model.fit(X, y)` is `V.V(V,V)`: 8 characters, and a whole short statement such as
# `labels = model.fit_predict(X)` is 13. At k = 25 a fingerprint spans two or three statements, so one shared
# idiom never matches alone, while a renamed copy of any function of three or more lines does. A window of 4
# keeps a fingerprint in every 28 characters (k + w - 1), so a copied stretch that long is always seen.
# Measured on tests/fixtures/similarity (highest honest score / the edited copy, the hardest planted one):
# k = 15: 0.21 / 0.88 (exp01 example vs reference: chains like `V=V.V(V,V=V)` match); k = 20: 0.13 / 0.89;
# k = 25: 0.10 / 0.82-0.88; k = 50: 0.00 / 0.74 (an edit now breaks every fingerprint around it).
# Scores move by up to 0.05 between processes: copydetect hashes with Python's salted hash(), and winnowing
# keeps the smallest hash in each window, so which k-grams are kept differs from run to run.
K = 25
WINDOW = 4

# The flag threshold on `score`, from the fixtures' pairs (K = 25, WINDOW = 4, range over 20 processes):
#   planted: renamed copy 1.00, notebook vs .py 1.00, renamed reference 1.00, reordered copy 0.98-1.00,
#            honest submission edited in five places (names, constants, one rewritten line) 0.82-0.88
#   honest:  honest vs reference 0.05-0.09, example vs reference 0.00 (exp06) and 0.04-0.07 (exp01),
#            example vs honest 0.00, any copy vs an unrelated file at most 0.10, interface-only stubs 0.00
# 0.5 leaves 0.32 below the lowest planted score and 0.40 above the highest honest one.
THRESHOLD = 0.5
MAX_REGIONS = 12  # the longest stretches are shown; a copy has a few long ones, not many short ones


@dataclass(frozen=True)
class Source:
    student: str  # submission folder name; "reference" for the reference solution
    experiment: str  # "exp06"
    path: Path
    text: str  # the graded code: a .py file's text, or a notebook's graded cells (see graded_code)


@dataclass(frozen=True)
class Region:
    """One matching stretch, for a side-by-side view."""

    a_lines: tuple[int, int]  # 1-based inclusive line range in a's graded code
    b_lines: tuple[int, int]
    a_text: str
    b_text: str


@dataclass(frozen=True)
class CodeMatch:
    experiment: str
    a: str
    b: str
    score: float  # 0..1, symmetric, what the flag threshold applies to
    a_share: float  # fraction of a's fingerprinted code found in b
    b_share: float
    flagged: bool
    explanation: str  # for an instructor: what matched, how much, and that it is evidence, not a verdict
    regions: tuple[Region, ...]


# --- what was graded ----------------------------------------------------------------------

def graded_code(path: Path, recorded: dict | None = None) -> str:
    """The code that was graded from the file at `path`: a .py file's text, or a notebook's graded cells.

    For a notebook, `recorded` is the record's `source` entry: its `graded_cells` (numbers of code cells,
    from 1) and `dropped_lines` say what the harness ran, and the text is rebuilt exactly as bench/notebook.py
    builds it (dropped lines become `pass  # labmark dropped: ...`, a blank line after each cell), so line
    numbers match what the grading reported. `grading` reads runs only through the record, so the notebook
    rules themselves are not applied here."""
    return _graded_code(path.read_bytes(), path, recorded)


def _graded_code(data: bytes, path: Path, recorded: dict | None) -> str:
    if path.suffix != ".ipynb":
        return data.decode("utf-8", errors="replace")
    graded = (recorded or {}).get("graded_cells")
    if not graded:
        raise ValueError(f"{path.name}: the record does not list the notebook's graded cells")
    dropped = {(d["cell"], d["line"]): d.get("reason", "") for d in (recorded or {}).get("dropped_lines", [])}
    cells = [c for c in json.loads(data).get("cells", []) if c.get("cell_type") == "code"]
    lines: list[str] = []
    for number in graded:
        source = cells[number - 1].get("source", "")
        cell_lines = ("".join(source) if isinstance(source, list) else source).split("\n")
        for i, line in enumerate(cell_lines, start=1):
            if (number, i) in dropped:
                line = f"{line[: len(line) - len(line.lstrip())]}pass  # labmark dropped: {dropped[number, i]}"
            lines.append(line)
        lines.append("")
    return "\n".join(lines)


def sources_from_records(records: list[dict], reference_root: Path | None = None,
                         notes: list[str] | None = None) -> list[Source]:
    """Every graded submission in `records` that is still as it was graded, plus each experiment's reference.

    A later record's entry for a student and experiment replaces an earlier one's (it graded a newer file).
    A submission whose file is gone, unreadable or no longer has the recorded sha256 is left out, with a
    line saying why appended to `notes` (or a warning, without a list). The reference of every experiment
    with a submission is read from `reference_root/<module>/solution.py` (default: this checkout's
    `reference/`); the record's own "reference" entries are not used, so it is never compared with itself."""
    say = notes.append if notes is not None else (lambda line: warnings.warn(line, stacklevel=3))
    entries: dict[tuple[str, str], dict] = {}
    for record in records:
        for student, experiments in record.get("submissions", {}).items():
            if student == REFERENCE:
                continue
            for experiment, entry in experiments.items():
                if entry and entry.get("source"):
                    entries[student, experiment] = entry["source"]
    sources = []
    for (student, experiment), recorded in sorted(entries.items()):
        source = _read_graded(student, experiment, recorded, say)
        if source is not None:
            sources.append(source)
    for experiment in sorted({s.experiment for s in sources}):
        spec = EXPERIMENTS.get(experiment)
        if spec is None:
            say(f"{experiment}: not an experiment of this course, so there is no reference to compare with")
            continue
        path = (reference_root / spec.module / SOLUTION) if reference_root else module_path(spec)
        try:
            sources.append(Source(REFERENCE, experiment, path, path.read_text(encoding="utf-8")))
        except OSError as exc:
            say(f"{experiment}: the reference solution {path} could not be read ({exc.strerror or exc}); "
                "submissions were compared only with each other")
    return sources


def _read_graded(student: str, experiment: str, recorded: dict, say) -> Source | None:
    path = Path(recorded.get("path", ""))
    where = f"{student}/{experiment} ({path.name or 'no path recorded'})"
    try:
        data = path.read_bytes()
    except OSError as exc:
        say(f"{where}: not compared, the graded file is gone or unreadable ({exc.strerror or exc})")
        return None
    if hashlib.sha256(data).hexdigest() != recorded.get("sha256"):
        say(f"{where}: not compared, the file has changed since it was graded (its sha256 differs from the "
            "record's); grade it again to include it")
        return None
    try:
        text = _graded_code(data, path, recorded)
    except (ValueError, KeyError, IndexError, TypeError, AttributeError) as exc:
        say(f"{where}: not compared, its graded code could not be rebuilt ({exc})")
        return None
    return Source(student, experiment, path, text)


# --- comparing ----------------------------------------------------------------------------

def code_matches(sources: list[Source], threshold: float = THRESHOLD) -> list[CodeMatch]:
    """Every pair of sources of the same experiment, most similar first (the reference is never paired
    with itself)."""
    by_experiment: dict[str, list[Source]] = {}
    for source in sources:
        by_experiment.setdefault(source.experiment, []).append(source)
    matches = []
    for experiment, group in sorted(by_experiment.items()):
        prints = [_fingerprint(s) for s in group]
        for i in range(len(group)):
            for j in range(i + 1, len(group)):
                if group[i].student == group[j].student:
                    continue
                matches.append(_compare(group[i], group[j], prints[i], prints[j], threshold))
    return sorted(matches, key=lambda m: (-m.score, m.experiment, m.a, m.b))


@lru_cache(maxsize=None)
def _boilerplate_hashes(experiment: str) -> np.ndarray:
    """Every k-gram hash of the experiment's boilerplate (window 1, as copydetect's own detector does)."""
    if experiment not in EXPERIMENTS:
        return np.array([], dtype=np.int64)
    hashes = [CodeFingerprint("boilerplate.py", K, 1, filter=True, language="python", fp=io.StringIO(text)).hashes
              for text in boilerplate(experiment)]
    return np.unique(np.array([h for group in hashes for h in group], dtype=np.int64))


def _fingerprint(source: Source) -> CodeFingerprint:
    # copydetect drops boilerplate with np.intersect1d(assume_unique=True) over hashes that may repeat, which
    # also drops one place of a k-gram that occurs twice; the hash itself stays, so shares barely move.
    return CodeFingerprint(source.path.name, K, WINDOW, boilerplate=_boilerplate_hashes(source.experiment),
                           filter=True, language="python", fp=io.StringIO(normalise(source.text)))


def _compare(a: Source, b: Source, fa: CodeFingerprint, fb: CodeFingerprint, threshold: float) -> CodeMatch:
    _, (a_share, b_share), (a_slices, _) = compare_files(fa, fb)
    a_share, b_share = float(min(a_share, 1.0)), float(min(b_share, 1.0))
    # The larger share: a copy padded with code of one's own (or a copy of a part) still shows in full.
    score = max(a_share, b_share)
    regions = _regions(a, b, fa, fb, a_slices)
    flagged = score >= threshold
    return CodeMatch(a.experiment, a.student, b.student, round(score, 4), round(a_share, 4), round(b_share, 4),
                     flagged, _explain(a, b, a_share, b_share, regions, flagged), regions)


def _explain(a: Source, b: Source, a_share: float, b_share: float, regions: tuple[Region, ...],
             flagged: bool) -> str:
    if not regions:
        return (f"{a.experiment}: {a.student} and {b.student} share no code beyond the experiment's interface "
                "and common idioms.")
    where = ", ".join(f"{a.student} lines {r.a_lines[0]}-{r.a_lines[1]} ~ {b.student} lines "
                      f"{r.b_lines[0]}-{r.b_lines[1]}" for r in regions[:3])
    more = f" and {len(regions) - 3} more" if len(regions) > 3 else ""
    verdict = ("Worth a look by an instructor: this is evidence of shared code, not a verdict."
               if flagged else "Below the flag threshold: shared idioms, not evidence of copying.")
    return (f"{a.experiment}: {a_share:.0%} of {a.student}'s code (names, comments, docstrings and imports "
            f"ignored) is also in {b.student}'s, and {b_share:.0%} of {b.student}'s in {a.student}'s, in "
            f"{len(regions)} stretch{'es' if len(regions) != 1 else ''} ({where}{more}). {verdict}")


# --- where they match ---------------------------------------------------------------------

def _raw(fp: CodeFingerprint, positions: np.ndarray) -> np.ndarray:
    """Positions in the filtered code as positions in the text, the way compare_files maps its slices."""
    positions = np.asarray(positions, dtype=np.int64)
    if len(fp.offsets) == 0:
        return positions
    at = np.clip(np.searchsorted(fp.offsets[:, 0], positions), 0, fp.offsets.shape[0] - 1)
    return positions + fp.offsets[:, 1][at]


def _regions(a: Source, b: Source, fa: CodeFingerprint, fb: CodeFingerprint, a_slices) -> tuple[Region, ...]:
    """compare_files' copied slices of `a`, each paired with the stretch of `b` its fingerprints come from.

    compare_files gives each side's slices on their own. Within a slice of `a` the shared fingerprints are
    followed in order; where their places in `b` jump (a reordered copy), the slice is split, and each piece
    is paired with the stretch of `b` it matches. Pieces that follow on in both files are merged again, and
    only the MAX_REGIONS longest are kept."""
    if len(a_slices) == 0 or len(a_slices[0]) == 0:
        return ()
    in_b: dict[int, list[int]] = {}  # a fingerprint's place in a's filtered code -> its places in b's
    for h in fa.hashes & fb.hashes:
        for pa in fa.hash_idx[h]:
            in_b.setdefault(int(pa), []).extend(int(pb) for pb in fb.hash_idx[h])
    starts = _raw(fa, sorted(in_b))
    spans = []
    for a_start, a_end in zip(*a_slices):
        inside = [pa for pa, raw in zip(sorted(in_b), starts) if a_start <= raw < a_end]
        runs = _runs(inside, in_b, fa.k)
        if len(runs) > 1:  # a piece under 2k long beside longer ones is a header or idiom that also occurs
            runs = [r for r in runs if r[-1][0] - r[0][0] + fa.k >= 2 * fa.k] or runs  # elsewhere in b
        for run in runs:
            (pa0, pb0), (pa1, pb1) = run[0], run[-1]
            ra = _raw(fa, [pa0, pa1 + fa.k - 1])
            rb = _raw(fb, [pb0, pb1 + fb.k - 1])
            spans.append((_lines(a.text, int(ra[0]), int(ra[1]) + 1), _lines(b.text, int(rb[0]), int(rb[1]) + 1)))
    spans = _merge(sorted(spans))
    kept = sorted(spans, key=lambda s: -(s[0][1] - s[0][0] + s[1][1] - s[1][0]))[:MAX_REGIONS]
    return tuple(Region(la, lb, _text(a.text, la), _text(b.text, lb)) for la, lb in sorted(kept))


def _runs(positions: list[int], in_b: dict[int, list[int]], k: int) -> list[list[tuple[int, int]]]:
    """Split fingerprints of `a` (in order) into runs whose places in `b` advance with them.

    A fingerprint continues a run when it lies within k characters of the previous one in both files and
    `b` moved about as far as `a` did. A k-gram can occur more than once in `b` (every detector starting
    with the same `x = np.asarray(series, ...)`), so a run starts at the place in `b` that continues longest."""
    runs: list[list[tuple[int, int]]] = []
    i = 0
    while i < len(positions):
        run = max((_extend(positions, i, pb, in_b, k) for pb in in_b[positions[i]]), key=len)
        runs.append(run)
        i += len(run)
    return runs


def _extend(positions: list[int], i: int, pb: int, in_b: dict[int, list[int]], k: int) -> list[tuple[int, int]]:
    run = [(positions[i], pb)]
    for pa in positions[i + 1:]:
        last_a, last_b = run[-1]
        step = pa - last_a
        follow = [q for q in in_b[pa] if step <= k and abs((q - last_b) - step) <= k]
        if not follow:
            break
        run.append((pa, min(follow, key=lambda q: abs(q - last_b - step))))
    return run


def _lines(text: str, start: int, end: int) -> tuple[int, int]:
    """The 1-based lines a character range covers, without blank lines at either end."""
    first = text.count("\n", 0, start) + 1
    last = text.count("\n", 0, max(end - 1, start)) + 1
    lines = text.split("\n")
    while first < last and not lines[last - 1].strip():
        last -= 1
    while first < last and not lines[first - 1].strip():
        first += 1
    return first, last


def _merge(spans: list[tuple[tuple[int, int], tuple[int, int]]]) -> list:
    """Join stretches that overlap or follow on (at most one line apart) in both files."""
    merged: list = []
    for la, lb in spans:
        if merged:
            (pa0, pa1), (pb0, pb1) = merged[-1]
            if la[0] <= pa1 + 2 and pb0 - 2 <= lb[0] <= pb1 + 2:
                merged[-1] = ((pa0, max(pa1, la[1])), (min(pb0, lb[0]), max(pb1, lb[1])))
                continue
        merged.append((la, lb))
    return merged


def _text(text: str, lines: tuple[int, int]) -> str:
    return "\n".join(text.split("\n")[lines[0] - 1: lines[1]])
