"""The code half of the similarity check, on planted copies and honest pairs (tests/fixtures/similarity).

Planted: the exp06 example renamed, reordered, as a notebook, edited in a few places (from the honest
one), and the exp06 reference renamed. Honest: the example, an independently written exp06 and the
reference. Records are small dicts pointing at the fixture files, as a run would have written them.
"""

from __future__ import annotations

import hashlib
import importlib.util
import inspect
import itertools
import shutil
from pathlib import Path

import pytest

from bench.notebook import extract
from conftest import REPO
from grading.similarity.code import (REFERENCE, THRESHOLD, Source, code_matches, graded_code,
                                     sources_from_records)
from reference import EXPERIMENTS

FIXTURES = REPO / "tests" / "fixtures" / "similarity"
EXAMPLE = REPO / "submissions" / "example" / "exp06_anomaly.py"
FILES = {
    "example": EXAMPLE,
    "renamed": FIXTURES / "renamed" / "exp06_anomaly.py",
    "reordered": FIXTURES / "reordered" / "exp06_anomaly.py",
    "notebook": FIXTURES / "notebook" / "exp06_anomaly.ipynb",
    "edited": FIXTURES / "edited" / "exp06_anomaly.py",
    "honest": FIXTURES / "honest" / "exp06_anomaly.py",
    "refcopy": FIXTURES / "refcopy" / "exp06_anomaly.py",
}
# What bench/notebook.py reports for the fixture notebook (checked against it below).
NOTEBOOK_SOURCE = {"graded_cells": [3, 4, 5, 6],
                   "dropped_lines": [{"cell": 3, "line": 1, "text": "!pip install -q numpy", "reason": "shell command"},
                                     {"cell": 6, "line": 1, "text": "%%time", "reason": "IPython magic"}]}
COPIES_OF_EXAMPLE = {"example", "renamed", "reordered", "notebook"}
PLANTED = ({frozenset(p) for p in itertools.combinations(COPIES_OF_EXAMPLE, 2)}
           | {frozenset({"honest", "edited"}), frozenset({"refcopy", REFERENCE})})


def source_entry(path: Path) -> dict:
    entry = {"path": str(path), "kind": path.suffix[1:], "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
             "dropped_lines": [], "submitted": None}
    if path.suffix == ".ipynb":
        entry.update(NOTEBOOK_SOURCE)
    return entry


def record(files: dict[str, Path], experiment: str = "exp06") -> dict:
    return {"schema": "labmark.run/1",
            "submissions": {student: {experiment: {"source": source_entry(path)}} for student, path in files.items()}}


@pytest.fixture(scope="module")
def matches():
    notes: list[str] = []
    sources = sources_from_records([record(FILES)], None, notes)
    assert notes == []
    return {frozenset({m.a, m.b}): m for m in code_matches(sources)}


def test_every_pair_and_the_reference_is_compared_once(matches):
    students = set(FILES) | {REFERENCE}
    assert set(matches) == {frozenset(p) for p in itertools.combinations(students, 2)}


@pytest.mark.parametrize("pair", sorted(sorted(p) for p in PLANTED))
def test_planted_copies_are_flagged(matches, pair):
    match = matches[frozenset(pair)]
    assert match.flagged and match.score >= THRESHOLD + 0.2, (pair, match.score)
    assert match.regions and "evidence" in match.explanation and "not a verdict" in match.explanation


def test_honest_pairs_are_not_flagged(matches):
    honest = {pair: m.score for pair, m in matches.items() if pair not in PLANTED}
    assert {frozenset({"example", "honest"}), frozenset({"example", REFERENCE}),
            frozenset({"honest", REFERENCE})} <= set(honest)
    flagged = [sorted(p) for p, score in honest.items() if matches[p].flagged or score > THRESHOLD - 0.25]
    assert not flagged, flagged


def test_scores_are_symmetric_shares_in_range(matches):
    for m in matches.values():
        assert 0 <= m.a_share <= 1 and 0 <= m.b_share <= 1
        assert m.score == pytest.approx(max(m.a_share, m.b_share), abs=1e-4)


