"""UCI Adult ("Census Income") for Experiment 7: fairness with AIF360.

Real Adult is read from the raw UCI files `adult.data` and `adult.test` (and
`adult.names`, which only AIF360's README asks for) under `<data dir>/adult/`:
15 columns, '?' as missing, the label `income` is 1 for '>50K'. `adult.test`
starts with a comment line ("|1x3 Cross validator") and its labels end with a
'.', both handled here. `aif360_adult(data_dir)` hands the same files to
`aif360.datasets.AdultDataset`, which otherwise calls `sys.exit` when its own
copy under the aif360 package is missing.

AIF360 notes: AdultDataset reads only adult.data and adult.test (adult.names
is in its instructions, not its code); it takes adult.test's first line as a
header, so a copy without the "|1x3" comment line silently loses its first
record; it drops rows with a '?' (3,620 of 48,842) and fnlwgt, and puts the
adult.test rows first. Importing `aif360.metrics` (or the algorithms) also
imports TensorFlow, through aif360.algorithms.inprocessing: 5-25 s. The real
files parse in a fraction of a second, so no `cached` array copy is kept.

Without the real files the embedded default is `make_adult`: a deterministic
generator of an Adult-schema table (same 14 feature columns, names, category
values and dtypes; '?' missing in workclass/occupation/native-country at the
real rates) whose label carries a built-in bias of designed size.

How the label is made: each row gets a "legitimate" log-odds score from
education, age, hours, marital status, occupation, workclass and capital gain
or loss (married people, managers and professionals, long hours and degrees
earn more, as in the census). Several of these features are themselves
correlated with sex the way they are in real Adult (women are less often
recorded as married, work fewer hours, more often in clerical and service
jobs), so part of the gap comes through proxies. On top of that the label
gets a *direct* penalty: log-odds `d_sex` for Female and `d_race` for
non-White. The intercept and both penalties are solved on the generated rows
so that the expected rates hit the design targets exactly:

    P(y=1)                          = 0.24   (real Adult: 0.239)
    DI_sex  = P(y=1|Female)/P(y=1|Male)      = 0.36   (real Adult: 0.36)
    DI_race = P(y=1|non-White)/P(y=1|White)  = 0.60   (real Adult: 0.60)

Labels are then drawn within each sex x race cell by systematic sampling:
row i is positive with probability p_i exactly, and each cell's number of
positives equals the sum of its p_i to within one, so the table's group
rates carry no sampling noise (a random train/test split of it still does).
Measured (tests/test_data_tabular.py, 10,000 rows, seeds 0/1/2): DI_sex
0.3601 / 0.3610 / 0.3603, DI_race 0.5996 / 0.6028 / 0.5985, identical by
hand and with AIF360's BinaryLabelDatasetMetric; over seeds 0-19 the largest
deviation was 0.0014 (sex) and 0.0028 (race); the stated tolerance is 0.01.
The design (solved intercept, penalties, the DI the proxies alone would give)
is returned as `AdultDesign`: on seeds 0/1/2 d_sex is -0.86 / -0.84 / -1.00
log-odds, d_race -0.92 / -0.97 / -0.96, and the proxies alone would give
DI_sex 0.61 / 0.61 / 0.65.

A logistic regression (one-hot features with sex and race, standardised)
trained on the embedded train split inherits and amplifies the bias: DI_sex
of its test predictions 0.195 on the default split (seeds 0/1/2 of
`load_embedded_adult`: 0.197 / 0.161 / 0.140, train-split DI 0.36-0.37);
trained with AIF360's Reweighing weights it is 0.563 (0.642 / 0.514 /
0.578), not 1 because the proxies remain. Accuracy 0.81-0.84 both ways.
Generating the default 10,000 rows takes about 0.2 s (plus ~1 s for the
first import of scipy, whose root finder solves the design).

What the embedded variant preserves of real Adult: the schema, value sets,
rough marginals (age, education, hours, occupation, marital status, race,
sex, country, capital gain/loss, fnlwgt), missingness, base rate and the size
of the sex and race gaps, and that both a direct and a proxy path carry the
bias. What it does not: the real joint distribution (interactions are few
and hand-set), fnlwgt carries no meaning, the size (10,000 rows, not 48,842),
so absolute accuracies and fairness numbers are not comparable to real Adult;
targets are kept per variant.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import shutil
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from . import DatasetInfo, DatasetSpec, RemoteFile, Split, checksum

COLUMNS = (
    "age", "workclass", "fnlwgt", "education", "education-num", "marital-status", "occupation",
    "relationship", "race", "sex", "capital-gain", "capital-loss", "hours-per-week", "native-country", "income",
)
FEATURES = COLUMNS[:-1]
LABEL = "income"
NUMERIC = ("age", "fnlwgt", "education-num", "capital-gain", "capital-loss", "hours-per-week")
CATEGORICAL = tuple(c for c in FEATURES if c not in NUMERIC)
POSITIVE, NEGATIVE = ">50K", "<=50K"
# AIF360's conventions (AdultDataset): privileged groups and the features it one-hot encodes.
PRIVILEGED = {"sex": "Male", "race": "White"}
AIF360_CATEGORICAL = ("workclass", "education", "marital-status", "occupation", "relationship", "native-country")

# Every value adult.names lists for the categorical columns: one-hot encodings use all of them, so a
# train and a test frame give the same feature columns whatever values they happen to hold.
CATEGORY_VALUES = {
    "workclass": ("Private", "Self-emp-not-inc", "Self-emp-inc", "Federal-gov", "Local-gov", "State-gov",
                  "Without-pay", "Never-worked"),
    "education": ("Bachelors", "Some-college", "11th", "HS-grad", "Prof-school", "Assoc-acdm", "Assoc-voc", "9th",
                  "7th-8th", "12th", "Masters", "1st-4th", "10th", "Doctorate", "5th-6th", "Preschool"),
    "marital-status": ("Married-civ-spouse", "Divorced", "Never-married", "Separated", "Widowed",
                       "Married-spouse-absent", "Married-AF-spouse"),
    "occupation": ("Tech-support", "Craft-repair", "Other-service", "Sales", "Exec-managerial", "Prof-specialty",
                   "Handlers-cleaners", "Machine-op-inspct", "Adm-clerical", "Farming-fishing", "Transport-moving",
                   "Priv-house-serv", "Protective-serv", "Armed-Forces"),
    "relationship": ("Wife", "Own-child", "Husband", "Not-in-family", "Other-relative", "Unmarried"),
    "race": ("White", "Asian-Pac-Islander", "Amer-Indian-Eskimo", "Other", "Black"),
    "sex": ("Female", "Male"),
    "native-country": (
        "United-States", "Cambodia", "England", "Puerto-Rico", "Canada", "Germany", "Outlying-US(Guam-USVI-etc)",
        "India", "Japan", "Greece", "South", "China", "Cuba", "Iran", "Honduras", "Philippines", "Italy", "Poland",
        "Jamaica", "Vietnam", "Mexico", "Portugal", "Ireland", "France", "Dominican-Republic", "Laos", "Ecuador",
        "Taiwan", "Haiti", "Columbia", "Hungary", "Guatemala", "Nicaragua", "Scotland", "Thailand", "Yugoslavia",
        "El-Salvador", "Trinadad&Tobago", "Peru", "Hong", "Holand-Netherlands"),
}

ADULT_FILES = ("adult.data", "adult.test")
ADULT_NAMES = "adult.names"
_UCI = "https://archive.ics.uci.edu/ml/machine-learning-databases/adult/"
FETCH_HINT = (
    f"fetch them with `python -m bench.data fetch adult`, or download {_UCI}adult.data, {_UCI}adult.test "
    f"(and {_UCI}adult.names) and place them as-is in <data dir>/adult/"
)


# --------------------------------------------------------------------------- real files


def find_adult(data_dir: Path | None) -> dict[str, Path] | None:
    """adult.data and adult.test under data_dir/adult (or data_dir itself); adult.names if present."""
    if data_dir is None:
        return None
    for folder in (data_dir / "adult", data_dir):
        if all((folder / name).is_file() for name in ADULT_FILES):
            found = {name: folder / name for name in ADULT_FILES}
            if (folder / ADULT_NAMES).is_file():
                found[ADULT_NAMES] = folder / ADULT_NAMES
            return found
    return None


def read_adult_file(path: Path) -> pd.DataFrame:
    """One raw UCI file as a DataFrame of the 15 columns; '?' is NaN; income without adult.test's '.'.

    Lines starting with '|' (adult.test's first line) and blank lines (both
    files end with one) are skipped. Numeric columns are int64, the others
    object (str).
    """
    try:
        with warnings.catch_warnings():  # more than 15 fields on every line: an error, not dropped data
            warnings.simplefilter("error", pd.errors.ParserWarning)
            df = pd.read_csv(path, header=None, names=list(COLUMNS), index_col=False, sep=",",
                             skipinitialspace=True, na_values=["?"], keep_default_na=False, comment="|",
                             skip_blank_lines=True, dtype={c: "string" for c in CATEGORICAL + (LABEL,)})
    except (pd.errors.ParserError, pd.errors.ParserWarning, ValueError) as err:
        raise ValueError(f"{path}: not a UCI Adult file ({err})") from err
    if df.empty:
        raise ValueError(f"{path}: no records")
    short = df[LABEL].isna() | (df[LABEL].fillna("") == "")
    if short.any():
        raise ValueError(f"{path}: line with fewer than 15 fields (record {int(np.flatnonzero(short)[0]) + 1})")
    df[LABEL] = df[LABEL].str.strip().str.rstrip(".")
    bad = ~df[LABEL].isin([POSITIVE, NEGATIVE])
    if bad.any():
        raise ValueError(f"{path}: income must be '>50K' or '<=50K' (with or without '.'), "
                         f"got {df[LABEL][bad].iloc[0]!r}")
    for c in NUMERIC:
        if df[c].isna().any() or not pd.api.types.is_numeric_dtype(df[c]):
            raise ValueError(f"{path}: column {c!r} must hold integers")
        df[c] = df[c].astype(np.int64)
    for c in CATEGORICAL:
        df[c] = df[c].str.strip().astype(object).where(df[c].notna(), np.nan)
    return df


def _as_split(train: pd.DataFrame, test: pd.DataFrame, info_kw: dict) -> Split:
    x_train = train[list(FEATURES)].reset_index(drop=True)
    x_test = test[list(FEATURES)].reset_index(drop=True)
    y_train = (train[LABEL].to_numpy() == POSITIVE).astype(np.int64)
    y_test = (test[LABEL].to_numpy() == POSITIVE).astype(np.int64)
    info = DatasetInfo(checksum=frame_checksum(x_train, y_train, x_test, y_test),
                       sizes={"train": len(y_train), "test": len(y_test)}, **info_kw)
    return Split(x_train, y_train, x_test, y_test, info)


def frame_checksum(x_train: pd.DataFrame, y_train, x_test: pd.DataFrame, y_test) -> str:
    """`checksum` over feature frames (column names, numbers, strings with '?' for missing) and labels."""
    parts: list = []
    for x, y in ((x_train, y_train), (x_test, y_test)):
        parts.append(list(x.columns))
        for c in x.columns:
            col = x[c]
            if pd.api.types.is_numeric_dtype(col):
                parts.append(col.to_numpy())
            else:
                parts.append([str(v) if isinstance(v, str) else "?" for v in col])
        parts.append(np.asarray(y))
    return checksum(*parts)


def load_adult_files(files: dict[str, Path]) -> Split:
    train = read_adult_file(files["adult.data"])
    test = read_adult_file(files["adult.test"])
    return _as_split(train, test, dict(
        name="adult", variant="real", version="uci-raw",
        source=f"UCI Adult raw files adult.data/adult.test in {files['adult.data'].parent}"))


# --------------------------------------------------------------------------- AIF360


class AdultFilesMissing(FileNotFoundError):
    """The raw Adult files are neither in the data dir nor where AIF360 reads them."""


def aif360_adult_folder() -> Path:
    """Where `aif360.datasets.AdultDataset` reads adult.data/adult.test (the path it builds itself)."""
    from aif360.datasets import adult_dataset

    return Path(os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(adult_dataset.__file__)),
                                             "..", "data", "raw", "adult")))


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def stage_for_aif360(data_dir: Path | None) -> Path:
    """Make AIF360's folder hold the raw files; returns that folder.

    Files from the data dir are copied in when AIF360's copy is missing or
    differs. Raises AdultFilesMissing (saying where the files are expected and
    how to fetch them) when neither place has adult.data and adult.test, and
    PermissionError when AIF360's folder cannot be written.
    """
    target = aif360_adult_folder()
    files = find_adult(data_dir)
    if files is None:
        if all((target / name).is_file() for name in ADULT_FILES):
            return target
        where = f"{data_dir / 'adult'}" if data_dir is not None else "a data dir (--data-dir or $LABMARK_DATA_DIR)"
        raise AdultFilesMissing(
            f"UCI Adult files {', '.join(ADULT_FILES)} not found in {where} nor in AIF360's folder {target}; "
            + FETCH_HINT)
    try:
        target.mkdir(parents=True, exist_ok=True)
        for name, src in files.items():
            dst = target / name
            if dst.is_file() and dst.stat().st_size == src.stat().st_size and _sha256(dst) == _sha256(src):
                continue
            tmp = dst.with_name(f".{name}.{os.getpid()}.tmp")
            try:
                shutil.copyfile(src, tmp)
                os.replace(tmp, dst)
            finally:
                tmp.unlink(missing_ok=True)
    except OSError as err:
        raise PermissionError(
            f"cannot copy the Adult files from {files['adult.data'].parent} into AIF360's folder {target} ({err}); "
            f"copy adult.data, adult.test and adult.names there by hand") from err
    return target


def aif360_adult(data_dir: Path | None, **kwargs):
    """`aif360.datasets.AdultDataset(**kwargs)` on the real files, never reaching its `sys.exit`.

    AIF360 reads adult.data/adult.test only from its own package folder and
    exits the interpreter when they are missing; this stages the files there
    first (see `stage_for_aif360`) and turns any exit into an exception.
    """
    from aif360.datasets import adult_dataset

    folder = stage_for_aif360(data_dir)
    printed = io.StringIO()
    try:
        with contextlib.redirect_stdout(printed):
            return adult_dataset.AdultDataset(**kwargs)
    except SystemExit:
        raise AdultFilesMissing(f"AIF360 could not read the Adult files in {folder}: "
                                f"{printed.getvalue().strip()}; " + FETCH_HINT) from None


def to_aif360(x: pd.DataFrame, y, protected: tuple[str, ...] = ("race", "sex")):
    """A StandardDataset from a feature frame and 0/1 labels, with AdultDataset's conventions.

    Privileged: White (race) and Male (sex) -> 1; one-hot categorical
    features; fnlwgt dropped; rows with a missing value dropped (AIF360 logs
    how many). Categorical columns are encoded over every value adult.names
    lists (plus any other value the frame holds), so frames of one variant
    always give the same feature columns. Works for the real and the
    embedded variant alike.
    """
    from aif360.datasets import StandardDataset

    df = x.copy()
    for c in AIF360_CATEGORICAL:
        if c in df.columns and c not in protected:
            extra = sorted(set(df[c].dropna()) - set(CATEGORY_VALUES[c]))
            df[c] = pd.Categorical(df[c], categories=list(CATEGORY_VALUES[c]) + extra)
    df[LABEL] = np.asarray(y, dtype=np.int64)
    return StandardDataset(
        df, label_name=LABEL, favorable_classes=[1], protected_attribute_names=list(protected),
        privileged_classes=[[PRIVILEGED[p]] for p in protected],
        categorical_features=[c for c in AIF360_CATEGORICAL if c not in protected],
        features_to_drop=["fnlwgt"],
        metadata={"label_maps": [{1.0: POSITIVE, 0.0: NEGATIVE}],
                  "protected_attribute_maps": [{1.0: PRIVILEGED[p], 0.0: "non-" + PRIVILEGED[p]} for p in protected]})


# --------------------------------------------------------------------------- embedded generator

EMBEDDED_VERSION = "adult-synthetic/v1"
TARGET_POSITIVE_RATE = 0.24
TARGET_DI_SEX = 0.36
TARGET_DI_RACE = 0.60

# (value, weight): real Adult marginals (48,842 rows), rounded.
_RACE = (("White", .855), ("Black", .096), ("Asian-Pac-Islander", .031), ("Amer-Indian-Eskimo", .010),
         ("Other", .008))
_EDUCATION = (  # value, education-num, weight
    ("Preschool", 1, .002), ("1st-4th", 2, .005), ("5th-6th", 3, .010), ("7th-8th", 4, .020), ("9th", 5, .015),
    ("10th", 6, .028), ("11th", 7, .037), ("12th", 8, .013), ("HS-grad", 9, .323), ("Some-college", 10, .223),
    ("Assoc-voc", 11, .042), ("Assoc-acdm", 12, .033), ("Bachelors", 13, .164), ("Masters", 14, .054),
    ("Prof-school", 15, .017), ("Doctorate", 16, .012),
)
_WORKCLASS = (("Private", .737), ("Self-emp-not-inc", .083), ("Local-gov", .068), ("State-gov", .043),
              ("Self-emp-inc", .037), ("Federal-gov", .031), ("Without-pay", .001))
_MARITAL = ("Never-married", "Married-civ-spouse", "Divorced", "Separated", "Widowed", "Married-spouse-absent",
            "Married-AF-spouse")
_MARITAL_BY_AGE = (  # upper age bound (exclusive), weights in _MARITAL order
    (25, (.85, .10, .02, .02, .000, .01, .0005)),
    (35, (.40, .50, .07, .02, .003, .01, .001)),
    (55, (.10, .70, .14, .03, .015, .015, .0005)),
    (200, (.04, .68, .11, .02, .130, .02, .0)),
)
_OCCUPATION = (  # value, weight among men, weight among women, log-odds effect on income
    ("Prof-specialty", .12, .15, .6), ("Craft-repair", .18, .02, 0.0), ("Exec-managerial", .14, .10, .8),
    ("Adm-clerical", .05, .27, -.2), ("Sales", .12, .12, .2), ("Other-service", .07, .19, -1.1),
    ("Machine-op-inspct", .07, .06, -.4), ("Transport-moving", .07, .01, -.1), ("Handlers-cleaners", .055, .015, -.9),
    ("Farming-fishing", .045, .01, -.8), ("Tech-support", .03, .035, .3), ("Protective-serv", .03, .007, .3),
    ("Priv-house-serv", .001, .015, -2.0), ("Armed-Forces", .0005, .0, 0.0),
)
_WORKCLASS_EFFECT = {"Self-emp-inc": .6, "Federal-gov": .5, "Local-gov": .1, "State-gov": 0.0, "Private": 0.0,
                     "Self-emp-not-inc": -.1, "Without-pay": -3.0}
_COUNTRY = (("United-States", .913), ("Mexico", .020), ("Philippines", .006), ("Germany", .0043),
            ("Puerto-Rico", .0038), ("Canada", .0037), ("El-Salvador", .0032), ("India", .0031), ("Cuba", .0029),
            ("England", .0026), ("China", .0025), ("South", .0024), ("Jamaica", .0022), ("Italy", .0022),
            ("Dominican-Republic", .0021), ("Japan", .0019), ("Guatemala", .0018), ("Poland", .0018),
            ("Vietnam", .0018), ("Columbia", .0017), ("Haiti", .0015), ("Portugal", .0014), ("Taiwan", .0013),
            ("Iran", .0012), ("Greece", .0010), ("Nicaragua", .0010), ("Peru", .0009), ("Ecuador", .0009),
            ("France", .0008), ("Ireland", .0008))
_ASIAN_COUNTRIES = ("Philippines", "India", "China", "Japan", "Vietnam", "Taiwan", "South")
_P_MISSING_JOB = 0.056  # workclass and occupation '?' together (real: 5.7% / 5.8%, nearly the same rows)
_P_MISSING_COUNTRY = 0.017


@dataclass(frozen=True)
class AdultDesign:
    """How a generated table's label was made; the rates are expectations over its rows."""

    target_positive_rate: float
    target_di_sex: float
    target_di_race: float
    intercept: float  # log-odds
    d_sex: float  # direct log-odds penalty for Female (negative: lowers their positive rate)
    d_race: float  # direct log-odds penalty for non-White
    expected_di_sex: float  # what the solved design gives, in expectation over the rows
    expected_di_race: float
    proxy_di_sex: float  # DI_sex in expectation with d_sex = d_race = 0: the part carried by proxies alone


