"""UCI Adult: the raw-file loader on tiny files in the real format, AIF360's AdultDataset without sys.exit,
and the embedded generator's designed bias, measured by hand and with AIF360."""

from __future__ import annotations

import json
import logging
import os
import re
import shutil

import numpy as np
import pandas as pd
import pytest

from bench.data import DEFAULT_SEED, adult, adult_aif360
from bench.data.adult import load_adult
from bench.data.adult_aif360 import AdultFilesMissing, aif360_adult, to_aif360
from bench.data.generators.adult import make_adult
from bench.data.readers import adult as readers_adult

# Five records in UCI's own layout (", " separators, '?' missing, a blank last line).
ADULT_DATA = (
    "39, State-gov, 77516, Bachelors, 13, Never-married, Adm-clerical, Not-in-family, White, Male, 2174, 0, 40, "
    "United-States, <=50K\n"
    "50, Self-emp-not-inc, 83311, Bachelors, 13, Married-civ-spouse, Exec-managerial, Husband, White, Male, 0, 0, 13, "
    "United-States, <=50K\n"
    "52, Self-emp-inc, 287927, HS-grad, 9, Married-civ-spouse, Exec-managerial, Wife, White, Female, 15024, 0, 40, "
    "United-States, >50K\n"
    "54, ?, 180211, Some-college, 10, Married-civ-spouse, ?, Husband, Asian-Pac-Islander, Male, 0, 0, 60, South, >50K\n"
    "31, Private, 45781, Masters, 14, Never-married, Prof-specialty, Not-in-family, White, Female, 14084, 0, 50, "
    "United-States, >50K\n"
    "\n"
)
# adult.test: a comment first line, labels ending with '.'.
ADULT_TEST = (
    "|1x3 Cross validator\n"
    "25, Private, 226802, 11th, 7, Never-married, Machine-op-inspct, Own-child, Black, Male, 0, 0, 40, "
    "United-States, <=50K.\n"
    "38, Private, 89814, HS-grad, 9, Married-civ-spouse, Farming-fishing, Husband, White, Male, 0, 0, 50, "
    "United-States, <=50K.\n"
    "44, Private, 160323, Some-college, 10, Married-civ-spouse, Machine-op-inspct, Husband, Black, Male, 7688, 0, 40, "
    "United-States, >50K.\n"
    "18, ?, 103497, Some-college, 10, Never-married, ?, Own-child, White, Female, 0, 0, 30, ?, <=50K.\n"
    "\n"
)


def write_adult(folder, data=ADULT_DATA, test=ADULT_TEST, names=True):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "adult.data").write_text(data)
    (folder / "adult.test").write_text(test)
    if names:
        (folder / "adult.names").write_text("| This data was extracted from the census bureau database\n")
    return folder


# --------------------------------------------------------------------------- real files


def test_raw_uci_files_are_found_and_parsed(tmp_path):
    write_adult(tmp_path / "adult")
    split = load_adult(tmp_path)
    assert split.info.name == "adult" and split.info.variant == "real"
    assert split.info.sizes == {"train": 5, "test": 4}
    assert list(split.x_train.columns) == list(readers_adult.FEATURES) == list(split.x_test.columns)
    assert split.y_train.dtype == np.int64 and split.y_train.tolist() == [0, 0, 1, 1, 1]
    assert split.y_test.tolist() == [0, 0, 1, 0]  # the '.' after adult.test's labels is gone
    assert split.x_test["age"].tolist() == [25, 38, 44, 18]  # the '|1x3' comment line is not a record
    for c in readers_adult.NUMERIC:
        assert split.x_train[c].dtype == np.int64
    assert split.x_train["workclass"].isna().tolist() == [False, False, False, True, False]  # '?' is missing
    assert split.x_test["native-country"].isna().tolist() == [False, False, False, True]
    assert split.x_train.loc[3, "native-country"] == "South"  # values come without the leading space
    assert load_adult(tmp_path).info.checksum == split.info.checksum


def test_adult_names_is_optional_and_the_data_dir_itself_works(tmp_path):
    write_adult(tmp_path, names=False)
    files = readers_adult.find_adult(tmp_path)
    assert set(files) == {"adult.data", "adult.test"}
    assert load_adult(tmp_path).info.variant == "real"