def _functions_in(text: str) -> set[str]:
    return {f.name for f in EXPERIMENTS["exp06"].interface if f"def {f.name}(" in text}


def test_regions_of_the_renamed_copy_point_at_the_matching_lines(matches):
    match = matches[frozenset({"example", "renamed"})]
    a, b = (match.a, match.b)
    texts = {s: FILES[s].read_text().split("\n") for s in (a, b)}
    for region in match.regions:
        assert region.a_text == "\n".join(texts[a][region.a_lines[0] - 1: region.a_lines[1]])
        assert region.b_text == "\n".join(texts[b][region.b_lines[0] - 1: region.b_lines[1]])
        assert _functions_in(region.a_text) == _functions_in(region.b_text)
    # every detector's body in both files is inside some region
    for student in (a, b):
        lines = texts[student]
        covered = {n for r in match.regions for n in range(*(r.a_lines if student == a else r.b_lines))}
        for f in EXPERIMENTS["exp06"].interface:
            header = next(i for i, line in enumerate(lines, start=1) if line.startswith(f"def {f.name}("))
            assert {header, header + 3} <= covered, (student, f.name)


def _enclosing(path: Path, line: int) -> str:
    """The top-level block (a function's name, or __main__) that a line of the file belongs to."""
    for text in reversed(path.read_text().split("\n")[:line]):
        if text.startswith("def "):
            return text[4:].split("(")[0]
        if text.startswith("if __name__"):
            return "__main__"
    return ""


def _blocks(path: Path, lines: tuple[int, int]) -> set[str]:
    """The blocks holding at least two non-blank lines of a range."""
    text = path.read_text().split("\n")
    blocks = [_enclosing(path, n) for n in range(lines[0], lines[1] + 1) if text[n - 1].strip()]
    return {b for b in blocks if blocks.count(b) >= 2}


def test_regions_of_the_reordered_copy_pair_each_function_with_itself(matches):
    match = matches[frozenset({"example", "reordered"})]
    files = {"a": FILES[match.a], "b": FILES[match.b]}
    assert len(match.regions) >= 2  # the functions moved, so the match comes in pieces
    for region in match.regions:  # the same blocks on both sides (a k-gram may reach one line over an edge)
        assert _blocks(files["a"], region.a_lines) == _blocks(files["b"], region.b_lines), region
    covered = {_enclosing(files["a"], n) for r in match.regions for n in range(r.a_lines[0], r.a_lines[1] + 1)}
    assert covered >= _functions_in(EXAMPLE.read_text()) | {"__main__"}


def test_a_notebooks_graded_code_is_what_bench_extracts():
    assert NOTEBOOK_SOURCE["graded_cells"] == extract(FILES["notebook"]).graded_cells  # the fake records' cells
    for path in (FILES["notebook"], REPO / "submissions" / "example" / "exp01_cnn_rnn.ipynb"):
        expected = extract(path)
        recorded = {"graded_cells": expected.graded_cells, "dropped_lines": expected.dropped}  # as a record has them
        assert graded_code(path, recorded) == expected.source
    assert graded_code(EXAMPLE) == EXAMPLE.read_text()
    with pytest.raises(ValueError, match="graded cells"):
        graded_code(FILES["notebook"])


def test_a_file_changed_since_grading_is_skipped_with_a_note(tmp_path):
    changed = tmp_path / "changed" / "exp06_anomaly.py"
    changed.parent.mkdir()
    shutil.copy(FILES["renamed"], changed)
    gone = tmp_path / "gone.py"
    shutil.copy(FILES["reordered"], gone)
    old = record({"changed": changed, "example": EXAMPLE, "gone": gone})
    gone.unlink()
    changed.write_text(changed.read_text() + "\n# edited after grading\n")
    notes: list[str] = []
    sources = sources_from_records([old], None, notes)
    assert sorted(s.student for s in sources) == ["example", REFERENCE]
    assert any("changed/exp06" in n and "sha256" in n for n in notes), notes
    assert any("gone/exp06" in n and "gone" in n for n in notes), notes
    assert not any(m.flagged for m in code_matches(sources))


