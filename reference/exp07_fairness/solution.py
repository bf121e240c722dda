"""The reference solution of Experiment 7, graded as `--submission=reference`.

The experiment's public part (aim, interface, targets, budgets) is `__init__.py`
beside this file; a student kit ships that part without this one.
"""

from __future__ import annotations

import numpy as np

from reference.spec import Budget

# ---------------------------------------------------------------------------
# Reference solution (numpy, scikit-learn). AIF360 is not needed at all: the
# checks compute its metrics themselves.

NUMERIC = ("age", "fnlwgt", "education-num", "capital-gain", "capital-loss", "hours-per-week")
MISSING = "?"  # the raw files' marker; loaders may also give NaN


def reweighing_weights(protected, labels):
    """w(a, y) = P(A=a) P(Y=y) / P(A=a, Y=y): each (group, label) cell weighted as if A and Y were independent."""
    a, y = np.asarray(protected, dtype=np.int64), np.asarray(labels, dtype=np.int64)
    joint = np.bincount(2 * a + y, minlength=4).reshape(2, 2) / len(y)  # joint[a, y] = P(A=a, Y=y)
    p_a, p_y = joint.sum(axis=1), joint.sum(axis=0)
    return p_a[a] * p_y[y] / joint[a, y]  # a cell that holds no row is never indexed


def train_classifier(x_train, y_train, sample_weight, budget: Budget):
    """Logistic regression on one-hot categoricals and standardised numerics, as in the lab.

    All 14 features are used, sex included: reweighing changes the training
    distribution, not the features. The weights reach the model through the
    pipeline's `logisticregression__sample_weight`; the scaler and encoder
    are fitted unweighted (weighted means and spreads would only rescale the
    inputs).
    lbfgs is deterministic, so the seed does not change the result.
    """
    from sklearn.compose import ColumnTransformer
    from sklearn.impute import SimpleImputer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    numeric = [c for c in x_train.columns if c in NUMERIC]
    categorical = [c for c in x_train.columns if c not in NUMERIC]
    columns = ColumnTransformer([
        ("numeric", StandardScaler(), numeric),
        # NaN and '?' become the same "missing" category; values unseen in training encode as all zeros.
        ("categorical", make_pipeline(SimpleImputer(strategy="constant", fill_value=MISSING),
                                      OneHotEncoder(handle_unknown="ignore")), categorical),
    ])
    model = make_pipeline(columns, LogisticRegression(max_iter=1000, random_state=budget.seed))
    return model.fit(x_train, np.asarray(y_train),
                     logisticregression__sample_weight=np.asarray(sample_weight, dtype=np.float64))


def predict(model, x):
    return model.predict(x).astype(np.int64)