@pytest.mark.parametrize("bad, message", [
    ("39, State-gov, 77516, Bachelors, 13, Never-married, Adm-clerical, Not-in-family, White, Male, 2174, 0, 40, "
     "United-States, maybe\n", "income must be"),
    ("39, State-gov, 77516, Bachelors, 13\n", "fewer than 15 fields"),
    ("39, State-gov, 77516, Bachelors, 13, Never-married, Adm-clerical, Not-in-family, White, Male, 2174, 0, 40, "
     "United-States, <=50K, surplus\n", "not a UCI Adult file"),
    ("?, State-gov, 77516, Bachelors, 13, Never-married, Adm-clerical, Not-in-family, White, Male, 2174, 0, 40, "
     "United-States, <=50K\n", "must hold integers"),
])
def test_malformed_adult_files_say_what_is_wrong(tmp_path, bad, message):
    write_adult(tmp_path / "adult", data=bad)
    with pytest.raises(ValueError, match=message):
        load_adult(tmp_path)


# --------------------------------------------------------------------------- AIF360's AdultDataset


@pytest.fixture
def aif360_folder(tmp_path, monkeypatch):
    """AIF360's adult_dataset module pointed at a temporary copy of its package layout."""
    from aif360.datasets import adult_dataset

    package = tmp_path / "site-packages" / "aif360"
    (package / "datasets").mkdir(parents=True)
    monkeypatch.setattr(adult_dataset, "__file__", str(package / "datasets" / "adult_dataset.py"))
    folder = package / "data" / "raw" / "adult"
    assert adult_aif360.aif360_adult_folder() == folder
    return folder


def test_missing_files_raise_a_clear_error_instead_of_sys_exit(tmp_path, aif360_folder):
    for data_dir in (None, tmp_path / "empty"):
        with pytest.raises(AdultFilesMissing) as err:
            aif360_adult(data_dir)
        text = str(err.value)
        assert str(aif360_folder) in text and "python -m bench.data fetch adult" in text
        assert "archive.ics.uci.edu" in text
    assert not aif360_folder.exists()


def test_the_files_are_copied_where_aif360_reads_them(tmp_path, aif360_folder, caplog):
    write_adult(tmp_path / "data" / "adult")
    with caplog.at_level(logging.WARNING):
        ds = aif360_adult(tmp_path / "data")
    assert sorted(os.listdir(aif360_folder)) == ["adult.data", "adult.names", "adult.test"]
    assert (aif360_folder / "adult.test").read_text() == ADULT_TEST
    # AIF360 drops the 2 rows with '?' and puts adult.test first: 4 + 3 rows, labels and sex by its mappings.
    assert ds.features.shape[0] == 7
    assert ds.labels.ravel().tolist() == [0, 0, 1, 0, 0, 1, 1]
    assert ds.protected_attributes[:, ds.protected_attribute_names.index("sex")].tolist() == [1, 1, 1, 1, 1, 0, 0]
    # Our own conversion of the loaded split gives the same rows, labels and groups.
    split = load_adult(tmp_path / "data")
    ours = to_aif360(pd.concat([split.x_test, split.x_train], ignore_index=True),
                     np.concatenate([split.y_test, split.y_train]))
    assert ours.labels.ravel().tolist() == ds.labels.ravel().tolist()
    np.testing.assert_array_equal(ours.protected_attributes, ds.protected_attributes)

    # A second call finds them in place; changed files in the data dir are copied again.
    mtime = (aif360_folder / "adult.data").stat().st_mtime_ns
    aif360_adult(tmp_path / "data")
    assert (aif360_folder / "adult.data").stat().st_mtime_ns == mtime
    write_adult(tmp_path / "data" / "adult", data=ADULT_DATA.replace("39, State-gov", "40, State-gov"))
    assert aif360_adult(tmp_path / "data").features.shape[0] == 7
    assert (aif360_folder / "adult.data").read_text().startswith("40, State-gov")
    # Files already in AIF360's folder are enough without a data dir.
    assert aif360_adult(None).features.shape[0] == 7


def test_aif360s_sys_exit_never_escapes(aif360_folder, monkeypatch):
    """Were the files to vanish between staging and reading, AIF360 would call sys.exit(1)."""
    monkeypatch.setattr(adult_aif360, "stage_for_aif360", lambda data_dir: aif360_folder)
    with pytest.raises(AdultFilesMissing, match="please download"):
        aif360_adult(None)