def test_gone_file_in_a_record(tmp_path):
    """A record entry for a file that is not there (the student deleted it) is a note, never an error."""
    rec = {"submissions": {"someone": {"exp06": {"source": {"path": str(tmp_path / "x.py"), "sha256": "0" * 64}}}}}
    notes: list[str] = []
    assert sources_from_records([rec], None, notes) == []
    assert len(notes) == 1 and "someone/exp06" in notes[0]


def test_the_reference_is_added_once_and_never_compared_with_itself(tmp_path):
    rec = record({"example": EXAMPLE})
    rec["submissions"][REFERENCE] = {"exp06": {"source": source_entry(REPO / "reference" / "exp06_anomaly" /
                                                                      "solution.py")}}
    sources = sources_from_records([rec, record({"honest": FILES["honest"]})], None, [])
    assert sorted(s.student for s in sources) == ["example", "honest", REFERENCE]
    pairs = {frozenset({m.a, m.b}) for m in code_matches(sources)}
    assert pairs == {frozenset({"example", "honest"}), frozenset({"example", REFERENCE}),
                     frozenset({"honest", REFERENCE})}
    # a reference_root elsewhere is read from there
    root = tmp_path / "ref"
    (root / "exp06_anomaly").mkdir(parents=True)
    shutil.copy(FILES["refcopy"], root / "exp06_anomaly" / "solution.py")
    sources = sources_from_records([rec], root, [])
    assert [s.path for s in sources if s.student == REFERENCE] == [root / "exp06_anomaly" / "solution.py"]


def test_interface_stubs_alone_are_not_flagged():
    a, b = (Source(name, "exp06", FIXTURES / name / "exp06_anomaly.py",
                   (FIXTURES / name / "exp06_anomaly.py").read_text()) for name in ("stubs_a", "stubs_b"))
    [match] = code_matches([a, b])
    assert not match.flagged and match.score < 0.1 and match.regions == ()
    # the interface is what keeps them apart: under an experiment with no public part they match in full
    [bare] = code_matches([Source(s.student, "exp99", s.path, s.text) for s in (a, b)])
    assert bare.flagged and bare.score > 0.9


def test_short_shared_idioms_do_not_flag():
    body = ("import numpy as np\nfrom sklearn.ensemble import IsolationForest\n\n"
            "def isolation_forest_detector(series, period, seed):\n{}\n")
    a = body.format("    X = np.asarray(series).reshape(-1, 1)\n    model = IsolationForest(random_state=seed)\n"
                    "    return model.fit_predict(X) == -1")
    b = body.format("    values = np.asarray(series, dtype=float)\n    values = (values - values.mean()) / values.std()\n"
                    "    forest = IsolationForest(n_estimators=300, random_state=seed).fit(values[:, None])\n"
                    "    return forest.predict(values[:, None]) == -1")
    [match] = code_matches([Source("a", "exp06", Path("a.py"), a), Source("b", "exp06", Path("b.py"), b)])
    assert not match.flagged, match


def test_the_honest_submission_implements_the_interface():
    spec = importlib.util.spec_from_file_location("honest_exp06", FILES["honest"])
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for function in EXPERIMENTS["exp06"].interface:
        params = list(inspect.signature(getattr(module, function.name)).parameters)
        assert params == list(function.params), function.name


@pytest.mark.parametrize("text", ["", "x = 1\n", '"""Only a docstring."""\n'])
def test_empty_or_tiny_code_is_never_flagged(text):
    [match] = code_matches([Source(s, "exp06", Path(f"{s}.py"), text) for s in ("a", "b")])
    assert match.score == 0 and not match.flagged and match.regions == ()


def test_code_that_does_not_parse_is_still_compared():
    text = FILES["renamed"].read_text().replace("def zscore_detector(series, period):", "def zscore_detector(:")
    [match] = code_matches([Source("a", "exp06", Path("a.py"), text),
                            Source("b", "exp06", EXAMPLE, EXAMPLE.read_text())])
    assert match.flagged
