"""Targets: partial credit between floor and target, and which target a run is graded against."""

from __future__ import annotations

import re

import pytest

from bench.check import Check, CheckFailed
from bench.record import Entry
from reference import EXPERIMENTS
from reference.spec import PROVISIONAL, BudgetSpec, Experiment, Target


def _target(**kw) -> Target:
    return Target(**{"metric": "bleu", "floor": 10.0, "target": 50.0, "variant": "embedded", "source": "test",
                     **kw})


def _experiment(*targets: Target) -> Experiment:
    return Experiment(id="exp99", module="exp99_test", title="t", aim="a", interface=(), targets=targets,
                      graded_metrics=("bleu",), budget=BudgetSpec(train_seconds=1, quick_train_seconds=1))


@pytest.mark.parametrize("value, credit", [(5, 0.0), (10, 0.0), (30, 0.5), (50, 1.0), (90, 1.0)])
def test_credit_is_linear_between_floor_and_target(value, credit):
    assert _target().credit(value) == pytest.approx(credit)


def test_lower_is_better_reverses_the_scale():
    fid = _target(floor=300.0, target=100.0, higher_is_better=False)
    assert (fid.credit(50), fid.credit(200), fid.credit(400)) == (1.0, 0.5, 0.0)


def test_quick_runs_use_the_quick_budgets_target_and_full_runs_never_do():
    full, quick = _target(), _target(target=20.0, floor=5.0, budget="quick")
    both = _experiment(full, quick)
    assert both.target("bleu", "embedded") is full
    assert both.target("bleu", "embedded", quick=True) is quick
    assert _experiment(full).target("bleu", "embedded", quick=True) is full  # no quick target: the one there is
    assert _experiment(quick).target("bleu", "embedded") is None  # a quick target never grades a full run
    assert both.target("bleu", "real", quick=True) is None


def test_every_registered_target_names_a_graded_metric_and_says_where_it_came_from():
    for spec in EXPERIMENTS.values():
        for t in spec.targets:
            assert t.metric in spec.graded_metrics, (spec.id, t.metric)
            assert t.budget in ("", "quick"), (spec.id, t)
            assert (t.floor < t.target) == t.higher_is_better, (spec.id, t)
            if t.provisional:
                assert t.source.startswith(PROVISIONAL) and "lab manual" in t.source, (
                    f"{spec.id} {t.metric}: a provisional target must say it is a lab manual figure "
                    f"(source starting {PROVISIONAL!r}); its source is {t.source!r}. Build it with "
                    "Target.from_lab_manual.")
                assert t.variant != "embedded", (
                    f"{spec.id} {t.metric}: a lab manual figure graded the embedded data, which the manual never "
                    "used; measure that variant with `python -m bench.calibrate` instead.")
            else:
                assert re.search(r"reference, seeds \d+(,\d+)*, ", t.source), (
                    f"{spec.id} {t.metric} ({t.variant}): a measured target must name the seeds it was measured "
                    f"on ('reference, seeds 0,1,2, ...', as bench.calibrate writes it); its source is {t.source!r}")


def test_a_provisional_target_is_the_lab_manual_figure_with_half_of_it_as_floor():
    t = Target.from_lab_manual("bleu", 11.04, "real", "Experiment 5: BLEU on opus_books")
    assert (t.floor, t.target, t.provisional, t.budget) == (5.52, 11.04, True, "")
    assert t.source.startswith("provisional: lab manual figure 11.04 (Experiment 5: BLEU on opus_books)")
    assert t.provenance == PROVISIONAL and _target().provenance == "measured from the reference"
    assert Target.from_lab_manual("accuracy", 0.984, "real", "x").floor == 0.49  # rounded down, as calibrate's


def test_a_measured_target_replaces_the_lab_manuals_figure_for_the_same_data():
    manual = Target.from_lab_manual("bleu", 11.04, "real", "Experiment 5")
    measured = _target(variant="real", target=14.0, floor=7.0)
    assert _experiment(manual, measured).target("bleu", "real") is measured
    assert _experiment(measured, manual).target("bleu", "real") is measured
    assert _experiment(manual).target("bleu", "real", quick=True) is manual  # any budget, like a budget-less one
    quick = _target(variant="real", budget="quick")
    assert _experiment(manual, quick).target("bleu", "real", quick=True) is quick
    assert _experiment(manual, quick).target("bleu", "real") is manual


@pytest.mark.parametrize("experiment, metric, figure", [
    ("exp01", "accuracy_cnn", 0.984), ("exp01", "accuracy_rnn", 0.969),
    ("exp03", "accuracy_linear_svm", 0.878), ("exp03", "accuracy_mlp", 0.877), ("exp05", "bleu", 11.04)])