def test_an_unwritable_aif360_folder_is_reported(tmp_path, aif360_folder, monkeypatch):
    write_adult(tmp_path / "adult")

    def refuse(src, dst):
        raise OSError(30, "Read-only file system")

    monkeypatch.setattr(shutil, "copyfile", refuse)
    with pytest.raises(PermissionError, match="copy adult.data, adult.test and adult.names there by hand"):
        aif360_adult(tmp_path)


# --------------------------------------------------------------------------- embedded generator


def test_without_data_the_embedded_table_has_the_adult_schema():
    split = load_adult(None)
    assert split.info.name == "adult-synthetic" and split.info.variant == "embedded"
    assert split.info.sizes == {"train": 8000, "test": 2000}
    x = pd.concat([split.x_train, split.x_test], ignore_index=True)
    assert list(x.columns) == list(readers_adult.FEATURES)
    for c in readers_adult.FEATURES:
        if c in readers_adult.NUMERIC:
            assert x[c].dtype == np.int64, c
        else:
            assert x[c].dtype == object and set(x[c].dropna()) <= set(readers_adult.CATEGORY_VALUES[c]), c
    assert split.y_train.dtype == np.int64 and set(np.unique(split.y_train)) == {0, 1}
    # Realistic marginals (real Adult in brackets).
    assert 36 < x["age"].mean() < 41 and x["age"].min() == 17 and x["age"].max() <= 90  # [38.6, 17-90]
    assert 0.63 < (x["sex"] == "Male").mean() < 0.70  # [0.668]
    assert 0.83 < (x["race"] == "White").mean() < 0.88  # [0.855]
    assert x["education"].value_counts().index[0] == "HS-grad"  # [32%]
    assert x["hours-per-week"].median() == 40 and 38 < x["hours-per-week"].mean() < 43  # [40.4]
    assert 0.04 < x["occupation"].isna().mean() < 0.07  # ['?': 5.8%]
    assert (x["occupation"].isna() == x["workclass"].isna()).all()
    assert 0.88 < (x["capital-gain"] == 0).mean() < 0.95  # [0.917]
    assert ((x["education-num"] == 9) == (x["education"] == "HS-grad")).all()
    assert ((x["relationship"] == "Husband") <= ((x["sex"] == "Male") & (x["marital-status"] == "Married-civ-spouse")
                                                  | (x["marital-status"] == "Married-AF-spouse"))).all()
    assert 0.22 < np.concatenate([split.y_train, split.y_test]).mean() < 0.26  # [0.239]


def test_the_embedded_table_is_deterministic():
    a, b = load_adult(None), adult.load_embedded_adult()
    assert a.info.checksum == b.info.checksum
    pd.testing.assert_frame_equal(a.x_train, b.x_train)
    assert adult.load_embedded_adult(seed=1).info.checksum != a.info.checksum


def test_graded_rows_come_from_the_hidden_seed_and_the_record_cannot_regenerate_them():
    """Experiment 7 grades on `load_adult(data_dir, hidden_seed)` and records `info.hiding_seed(hidden_seed)`
    (bench/checks/test_exp07_fairness.py): two hidden seeds give different rows, and neither the public default
    seed nor any number the record's dataset entry names draws the graded ones again."""
    from types import SimpleNamespace

    from bench.checks import test_exp07_fairness as exp07

    def graded(seed):  # the check's fixture, with the harness reduced to what it reads
        harness = SimpleNamespace(settings=SimpleNamespace(hidden_seed=seed, data_dir=None),
                                  cached=lambda key, make: make())
        run = SimpleNamespace(dataset=None)
        return exp07.adult.__wrapped__(harness, run), run.dataset.to_json()

    seeds = (2_718_281_828, 3_141_592_653)  # hidden seeds are 32-bit HMACs of the grading key
    (a, recorded), (b, _) = (graded(s) for s in seeds)
    assert a.info.checksum == load_adult(None, seeds[0]).info.checksum == recorded["checksum"]
    assert a.info.checksum != b.info.checksum and (a.y_test != b.y_test).any()
    assert not a.x_test.reset_index(drop=True).equals(b.x_test.reset_index(drop=True))
    entry = {k: v for k, v in recorded.items() if k != "checksum"}
    assert str(seeds[0]) not in json.dumps(entry) and "hidden seed" in entry["source"]
    named = {int(n) for n in re.findall(r"\d+", json.dumps(entry))} | {DEFAULT_SEED}
    assert {0, 8000, 2000, DEFAULT_SEED} <= named  # what one would try first
    for seed in sorted(named):
        guess = load_adult(None, seed)
        assert guess.info.checksum != a.info.checksum and (guess.y_test != a.y_test).any(), seed


