"""Lazy: no model at all. Each detector flags the 3% of samples (the anomalies' usual share) farthest from a
centre of the raw values, blind to the season and the trend: the z-score rule from the mean, the "Isolation
Forest" from the median, the "One-Class SVM" from the 10% trimmed mean. What this scores is what needs no
learning: the floors of the F1 targets are set at or above it (`python -m bench.calibrate exp06 --baseline
tests/zoo/top_share_flags`)."""
import numpy as np

SHARE = 0.03


def _farthest(series, centre):
    x = np.asarray(series, dtype=float)
    flags = np.zeros(len(x), dtype=bool)
    flags[np.argsort(-np.abs(x - centre(x)))[: round(SHARE * len(x))]] = True
    return flags


def _trimmed_mean(x):
    low, high = np.quantile(x, [0.1, 0.9])
    return x[(x >= low) & (x <= high)].mean()


def zscore_detector(series, period):
    return _farthest(series, np.mean)  # the largest |z| = (x - mean) / std


def isolation_forest_detector(series, period, seed):
    return _farthest(series, np.median)


def one_class_svm_detector(series, period, seed):
    return _farthest(series, _trimmed_mean)
