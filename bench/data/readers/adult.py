"""UCI Adult's raw files and schema: `adult.data` and `adult.test` (and `adult.names`, which only AIF360's README
asks for) under `<data dir>/adult/`: 15 columns, '?' as missing, the label `income` is 1 for '>50K'.

`adult.test` starts with a comment line ("|1x3 Cross validator") and its labels end with a '.', both handled
here. x is a DataFrame of the 14 features, y int64. The real files parse in a fraction of a second, so no
`cached` array copy is kept.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from .. import DatasetInfo, Split, checksum

COLUMNS = (
    "age", "workclass", "fnlwgt", "education", "education-num", "marital-status", "occupation",
    "relationship", "race", "sex", "capital-gain", "capital-loss", "hours-per-week", "native-country", "income",
)
FEATURES = COLUMNS[:-1]
LABEL = "income"
NUMERIC = ("age", "fnlwgt", "education-num", "capital-gain", "capital-loss", "hours-per-week")
CATEGORICAL = tuple(c for c in FEATURES if c not in NUMERIC)
POSITIVE, NEGATIVE = ">50K", "<=50K"

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
UCI_URL = "https://archive.ics.uci.edu/ml/machine-learning-databases/adult/"


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


def adult_split(train: pd.DataFrame, test: pd.DataFrame, info_kw: dict) -> Split:
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
    return adult_split(train, test, dict(
        name="adult", variant="real", version="uci-raw",
        source=f"UCI Adult raw files adult.data/adult.test in {files['adult.data'].parent}"))