def disparate_impact_by_hand(df: pd.DataFrame, column: str, privileged: str) -> float:
    y = (df["income"] == ">50K").to_numpy()
    priv = (df[column] == privileged).to_numpy()
    return y[~priv].mean() / y[priv].mean()


@pytest.mark.slow  # fits models on the generated rows: seconds each, left out of the fast tier
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_the_designed_disparate_impact_is_measured(seed):
    """DI_sex and DI_race of the generated table are the designed 0.36 and 0.60.

    Measured (10,000 rows): DI_sex 0.3601 / 0.3610 / 0.3603 and DI_race 0.5996 / 0.6028 / 0.5985 for seeds
    0/1/2, identical by hand and with AIF360 (largest deviation over seeds 0-19: 0.0014 / 0.0028). The
    stated tolerance, 0.01, covers the rounding of each group's number of positives.
    """
    from aif360.datasets import BinaryLabelDataset
    from aif360.metrics import BinaryLabelDatasetMetric

    df, design = make_adult(seed)
    assert design.d_sex < -0.5 and design.d_race < -0.5  # a direct penalty, not only proxies
    assert design.proxy_di_sex > 0.5  # proxies alone: ~0.61-0.65
    numeric = pd.DataFrame({"sex": (df["sex"] == "Male").astype(float), "race": (df["race"] == "White").astype(float),
                            "income": (df["income"] == ">50K").astype(float)})
    ds = BinaryLabelDataset(df=numeric, label_names=["income"], protected_attribute_names=["sex", "race"],
                            favorable_label=1.0, unfavorable_label=0.0)
    for column, privileged, target in (("sex", "Male", 0.36), ("race", "White", 0.60)):
        metric = BinaryLabelDatasetMetric(ds, unprivileged_groups=[{column: 0}], privileged_groups=[{column: 1}])
        by_hand = disparate_impact_by_hand(df, column, privileged)
        assert metric.disparate_impact() == pytest.approx(by_hand, rel=1e-12)
        assert abs(by_hand - target) < 0.01, (column, by_hand)
        assert metric.statistical_parity_difference() < -0.05


@pytest.mark.slow  # fits models on the generated rows: seconds each, left out of the fast tier
def test_a_model_inherits_the_bias_and_reweighing_reduces_it():
    """Logistic regression on the default train split, disparate impact (sex) of its test predictions.

    Measured on the default split: train data 0.363, plain LR 0.195, LR with Reweighing weights 0.563
    (load_embedded_adult seeds 0/1/2: 0.197 -> 0.642, 0.161 -> 0.514, 0.140 -> 0.578). Accuracy 0.81-0.84.
    """
    from aif360.algorithms.preprocessing import Reweighing
    from aif360.metrics import BinaryLabelDatasetMetric
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    split = load_adult(None)
    train, test = to_aif360(split.x_train, split.y_train), to_aif360(split.x_test, split.y_test)
    assert train.feature_names == test.feature_names
    groups = dict(unprivileged_groups=[{"sex": 0}], privileged_groups=[{"sex": 1}])

    def predicted_di(weights):
        scaler = StandardScaler().fit(train.features)
        model = LogisticRegression(max_iter=1000).fit(scaler.transform(train.features), train.labels.ravel(),
                                                      sample_weight=weights)
        predicted = test.copy(deepcopy=True)
        predicted.labels = model.predict(scaler.transform(test.features)).reshape(-1, 1).astype(float)
        accuracy = (predicted.labels == test.labels).mean()
        return BinaryLabelDatasetMetric(predicted, **groups).disparate_impact(), accuracy

    data_di = BinaryLabelDatasetMetric(train, **groups).disparate_impact()
    plain, plain_accuracy = predicted_di(None)
    reweighed = Reweighing(**groups).fit_transform(train)
    fair, fair_accuracy = predicted_di(reweighed.instance_weights)
    assert abs(data_di - 0.36) < 0.05
    assert plain < 0.30  # inherits, even amplifies, the bias
    assert fair > plain + 0.2 and abs(1 - fair) < abs(1 - plain)
    assert plain_accuracy > 0.78 and fair_accuracy > 0.76


