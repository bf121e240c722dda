"""`make_adult`: the embedded default of the adult dataset, a deterministic generator of an Adult-schema table
(same 14 feature columns, names, category values and dtypes; '?' missing in workclass/occupation/native-country
at the real rates) whose label carries a built-in bias of designed size.

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

Generating the default 10,000 rows takes about 0.2 s (plus ~1 s for the first import of scipy, whose root
finder solves the design). What the table preserves of real Adult is in bench/data/adult.py.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..readers.adult import LABEL, NEGATIVE, POSITIVE

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

