"""The README's main job, checked: the reference passes everything; the example loses marks exactly
where its flaws are, with messages that say why; the run writes a record and the reports."""

from __future__ import annotations

import pytest

from conftest import checks_of, run_bench

pytestmark = pytest.mark.e2e  # whole bench sessions: not in the fast tier
from reference import EXPERIMENTS


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    out = tmp_path_factory.mktemp("main")
    proc, record = run_bench(out, "--submission=reference", "--submission=example", "--quick", "--seed", "3",
                             "--no-fail-on-marks", f"--report={out / 'report'}")
    return proc, record, out / "report"


def test_the_run_exits_zero_and_writes_the_reports(run):
    proc, _, report = run
    assert proc.returncode == 0, proc.stdout[-3000:]
    assert {p.name for p in report.iterdir()} >= {"class.html", "example.html", "reference.html", "gradebook.csv"}


@pytest.mark.parametrize("experiment", list(EXPERIMENTS))
def test_the_reference_passes_every_check(run, experiment):
    checks = checks_of(run[1], "reference", experiment)
    assert checks and all(c["status"] == "pass" for c in checks.values()), \
        {n: c["message"] for n, c in checks.items() if c["status"] != "pass"}


def test_the_example_loses_marks_where_its_flaws_are(run):
    exp06 = checks_of(run[1], "example", "exp06")
    # A global z-score on raw values: blind to contextual anomalies, and the diagnosis says so.
    assert exp06["detector_f1[zscore]"]["status"] == "fail"
    assert "misses contextual anomalies (recall 0%)" in exp06["detector_f1[zscore]"]["message"]
    # An Isolation Forest on the raw value: contextual anomalies missed, and no credit, as its F1 (0.475 on the
    # tests' key) is below what flagging the top 3% of raw values with no model scores (the floor, 0.66).
    forest = exp06["detector_f1[isolation_forest]"]
    assert forest["status"] == "fail" and forest["score"] == 0 and "contextual" in forest["message"]
    # A One-Class SVM with nu three times the anomaly share: a precision problem.
    assert "false alarms" in exp06["detector_f1[one_class_svm]"]["message"]
    assert exp06["interface"]["status"] == "pass"

    exp01 = checks_of(run[1], "example", "exp01")
    # The LSTM trained for five short epochs: clearly below target, and the hint says why.
    rnn = exp01["accuracy[rnn]"]
    assert rnn["status"] == "fail" and rnn["score"] < 0.7 and "trained too briefly" in rnn["message"]
    # The Keras CNN and the PyTorch RNN both pass the architecture checks through one interface.
    assert exp01["architecture[cnn]"]["message"] == "has a convolution layer: Conv2D"
    assert exp01["architecture[rnn]"]["message"] == "has a recurrent layer: LSTM"
    # The notebook's shell line was dropped and recorded.
    dropped = run[1]["submissions"]["example"]["exp01"]["source"]["dropped_lines"]
    assert [d["text"] for d in dropped] == ["!nvidia-smi"]