# --------------------------------------------------------------------------- breast cancer (Experiments 8 and 10)
#
# All 569 rows of scikit-learn's table are public, so its graded test rows are new points drawn from the
# run's hidden seed (bench/data/shipped.py). Measured with exactly this code (scikit-learn 1.9, numpy 2.4) over
# 100 seeds: a 1-NN lookup of each of the 5,000 test rows among the public rows (standardized features) beats
# 1-NN on the training rows by 0.001 on average (at most 0.007), and the lookup narrowed to the public rows that
# are not training rows does worse (-0.007 on average, at most +0.010); the lookup scores 0.947 on average (at
# most 0.952). At the 5 seeds `python -m bench.calibrate` grades on: lookup 0.940-0.952, 1-NN on the training
# rows 0.940-0.949, the reference gradient boosting 0.943-0.959, a logistic regression 0.958-0.964.
BREAST_CANCER_SEEDS = (101, 202, 303, 404, 505, 606)


def _breast_cancer_lookups(seed: int) -> dict[str, float]:
    from sklearn.datasets import load_breast_cancer as public_table

    from bench.data.shipped import load_breast_cancer

    public = public_table()  # what any submission can load inside its worker
    x, y = public.data, public.target
    split = load_breast_cancer(None, seed)
    mu, sd = x.mean(axis=0), x.std(axis=0)

    def nearest(query, pool):
        q, p = (query - mu) / sd, (pool - mu) / sd
        return ((p**2).sum(1)[None] - 2 * q @ p.T).argmin(1)

    known = {row.tobytes() for row in x}
    trained_on = {row.tobytes() for row in split.x_train}
    rest = np.array([i for i, row in enumerate(x) if row.tobytes() not in trained_on])  # the held-out rows
    score = lambda labels: float((labels == split.y_test).mean())
    return {"exact": float(np.mean([row.tobytes() in known for row in split.x_test])),
            "lookup": score(y[nearest(split.x_test, x)]),
            "narrowed": score(y[rest][nearest(split.x_test, x[rest])]),
            "honest": score(split.y_train[nearest(split.x_test, split.x_train)])}


def test_breast_cancer_is_the_same_for_a_seed_and_differs_between_seeds():
    from bench.data.shipped import load_breast_cancer

    a, b, c = load_breast_cancer(None, 11), load_breast_cancer(None, 11), load_breast_cancer(None, 12)
    for name in ("x_train", "y_train", "x_test", "y_test"):
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name))
    assert a.info == b.info and a.info.checksum != c.info.checksum and "11" not in a.info.source
    assert not np.isin(a.x_test, c.x_test).all()
    assert a.info.variant == "real" and a.x_train.shape == (427, 30) and a.x_test.shape == (5000, 30)
    for split in (a, c):
        # In the table's class shares (212 malignant (0), 357 benign (1)): majority rate 0.627, as the
        # held-out split's; in a random order, not one class after the other.
        assert np.bincount(split.y_test).tolist() == [1863, 3137] and np.bincount(split.y_train).tolist() == [159, 268]
        assert (np.diff(split.y_test) != 0).sum() > 1000
        # Finite, inside the public table's range, and the classes still differ as they do there.
        low, high = split.x_train.min(axis=0), split.x_train.max(axis=0)
        assert np.isfinite(split.x_test).all() and (split.x_test >= 0).all()
        assert ((split.x_test >= low) & (split.x_test <= high)).mean() > 0.95
        means = [split.x_test[split.y_test == k].mean(axis=0) for k in (0, 1)]
        assert means[0][0] > means[1][0] + 2  # malignant tumours are larger (mean radius, in mm)


def test_a_lookup_in_the_public_table_is_no_better_than_an_honest_classifier():
    """The attack itself: reload the public table, look each test row up (exactly, then its nearest row)."""
    found = [_breast_cancer_lookups(seed) for seed in BREAST_CANCER_SEEDS]
    for f in found:
        assert f["exact"] == 0.0, f
        assert f["lookup"] <= f["honest"] + 0.015 and f["narrowed"] <= f["honest"] + 0.02, f
        assert f["lookup"] < 0.96, f  # 1.0 before the test rows were drawn afresh
    mean = {k: np.mean([f[k] for f in found]) for k in found[0]}
    assert mean["lookup"] <= mean["honest"] + 0.006 and mean["narrowed"] <= mean["honest"] + 0.006, mean
