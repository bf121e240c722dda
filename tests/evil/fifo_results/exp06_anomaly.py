"""Attack: hang the grader with FIFOs planted under the names of the results it will read.

At import it makes FIFOs /labmark/out/r1.npy ... r200.npy (the names the
worker gives its results: r<request id>.npy), and before each answer one for
that very request (whose id it reads from the worker loop's frame). It keeps
each FIFO open itself and replaces np.save with one that writes the whole
array at once (np.save seeks, which a FIFO cannot), so that the worker's own
results go into the FIFOs without blocking. A grader that opened a result as
a plain file would block on it for ever, and the whole class's run with it.

Expected: the grader opens results without blocking and without following
links, sees that they are not regular files and answers at once: every check
that calls a detector fails with kind `bad_output` ("not a regular file"),
no check takes long, the speed check is skipped, the session goes on.
"""
import io
import os
import sys

import honest
import numpy as np

OUT = "/labmark/out"
HELD = []


def _plant(name):
    path = os.path.join(OUT, name)
    if not os.path.exists(path):
        os.mkfifo(path)
        HELD.append(os.open(path, os.O_RDWR | os.O_NONBLOCK))  # a reader of our own: np.save never blocks


for n in range(1, 201):
    _plant(f"r{n}.npy")

_save = np.save


def _save_whole(file, arr, *args, **kwargs):  # np.save seeks, which a FIFO cannot: hand it the bytes at once
    buffer = io.BytesIO()
    _save(buffer, arr, *args, **kwargs)
    with open(file, "wb") as f:
        f.write(buffer.getvalue())


np.save = _save_whole  # the worker loop's own np.save: its results now go into the FIFOs


def _plant_for_this_answer():
    rid = sys._getframe(2).f_locals.get("rid")  # the worker loop's request id: the result will be r<rid>.npy
    if isinstance(rid, int):
        _plant(f"r{rid}.npy")


def zscore_detector(series, period):
    _plant_for_this_answer()
    return honest.zscore_detector(series, period)


def isolation_forest_detector(series, period, seed):
    _plant_for_this_answer()
    return honest.isolation_forest_detector(series, period, seed)


def one_class_svm_detector(series, period, seed):
    _plant_for_this_answer()
    return honest.one_class_svm_detector(series, period, seed)