def test_real_data_that_cannot_be_obtained_here_is_graded_against_the_lab_manuals_results(experiment, metric, figure):
    t = EXPERIMENTS[experiment].target(metric, "real")
    assert t is not None and t.provisional and t.target == figure, (
        f"{experiment} {metric} on real data: expected the lab manual's {figure} as a provisional target, found {t}")


def test_a_provisional_grade_names_its_provenance_in_the_record_and_the_message():
    entry = Entry()
    check = Check("accuracy", "s", "exp99", entry)
    with pytest.raises(CheckFailed, match=r"below the target 0\.984 \(provisional: lab manual figure\)"):
        check.judge("accuracy_cnn", 0.9, Target.from_lab_manual("accuracy_cnn", 0.984, "real", "Experiment 1"))
    recorded = check.evidence["targets"]["accuracy_cnn"]
    assert recorded["provisional"] is True and recorded["provenance"] == PROVISIONAL
    assert recorded["source"].startswith(PROVISIONAL)
    measured = Check("accuracy", "s", "exp99", Entry())
    measured.judge("bleu", 60.0, _target())
    assert measured.evidence["targets"]["bleu"]["provisional"] is False
    assert "provisional" not in measured.message


SPREAD = re.compile(r"mean (?P<mean>-?[\d.]+), (?P<which>min|max) (?P<worst>-?[\d.]+), sd (?P<sd>[\d.]+)")


def test_every_measured_target_carries_the_references_spread_as_its_source_states_it():
    for spec in EXPERIMENTS.values():
        for t in spec.targets:
            where = f"{spec.id} {t.metric} ({t.variant}, budget {t.budget or 'any'})"
            if t.provisional:
                assert t.band is None, f"{where}: a lab manual figure has no measured spread, yet has {t.band}"
                continue
            found = SPREAD.search(t.source)
            assert found and t.band is not None, (
                f"{where}: a measured target needs reference_mean/reference_worst/reference_sd, as "
                f"`python -m bench.calibrate {spec.id}` prints them, beside a source stating them; source {t.source!r}")
            assert t.band == {k: float(found[k]) for k in ("mean", "worst", "sd")}, (where, t.band, t.source)
            assert found["which"] == ("min" if t.higher_is_better else "max"), (where, t.source)
            # An honest re-run of the reference anywhere in its observed range never falls short of the target.
            assert (t.target <= t.reference_worst) if t.higher_is_better else (t.target >= t.reference_worst), (
                f"{where}: target {t.target} lies beyond the reference's worst seed {t.reference_worst}")


def test_calibrate_prints_the_spread_it_measured_beside_the_target(monkeypatch, capsys):
    from bench import calibrate

    scores = iter([0.90, 0.80, 0.85])
    spec = EXPERIMENTS["exp06"]

    def run(experiment_id, seed, extra, baseline=None):
        value = next(scores)
        return {"metrics": {m: value for m in spec.graded_metrics}, "variants": {}, "cpu": "test", "threads": 2}

    monkeypatch.setattr(calibrate, "run_reference", run)
    calibrate.main(["exp06", "--seeds", "0", "1", "2"])
    printed = eval(capsys.readouterr().out.removeprefix("TARGETS = "), {"Target": Target})
    t = printed[0]
    assert (t.reference_mean, t.reference_worst, t.reference_sd, t.target) == (0.85, 0.80, 0.05, 0.75)
    assert t.band == {k: float(v) for k, v in SPREAD.search(t.source).groupdict().items() if k != "which"}


def test_a_measured_grade_records_the_references_band_and_names_it_in_the_message():
    measured = _target(floor=0.43, target=0.87, reference_mean=0.9095, reference_worst=0.8905, reference_sd=0.015)
    passed = Check("accuracy", "s", "exp99", Entry())
    assert passed.judge("accuracy_rnn", 0.9, measured) == 1.0
    assert passed.evidence["targets"]["accuracy_rnn"]["band"] == {"mean": 0.9095, "worst": 0.8905, "sd": 0.015}
    assert passed.message == ("accuracy_rnn = 0.9 meets the target 0.87 "
                              "(the reference over its seeds: mean 0.9095, worst 0.8905, sd 0.015).")
    failed = Check("accuracy", "s", "exp99", Entry())
    with pytest.raises(CheckFailed, match=r"below the target 0\.87 \(no credit at 0\.43; the reference over its "
                                          r"seeds: mean 0\.9095, worst 0\.8905, sd 0\.015\): 50% of"):
        failed.judge("accuracy_rnn", 0.65, measured)
    manual = Check("accuracy", "s", "exp99", Entry())  # a lab manual figure: no spread to record or name
    manual.judge("accuracy_cnn", 0.99, Target.from_lab_manual("accuracy_cnn", 0.984, "real", "Experiment 1"))
    assert "band" not in manual.evidence["targets"]["accuracy_cnn"] and "reference over" not in manual.message
