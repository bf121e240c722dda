"""Experiment 6: anomaly detection in a seasonal time series.

Aim: find the unusual samples in a noisy seasonal signal with three detectors
the lab compares (a z-score rule, Isolation Forest, One-Class SVM) and see
which kinds of anomaly each one catches.

Data: hidden series drawn fresh for every grading run by
`bench/data/anomalies.py` (seasonal wave, trend, noise; point, contextual and
collective anomalies). The detector gets the series and its seasonal period;
the labels never leave the grading process.

Claim: the reference z-score detector finds every kind of anomaly (mean F1
0.999 over 5 seeds); its Isolation Forest and One-Class SVM reach 0.83 and
0.86. The targets below are measured from it.
"""

from __future__ import annotations

import numpy as np

from reference.spec import BudgetSpec, Experiment, Function, Target

INTERFACE = (
    Function("zscore_detector", ("series", "period"), "bool mask, shape (n,)",
             "Flag samples whose z-score (of whatever residual you choose) exceeds a threshold."),
    Function("isolation_forest_detector", ("series", "period", "seed"), "bool mask, shape (n,)",
             "Flag anomalies with sklearn's IsolationForest; seed makes it reproducible."),
    Function("one_class_svm_detector", ("series", "period", "seed"), "bool mask, shape (n,)",
             "Flag anomalies with sklearn's OneClassSVM."),
)

# Measured, not chosen: see bench/calibrate.py for the rule.
TARGETS: tuple[Target, ...] = (
    Target('f1_zscore', floor=0.49, target=0.99, variant='embedded',
           source='reference, seeds 0,1,2,3,4, 2 CPU threads (AMD EPYC), 2026-11-23: mean 0.9987, min 0.9952, sd 0.0021; `python -m bench.calibrate exp06`'),
    Target('f1_isolation_forest', floor=0.36, target=0.72, variant='embedded',
           source='reference, seeds 0,1,2,3,4, 2 CPU threads (AMD EPYC), 2026-11-23: mean 0.8308, min 0.7672, sd 0.0412; `python -m bench.calibrate exp06`'),
    Target('f1_one_class_svm', floor=0.39, target=0.78, variant='embedded',
           source='reference, seeds 0,1,2,3,4, 2 CPU threads (AMD EPYC), 2026-11-23: mean 0.8607, min 0.8220, sd 0.0342; `python -m bench.calibrate exp06`'),
)

SPEC = Experiment(
    id="exp06",
    module="exp06_anomaly",
    title="Anomaly detection in time series",
    aim=__doc__.split("\n\n")[1].replace("\n", " "),
    interface=INTERFACE,
    targets=TARGETS,
    graded_metrics=("f1_zscore", "f1_isolation_forest", "f1_one_class_svm"),
    libraries=("sklearn.ensemble", "sklearn.svm"),
    budget=BudgetSpec(train_seconds=30, quick_train_seconds=15, call_seconds=30, import_seconds=60, memory_mb=4096),
)


# ---------------------------------------------------------------------------
# Reference detectors
#
# All three work on the same residual: the series minus a robust trend and a
# robust seasonal profile. What is left is noise plus the anomalies, and every
# anomaly kind, contextual included, stands far out of it.
# ---------------------------------------------------------------------------

TREND_CYCLES = 2  # trend window, in whole periods, so the seasonal wave cancels inside it
Z_THRESHOLD = 4.0  # textbook 3.5 gives ~0.5 false alarms per 1200 Gaussian samples (F1 0.987 vs 0.998)
CONTAMINATION = 0.03  # expected share of anomalous samples (the generator's average is about 3%)


