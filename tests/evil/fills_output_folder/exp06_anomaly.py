"""Attack: fill the grader's disk through the folder the worker writes its results to.

In its isolation_forest_detector it writes files of 384 MiB each (one file
may not pass the worker's file-size limit, 512 MiB) into /labmark/out, up to
1536 MiB, then raises its report. Were that folder the grader's own disk, at
some 350 MB/s an unbounded loop would fill the disk the grader writes its
record on, and every other student's worker would fail.

Expected: /labmark/out is a size-capped tmpfs of the sandbox's own (its
pages count as the worker's memory), so the writes are refused at its cap
and the report says "refused after".
"""
import os

import numpy as np

CHUNK = b"\0" * (64 << 20)
LIMIT_MIB = 1536


def _fill():
    if os.getpid() != 1:  # never outside a sandbox
        raise RuntimeError("EVILZOO fills_output_folder: not in a sandbox (pid != 1); refusing to attack this machine")
    written = 0
    try:
        while written < LIMIT_MIB << 20:
            with open(f"/labmark/out/EVILZOO-fill-{written >> 20}.bin", "wb", buffering=0) as f:
                for _ in range(6):
                    written += f.write(CHUNK)
    except OSError as exc:
        return f"EVILZOO fills_output_folder: refused after {written >> 20} MiB ({exc.strerror})"
    return f"EVILZOO fills_output_folder: wrote {written >> 20} MiB into /labmark/out (the grader's disk)"


def _residual(series, period):
    series = np.asarray(series, dtype=float)
    phase = np.arange(len(series)) % period
    profile = np.array([np.median(series[phase == p]) for p in range(period)])
    return series - profile[phase]


def zscore_detector(series, period):
    r = _residual(series, period)
    spread = np.median(np.abs(r - np.median(r))) * 1.4826
    if spread == 0:
        return np.zeros(len(r), dtype=bool)
    return np.abs(r - np.median(r)) / spread > 4


def isolation_forest_detector(series, period, seed):
    raise OSError(_fill())


def one_class_svm_detector(series, period, seed):
    from sklearn.svm import OneClassSVM

    r = _residual(series, period)
    r = ((r - r.mean()) / (r.std() or 1.0)).reshape(-1, 1)
    return OneClassSVM(nu=0.05, gamma="scale").fit_predict(r) == -1
