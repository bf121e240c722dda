"""Attack: make the grader read a file of the host's in place of a result.

Before each answer it replaces the result's name /labmark/out/r<id>.npy with a
symbolic link to /tmp/EVILZOO-r<id>.npy. Inside the sandbox that path is its
private /tmp, so the worker's own np.save writes through the link; on the
host the same path names a file of the grader's machine. A grader that
followed the link would read (and score, or leak) whatever the host holds
there: the record, another student's result, a key.

Expected: the grader opens results without following links: every check that
calls a detector fails with kind `bad_output`, the message naming the refused
link ("Too many levels of symbolic links"), not a host file's contents and not
"No such file"; the speed check is skipped.
"""
import os
import sys

import honest


def _link_this_answer():
    rid = sys._getframe(2).f_locals.get("rid")  # the worker loop's request id: the result will be r<rid>.npy
    if isinstance(rid, int):
        name = f"r{rid}.npy"
        os.symlink(f"/tmp/EVILZOO-{name}", os.path.join("/labmark/out", name))


def zscore_detector(series, period):
    _link_this_answer()
    return honest.zscore_detector(series, period)


def isolation_forest_detector(series, period, seed):
    _link_this_answer()
    return honest.isolation_forest_detector(series, period, seed)


def one_class_svm_detector(series, period, seed):
    _link_this_answer()
    return honest.one_class_svm_detector(series, period, seed)