def _choice(rng: np.random.Generator, table, n: int, column: int = 0, weight: int = -1) -> np.ndarray:
    values = np.array([row[column] for row in table], dtype=object)
    w = np.array([row[weight] for row in table], dtype=float)
    return values[rng.choice(len(values), size=n, p=w / w.sum())]


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def _solve_bias(score: np.ndarray, female: np.ndarray, nonwhite: np.ndarray, rate: float, di_sex: float,
                di_race: float) -> tuple[float, float, float]:
    """Intercept and direct penalties so the expected rates over these rows match the targets."""
    from scipy.optimize import brentq

    p_male = rate / (1 - female.mean() + female.mean() * di_sex)
    p_female = di_sex * p_male
    p_white = rate / (1 - nonwhite.mean() + nonwhite.mean() * di_race)
    p_nonwhite = di_race * p_white
    b0 = d_sex = d_race = 0.0

    for _ in range(200):  # coordinate-wise: each step solves one rate exactly given the others
        prev = (b0, d_sex, d_race)
        off = d_race * nonwhite
        b0 = brentq(lambda b: _sigmoid(score[~female] + off[~female] + b).mean() - p_male, -30, 30)
        d_sex = brentq(lambda d: _sigmoid(score[female] + off[female] + b0 + d).mean() - p_female, -30, 30)
        base = b0 + d_sex * female
        d_race = brentq(lambda d: _sigmoid(score[nonwhite] + base[nonwhite] + d).mean() - p_nonwhite, -30, 30)
        if max(abs(a - b) for a, b in zip(prev, (b0, d_sex, d_race))) < 1e-10:
            break
    return b0, d_sex, d_race


