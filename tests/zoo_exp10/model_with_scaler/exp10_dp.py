"""Control: a valid model made of a pair, `(model, scaler)`.

The interface's model is "any object predict_proba accepts": here the features are
standardised by a scikit-learn StandardScaler kept beside the network, and
predict_proba unpacks the pair. train_private returns ((model, scaler), report).
The training is the reference's on the standardised rows. It must be graded like the
reference: the pair stays in the worker as one model.
"""
from reference_solution import gaussian_mechanism, laplace_mechanism  # noqa: F401 (the interface)
from reference_solution import predict_proba as reference_predict
from reference_solution import train_nonprivate as reference_nonprivate
from reference_solution import train_private as reference_private


def _scaler(x_train):
    from sklearn.preprocessing import StandardScaler

    return StandardScaler().fit(x_train)  # feature scales count as public knowledge, as in the reference


def train_private(x_train, y_train, epsilon, delta, budget):
    scaler = _scaler(x_train)
    model, report = reference_private(scaler.transform(x_train), y_train, epsilon, delta, budget)
    return (model, scaler), report


def train_nonprivate(x_train, y_train, budget):
    scaler = _scaler(x_train)
    return reference_nonprivate(scaler.transform(x_train), y_train, budget), scaler


def predict_proba(model, x):
    network, scaler = model
    return reference_predict(network, scaler.transform(x))
