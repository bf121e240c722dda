"""Adult handed to AIF360: the real files staged where `aif360.datasets.AdultDataset` reads them, and any
Adult-schema frame (real or embedded) as an AIF360 dataset with AdultDataset's conventions.

AIF360 notes: AdultDataset reads only adult.data and adult.test (adult.names is in its instructions, not its
code), and calls `sys.exit` when its own copy under the aif360 package is missing; it takes adult.test's first
line as a header, so a copy without the "|1x3" comment line silently loses its first record; it drops rows
with a '?' (3,620 of 48,842) and fnlwgt, and puts the adult.test rows first. Importing `aif360.metrics` (or
the algorithms) also imports TensorFlow, through aif360.algorithms.inprocessing: 5-25 s.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
from pathlib import Path

import numpy as np
import pandas as pd

from .fetch import sha256_of
from .readers.adult import ADULT_FILES, CATEGORY_VALUES, LABEL, NEGATIVE, POSITIVE, UCI_URL, find_adult

# AIF360's conventions (AdultDataset): privileged groups and the features it one-hot encodes.
PRIVILEGED = {"sex": "Male", "race": "White"}
AIF360_CATEGORICAL = ("workclass", "education", "marital-status", "occupation", "relationship", "native-country")
FETCH_HINT = (
    f"fetch them with `python -m bench.data fetch adult`, or download {UCI_URL}adult.data, {UCI_URL}adult.test "
    f"(and {UCI_URL}adult.names) and place them as-is in <data dir>/adult/"
)


class AdultFilesMissing(FileNotFoundError):
    """The raw Adult files are neither in the data dir nor where AIF360 reads them."""


def aif360_adult_folder() -> Path:
    """Where `aif360.datasets.AdultDataset` reads adult.data/adult.test (the path it builds itself)."""
    from aif360.datasets import adult_dataset

    return Path(os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(adult_dataset.__file__)),
                                             "..", "data", "raw", "adult")))


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
            if dst.is_file() and dst.stat().st_size == src.stat().st_size and sha256_of(dst) == sha256_of(src):
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