def _systematic_draw(p: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """0/1 draws with P(y_i = 1) = p_i exactly and sum(y) within one of sum(p).

    Systematic unequal-probability sampling in random order: points u, u+1,
    u+2, ... over the cumulative sum of p; row i is drawn when one falls in its
    interval. Removes the sampling noise of the group totals, not of the rows.
    """
    order = rng.permutation(len(p))
    upper = np.cumsum(p[order])
    lower = upper - p[order]
    u = rng.random()
    y = np.zeros(len(p), dtype=bool)
    y[order] = np.floor(upper - u) > np.floor(lower - u)
    return y


def make_adult(seed: int = 0, n: int = 10_000, positive_rate: float = TARGET_POSITIVE_RATE,
               di_sex: float = TARGET_DI_SEX, di_race: float = TARGET_DI_RACE) -> tuple[pd.DataFrame, AdultDesign]:
    """An Adult-schema table of n rows (15 columns, income as '>50K'/'<=50K') and its design."""
    if n < 100:
        raise ValueError(f"n must be at least 100 rows, got {n}")
    rng = np.random.default_rng(seed)
    female = rng.random(n) >= 0.668
    race = _choice(rng, _RACE, n)
    age = np.clip(17 + rng.gamma(2.49, 8.69, n), 17, 90).astype(np.int64)

    edu_weights = np.array([e[2] for e in _EDUCATION])
    edu_idx = rng.choice(len(_EDUCATION), size=n, p=edu_weights / edu_weights.sum())
    too_young = (age < 22) & (edu_idx > 9)  # nobody under 22 holds a degree beyond Some-college
    edu_idx[too_young] = rng.choice([8, 9], size=too_young.sum(), p=[.4, .6])
    education = np.array([e[0] for e in _EDUCATION], dtype=object)[edu_idx]
    education_num = np.array([e[1] for e in _EDUCATION], dtype=np.int64)[edu_idx]

    marital = np.empty(n, dtype=object)
    lower = 0
    for upper, weights in _MARITAL_BY_AGE:
        for is_female in (False, True):
            mask = (age >= lower) & (age < upper) & (female == is_female)
            w = np.array(weights, dtype=float)
            if is_female:  # real Adult records women as married far less often (men 62%, women 15%)
                w[1] *= 0.25
                w[6] *= 0.25
                w[4] *= 3.0
            marital[mask] = np.array(_MARITAL, dtype=object)[rng.choice(len(w), size=mask.sum(), p=w / w.sum())]
        lower = upper
    married = np.isin(marital, ["Married-civ-spouse", "Married-AF-spouse"])

    relationship = np.empty(n, dtype=object)
    relationship[married & ~female] = "Husband"
    relationship[married & female] = "Wife"
    young = ~married & (age < 25)
    rel_young = np.array(["Own-child", "Not-in-family", "Other-relative", "Unmarried"], dtype=object)
    relationship[young] = rel_young[rng.choice(4, size=young.sum(), p=[.6, .3, .05, .05])]
    for is_female, p_unmarried in ((False, .12), (True, .40)):
        mask = ~married & (age >= 25) & (female == is_female)
        p = np.array([.07, .86 - p_unmarried, .07, p_unmarried])
        relationship[mask] = rel_young[rng.choice(4, size=mask.sum(), p=p)]

    occ_values = np.array([o[0] for o in _OCCUPATION], dtype=object)
    occupation = np.empty(n, dtype=object)
    for is_female, col in ((False, 1), (True, 2)):
        w = np.array([o[col] for o in _OCCUPATION])
        mask = female == is_female
        occupation[mask] = occ_values[rng.choice(len(w), size=mask.sum(), p=w / w.sum())]
    graduate = (education_num >= 13) & (rng.random(n) < 0.3)  # degrees lead to professional jobs
    occupation[graduate] = rng.choice(np.array(["Prof-specialty", "Exec-managerial", "Tech-support", "Sales"],
                                               dtype=object), size=graduate.sum(), p=[.5, .3, .1, .1])
    workclass = _choice(rng, _WORKCLASS, n)

    hours = np.where(rng.random(n) < 0.45, 40, rng.normal(np.where(female, 36.0, 44.0), 16.0))
    hours = np.clip(np.round(hours), 1, 99).astype(np.int64)

    has_gain = rng.random(n) < 0.05 + 0.04 * (education_num >= 13) + 0.02 * (age >= 45)
    gain = np.where(has_gain, np.exp(rng.normal(8.4, 0.9, n)), 0.0)
    gain[has_gain & (rng.random(n) < 0.06)] = 99999  # the top code: real Adult has it in 0.5% of rows
    gain = np.clip(np.round(gain), 0, 99999).astype(np.int64)
    has_loss = ~has_gain & (rng.random(n) < 0.047)
    loss = np.where(has_loss, np.clip(rng.normal(1870, 360, n), 155, 4356), 0).round().astype(np.int64)

    country = _choice(rng, _COUNTRY, n)
    asian = (race == "Asian-Pac-Islander") & (rng.random(n) < 0.5)
    country[asian] = rng.choice(np.array(_ASIAN_COUNTRIES, dtype=object), size=asian.sum())
    fnlwgt = np.clip(np.exp(rng.normal(np.log(178_000), 0.48, n)), 12_285, 1_490_400).astype(np.int64)

    # Legitimate log-odds score (before the intercept); missing values get the effect of a weak job.
    occ_effect = {o[0]: o[3] for o in _OCCUPATION}
    score = (0.35 * (education_num - 10)
             + 0.06 * (np.minimum(age, 50) - 38) - 0.05 * np.maximum(age - 60, 0)
             + 0.03 * (hours - 40)
             + 1.9 * married
             + np.array([occ_effect[o] for o in occupation])
             + np.array([_WORKCLASS_EFFECT[w] for w in workclass])
             + 2.5 * (gain > 5000) + 0.8 * ((gain > 0) & (gain <= 5000)) + 0.6 * (loss > 1800))

    missing_job = rng.random(n) < _P_MISSING_JOB
    score[missing_job] -= 0.8  # real Adult: rows with '?' jobs earn less
    workclass[missing_job] = np.nan
    occupation[missing_job] = np.nan
    country[rng.random(n) < _P_MISSING_COUNTRY] = np.nan

    nonwhite = race != "White"
    b0, d_sex, d_race = _solve_bias(score, female, nonwhite, positive_rate, di_sex, di_race)
    p = _sigmoid(score + b0 + d_sex * female + d_race * nonwhite)
    y = np.zeros(n, dtype=bool)
    for cell in (female * 2 + nonwhite).reshape(1, -1) == np.arange(4).reshape(-1, 1):
        y[cell] = _systematic_draw(p[cell], rng)
    p_proxy = _sigmoid(score + b0)
    design = AdultDesign(
        target_positive_rate=positive_rate, target_di_sex=di_sex, target_di_race=di_race,
        intercept=float(b0), d_sex=float(d_sex), d_race=float(d_race),
        expected_di_sex=float(p[female].mean() / p[~female].mean()),
        expected_di_race=float(p[nonwhite].mean() / p[~nonwhite].mean()),
        proxy_di_sex=float(p_proxy[female].mean() / p_proxy[~female].mean()))

    df = pd.DataFrame({
        "age": age, "workclass": workclass, "fnlwgt": fnlwgt, "education": education,
        "education-num": education_num, "marital-status": marital, "occupation": occupation,
        "relationship": relationship, "race": race, "sex": np.where(female, "Female", "Male").astype(object),
        "capital-gain": gain, "capital-loss": loss, "hours-per-week": hours, "native-country": country,
        LABEL: np.where(y, POSITIVE, NEGATIVE).astype(object),
    })
    return df, design


def load_embedded_adult(seed: int = 20261123, n_train: int = 8_000, n_test: int = 2_000) -> Split:
    df, _ = make_adult(seed, n_train + n_test)
    return _as_split(df.iloc[:n_train], df.iloc[n_train:], dict(
        name="adult-synthetic", variant="embedded", version=EMBEDDED_VERSION,
        source=(f"generated by bench/data/tabular.py make_adult(seed={seed}): Adult schema, "
                f"designed DI_sex={TARGET_DI_SEX}, DI_race={TARGET_DI_RACE}, P(>50K)={TARGET_POSITIVE_RATE}")))


# Canonical files: sizes and SHA-256 as published in TensorFlow Datasets' url_checksums/adult.txt.
# adult.names is not listed there (no published checksum found), and neither this loader nor
# AIF360's AdultDataset reads it, so fetch does not download it.
ADULT_REMOTE = tuple(RemoteFile(_UCI + name, sha, size, name) for name, size, sha in (
    ("adult.data", 3974305, "5b00264637dbfec36bdeaab5676b0b309ff9eb788d63554ca0a249491c86603d"),
    ("adult.test", 2003153, "a2a9044bc167a35b2361efbabec64e89d69ce82d9790d2980119aac5fd7e9c05"),
))

DATASETS = (
    DatasetSpec(
        name="adult", title="UCI Adult (Census Income)", folder="adult", files=ADULT_REMOTE, used_by=("exp07",),
        embedded="adult-synthetic: an Adult-schema table of 10,000 rows with a designed sex bias (DI 0.36)",
        find=find_adult, read=lambda files, seed: load_adult_files(files), generate=load_embedded_adult,
    ),
)

load_adult = DATASETS[0].load  # (data_dir=None, seed=None): real Adult if the raw files are found, else generated
