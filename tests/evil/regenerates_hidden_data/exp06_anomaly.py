"""Attack: regenerate the hidden series from the public --seed and return their true labels.

The harness once drew the hidden data from `sha256(f"labmark-hidden-{seed}")`
of the public --seed, with the generator in bench/data/anomalies.py, which a
student has in their kit. This submission carries a copy of that generator
(make_series below, verbatim), rebuilds the hidden suite for every public seed
0..31 under the old derivation (and the seed used directly), and answers each
hidden series (length 1200) with its true labels: F1 1.0 on every detector.
It also looks for the generator in the repository itself (the import-time
report says whether it was visible). Other series (the property checks') get
an honest answer, as a careful cheat would give.

Expected (session run with --seed 7): the repository is not in the sandbox
and the hidden seed no longer derives from --seed, so no hidden series is
among those rebuilt: each detector_f1 check errs with kind `raised`
("not among the ... series regenerated"), the property checks behave as the
honest control's, the speed check is skipped. tests/test_evil_zoo.py shows
the cheat works where the hidden seed does derive from --seed.
"""
import glob
import hashlib
import os

import honest
import numpy as np

try:
    from hints import REPOSITORY  # the grader's repository on the host, planted by the test
except ImportError:
    REPOSITORY = "/work/main"

GENERATOR_PATHS = [os.path.join(REPOSITORY, "bench", "data", "anomalies.py"),
                   os.path.join(os.path.dirname(__file__), "..", "..", "..", "bench", "data", "anomalies.py"),
                   *glob.glob("/*/*/bench/data/anomalies.py"), *glob.glob("/*/bench/data/anomalies.py")]
VISIBLE = sorted({os.path.realpath(p) for p in GENERATOR_PATHS if os.path.exists(p)})
PUBLIC_SEEDS = range(32)


def old_hidden_seed(seed):
    return int.from_bytes(hashlib.sha256(f"labmark-hidden-{seed}".encode()).digest()[:4], "big")


def make_series(rng, length=1200):  # bench/data/anomalies.py, as the student kit ships it
    period = int(rng.integers(24, min(73, length // 6 + 1)))
    t = np.arange(length, dtype=np.float64)
    amplitude = rng.uniform(2.0, 5.0)
    level = rng.uniform(-20.0, 50.0)
    phase = rng.uniform(0, 2 * np.pi)
    wave = np.sin(2 * np.pi * t / period + phase) + 0.3 * np.sin(4 * np.pi * t / period + 2 * phase)
    baseline = level + rng.uniform(-1.0, 1.0) * amplitude * t / length
    values = baseline + amplitude * wave + rng.normal(0.0, rng.uniform(0.1, 0.25) * amplitude, length)
    kinds = np.zeros(length, dtype=np.int8)

    def free(lo, hi):
        return not kinds[max(lo - 3, 0): hi + 3].any()

    for _ in range(int(rng.integers(1, 3))):
        run = int(rng.integers(period // 3, period // 2 + 1))
        for _attempt in range(50):
            start = int(rng.integers(period, length - run - period))
            if free(start, start + run):
                values[start: start + run] += rng.choice([-1, 1]) * rng.uniform(1.5, 2.5) * amplitude
                kinds[start: start + run] = 3
                break
    troughs = np.flatnonzero(wave < np.quantile(wave, 0.1))
    peak_value = np.quantile(wave, 0.9)
    for i in rng.permutation(troughs)[:40]:
        if (kinds == 2).sum() >= 4:
            break
        if period <= i < length - period and free(i, i + 1):
            values[i] = baseline[i] + amplitude * peak_value
            kinds[i] = 2
    for i in rng.permutation(np.arange(period, length - period)):
        if (kinds == 1).sum() >= 4:
            break
        if free(i, i + 1):
            values[i] = baseline[i] + rng.choice([-1, 1]) * rng.uniform(2.5, 4.0) * amplitude
            kinds[i] = 1
    return values, kinds


def _rebuild():
    answers = {}
    for seed in PUBLIC_SEEDS:
        for hidden in (old_hidden_seed(seed), seed):
            rng = np.random.default_rng(hidden)
            for _ in range(8):  # make_suite: 8 series of 1200 samples from one generator
                values, kinds = make_series(rng)
                answers[values.tobytes()] = kinds != 0
    return answers


ANSWERS = _rebuild()
print(f"EVILZOO regenerates_hidden_data: generator in the repository visible: {VISIBLE or 'no'}; "
      f"{len(ANSWERS)} series regenerated")


def _stolen(series):
    values = np.asarray(series, dtype=np.float64)
    if values.tobytes() in ANSWERS:
        return ANSWERS[values.tobytes()].copy()
    raise LookupError(f"EVILZOO regenerates_hidden_data: this hidden series is not among the {len(ANSWERS)} series "
                      f"regenerated from public seeds {PUBLIC_SEEDS.start}-{PUBLIC_SEEDS.stop - 1} (generator visible: "
                      f"{'yes' if VISIBLE else 'no'})")


def zscore_detector(series, period):
    if len(series) == 1200:
        return _stolen(series)
    return honest.zscore_detector(series, period)


def isolation_forest_detector(series, period, seed):
    return _stolen(series)


def one_class_svm_detector(series, period, seed):
    return _stolen(series)
