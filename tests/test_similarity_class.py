"""A class with planted copies, graded for real: `python -m grading similarity` flags every copy (by its code and
by its mistakes on the hidden data) and no honest pair, and the class report shows the same pairs."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest

from conftest import REPO, run_bench

pytestmark = pytest.mark.e2e  # a whole bench session: not in the fast tier

FIXTURES = REPO / "tests" / "fixtures" / "similarity"
PLANTED = ("renamed", "notebook", "refcopy")  # a renamed copy and a notebook of the example; the reference renamed
HONEST = ("honest",)  # written independently of the example and of the reference
COPIES_OF_EXAMPLE = {("example", "renamed"), ("example", "notebook"), ("notebook", "renamed")}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("similarity")
    subs = tmp / "subs"
    shutil.copytree(REPO / "submissions" / "example", subs / "example")
    for name in PLANTED + HONEST:
        shutil.copytree(FIXTURES / name, subs / name)
    proc, record = run_bench(tmp, "--submissions-dir", str(subs), "--submission", "reference", "--submission", "all",
                             "-k", "exp06", "-m", "not speed", "--quick", "--no-fail-on-marks",
                             f"--report={tmp / 'report'}")
    assert proc.returncode == 0, proc.stdout[-3000:]
    out = subprocess.run([sys.executable, "-m", "grading", "similarity", str(tmp / "record.json"), "--json",
                          str(tmp / "similarity.json")], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    return record, json.loads((tmp / "similarity.json").read_text()), out.stdout, tmp / "report"


def _pairs(similarity: dict) -> dict[tuple[str, str], dict]:
    return {tuple(sorted((p["a"], p["b"]))): p for p in similarity["pairs"]}


def test_every_planted_copy_is_flagged_by_its_code(graded):
    pairs = _pairs(graded[1])
    for pair in COPIES_OF_EXAMPLE | {("refcopy", "reference")}:
        assert pairs[pair]["flagged"] and pairs[pair]["code"]["flagged"], (pair, pairs[pair]["why"])
        assert pairs[pair]["code"]["regions"], pair  # the matching lines are shown


def test_copies_are_flagged_by_their_mistakes_too(graded):
    """exp06's detectors are deterministic: a copy makes exactly the same mistakes on the hidden series."""
    pairs = _pairs(graded[1])
    for pair in COPIES_OF_EXAMPLE | {("refcopy", "reference")}:
        flagged = [m for m in pairs[pair]["behaviour"] if m["flagged"]]
        assert flagged and all(m["jaccard"] >= 0.85 for m in flagged), (pair, pairs[pair]["behaviour"])


def test_no_honest_pair_is_flagged(graded):
    pairs = _pairs(graded[1])
    flagged = {pair for pair, p in pairs.items() if p["flagged"]}
    copies = COPIES_OF_EXAMPLE | {("refcopy", "reference")}
    assert flagged == copies, {pair: pairs[pair]["why"] for pair in flagged ^ copies}
    honest = pairs[("example", "honest")]
    assert honest["behaviour"] and honest["code"] is not None  # compared on both, and not flagged


def test_the_record_keeps_outputs_and_the_class_report_shows_the_flags(graded):
    record, similarity, text, report = graded
    outputs = record["submissions"]["honest"]["exp06"]["outputs"]
    assert set(outputs) == {"zscore", "isolation_forest", "one_class_svm"}
    assert f"{similarity['flagged']} flagged of {len(similarity['pairs'])} compared pairs" in text
    page = (report / "class.html").read_text()
    section = page[page.index('<h2 id="similarity">'):]
    assert section.count("<td>exp06</td>") == similarity["flagged"] == 4
    assert "notebook ~ renamed" in section and "example ~ renamed" in section and "reference ~ refcopy" in section
    assert "Similarity" not in (report / "example.html").read_text()  # never on a student's page