def _rolling_median(x: np.ndarray, window: int, period: int) -> np.ndarray:
    """Centred rolling median of x (len(x) >= period).

    Past either end the series continues with the same phase of its first (or
    last) cycle, so every window still spans whole cycles near the ends."""
    n = x.size
    idx = np.arange(-(window // 2), n + window - 1 - window // 2)
    idx = np.where(idx < 0, idx % period, idx)
    idx = np.where(idx >= n, n - period + (idx - n) % period, idx)
    return np.median(np.lib.stride_tricks.sliding_window_view(x[idx], window), axis=1)


def _seasonal_profile(detrended: np.ndarray, period: int) -> np.ndarray:
    """Median of the samples at each phase of the cycle, repeated to full length."""
    cycles = -(-detrended.size // period)
    by_phase = np.full(cycles * period, np.nan)  # last cycle may be incomplete
    by_phase[: detrended.size] = detrended
    return np.resize(np.nanmedian(by_phase.reshape(cycles, period), axis=0), detrended.size)


def seasonal_residual(series, period) -> np.ndarray:
    """The series minus its trend and seasonal profile, both estimated with
    medians so that the anomalies we look for do not bend them."""
    x = np.asarray(series, dtype=np.float64).reshape(-1)
    period = max(int(period), 1)
    if x.size < 2 * period:  # under two cycles there is no telling the wave from noise
        return x - np.median(x) if x.size else x
    window = TREND_CYCLES * period
    seasonal = _seasonal_profile(x - _rolling_median(x, window, period), period)
    # Re-estimate the trend on the deseasonalised series: there the values are
    # dense around the median, so a shifted collective run barely moves it
    # (on the raw wave the median sits where values are sparse, and moves a lot;
    # z-score F1 0.88 without this step, 0.99 with).
    trend = _rolling_median(x - seasonal, window, period)
    return x - seasonal - trend


def _standardize(r: np.ndarray) -> np.ndarray:
    """(r - median) in units of the noise: 1.4826 * MAD, the standard deviation
    for Gaussian noise, but unmoved by the outliers. If over half the values are
    equal (MAD = 0) use the mean absolute deviation; if all are, return zeros."""
    if r.size == 0:
        return r
    centred = r - np.median(r)
    scale = 1.4826 * np.median(np.abs(centred))
    if scale == 0:
        scale = 1.2533 * np.abs(centred).mean()
    return centred / scale if scale > 0 else np.zeros_like(r)


def zscore_detector(series, period) -> np.ndarray:
    """Flag samples whose robust z-score of the seasonal residual exceeds Z_THRESHOLD."""
    return np.abs(_standardize(seasonal_residual(series, period))) > Z_THRESHOLD


def _features(series, period) -> np.ndarray:
    """One feature per sample: the residual in noise units.

    A second feature, the median residual of a quarter-period neighbourhood
    (to expose collective runs), was measured: F1 moved by +0.02 for
    Isolation Forest and 0 for the SVM, while the forest's recall of point
    anomalies fell from 0.98 to 0.69. The residual alone already sets every
    kind of anomaly far apart from the noise."""
    return _standardize(seasonal_residual(series, period)).reshape(-1, 1)


def isolation_forest_detector(series, period, seed) -> np.ndarray:
    """Isolation Forest on the residual feature; flags a share CONTAMINATION of the samples."""
    from sklearn.ensemble import IsolationForest

    X = _features(series, period)
    if len(X) < 2 or not X.any():  # a perfectly regular series: nothing to isolate
        return np.zeros(len(X), dtype=bool)
    forest = IsolationForest(n_estimators=100, contamination=CONTAMINATION, random_state=seed)
    return forest.fit_predict(X) == -1


def one_class_svm_detector(series, period, seed) -> np.ndarray:
    """One-Class SVM on the residual feature; nu = CONTAMINATION.

    The kernel is wide (gamma = 0.001 on a feature in noise units). A narrow
    one estimates density, and a collective run is a dense cluster that then
    looks normal (F1 0.32 with gamma="scale"). A wide one makes the SVM close
    to the smallest ball that holds all but a share nu of the samples; but the
    ball's centre is drawn towards the samples left outside, so a run on one
    side pulls it over and pushes normal samples out on the other (F1 0.68).
    A normal residual is as likely negative as positive, so fitting on the
    samples and their mirror image pins the centre at zero (F1 0.86).
    F1 figures: make_suite seeds 0-4. `seed` is unused: OneClassSVM is deterministic.
    """
    from sklearn.svm import OneClassSVM

    X = _features(series, period)
    if len(X) < 2 or not X.any():
        return np.zeros(len(X), dtype=bool)
    svm = OneClassSVM(kernel="rbf", nu=CONTAMINATION, gamma=0.001).fit(np.vstack([X, -X]))
    return svm.predict(X) == -1
