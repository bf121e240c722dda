"""Lab 6 - Anomaly detection in time series.

Three detectors for a seasonal series: a z-score rule, Isolation Forest and
One-Class SVM. Each returns a boolean array, True where a point is anomalous.
"""

# The course's example submission, written the way a student would, with
# mistakes students commonly make left in on purpose:
#   - zscore_detector scores the raw values, so the seasonal wave hides the
#     contextual anomalies (a trough sample set to a peak value looks normal);
#     and it does not guard std == 0: a constant series gives NaN (no flags),
#     except a tiny one (e.g. 1e-149), where x - mean rounds to a nonzero
#     value whose square underflows, std is 0 and every sample gets z = inf;
#   - the Isolation Forest sees only the raw value and flags a fixed 5%;
#   - the One-Class SVM has sensible features but nu = 0.1, about three times
#     the share of anomalies, so most of its flags are false alarms.


import numpy as np
from sklearn.ensemble import IsolationForest
from sklearn.preprocessing import StandardScaler
from sklearn.svm import OneClassSVM


def zscore_detector(series, period):
    # standard z-score: how many standard deviations each point is from the mean
    # (the period is not needed for this method)
    x = np.asarray(series, dtype=float)
    z = (x - x.mean()) / x.std()
    return np.abs(z) > 3  # 3 sigma rule from the lecture


def isolation_forest_detector(series, period, seed):
    x = np.asarray(series, dtype=float)
    X = x.reshape(-1, 1)  # sklearn wants a 2D array
    model = IsolationForest(n_estimators=100, contamination=0.05, random_state=seed)
    labels = model.fit_predict(X)  # -1 = anomaly, 1 = normal
    return labels == -1


def one_class_svm_detector(series, period, seed):
    x = np.asarray(series, dtype=float)
    # features: the value and the change from the previous value (spikes and jumps show up in the difference)
    diff = np.diff(x, prepend=x[:1])
    X = np.column_stack([x, diff])
    X = StandardScaler().fit_transform(X)
    model = OneClassSVM(kernel="rbf", gamma="scale", nu=0.1)  # assume up to 10% anomalies to be safe
    return model.fit_predict(X) == -1


if __name__ == "__main__":
    # quick check on a toy series: a sine wave with one spike
    t = np.arange(500)
    toy = np.sin(2 * np.pi * t / 50) + np.random.default_rng(0).normal(0, 0.1, 500)
    toy[200] += 5
    for f in (zscore_detector, isolation_forest_detector, one_class_svm_detector):
        flags = f(toy, 50) if f is zscore_detector else f(toy, 50, 0)
        print(f.__name__, "flagged", flags.sum(), "points, spike found:", flags[200])
