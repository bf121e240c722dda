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

from honest import one_class_svm_detector, zscore_detector  # noqa: F401

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


def isolation_forest_detector(series, period, seed):
    raise OSError(_fill())
