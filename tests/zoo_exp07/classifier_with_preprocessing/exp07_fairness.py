"""Control: a valid model made of a pair, `(classifier, {"scaler": ..., "columns": ...})`.

The interface's model is "any object predict() accepts": here the student keeps
the fitted preprocessing beside a plain LogisticRegression, as many lab notebooks
do, and predict() unpacks it. The weights are the reference's. It must be graded
like the reference: the pair stays in the worker as one model, and is never read
as (model, history).
"""
import numpy as np

from reference_solution import reweighing_weights  # noqa: F401 (the interface)


def _features(x, preprocessing):
    import pandas as pd

    table = pd.get_dummies(x.fillna("missing").astype({c: str for c in x.columns
                                                        if c not in preprocessing["numeric"]}), dtype=float)
    table = table.reindex(columns=preprocessing["columns"], fill_value=0.0)
    return preprocessing["scaler"].transform(table.to_numpy())


def train_classifier(x_train, y_train, sample_weight, budget):
    import pandas as pd
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    numeric = [c for c in x_train.columns if pd.api.types.is_numeric_dtype(x_train[c])]
    table = pd.get_dummies(x_train.fillna("missing").astype({c: str for c in x_train.columns if c not in numeric}),
                           dtype=float)
    preprocessing = {"numeric": numeric, "columns": list(table.columns),
                     "scaler": StandardScaler().fit(table.to_numpy())}
    classifier = LogisticRegression(max_iter=1000, random_state=budget.seed)
    classifier.fit(_features(x_train, preprocessing), np.asarray(y_train),
                   sample_weight=np.asarray(sample_weight, dtype=np.float64))
    return classifier, preprocessing


def predict(model, x):
    classifier, preprocessing = model
    return classifier.predict(_features(x, preprocessing)).astype(np.int64)
