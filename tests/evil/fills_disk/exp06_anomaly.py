"""Attack: fill the disk the grader writes its records on.

Its isolation_forest_detector allocates files in /tmp until the file system
refuses (ENOSPC), and its one_class_svm_detector does the same in its home
(/labmark/scratch). It allocates (fallocate) rather than writes zeros: the
same pages, filled several times faster, so the fill ends well inside the
detector's 3 s budget even on a loaded machine (writing took over 8 s once). Were these the machine's disks, the grader could no
longer write the journal, the record or anyone's results.

Expected: both are private tmpfs mounts capped at 2 GiB (their pages count
against the worker's memory): each fill stops at the cap, the detector raises
the ENOSPC error, naming a 2048 MiB file system, so both F1 checks err with
kind `raised`; the host's disk is untouched; the zscore checks behave as the
honest control's; the speed check is skipped.
"""
import errno
import os

from honest import zscore_detector  # noqa: F401

CHUNK = 64 << 20


def _fill(folder):
    if os.getpid() != 1:  # never outside a sandbox: it would fill this machine's disk
        raise RuntimeError("EVILZOO fills_disk: not in a sandbox (pid != 1); refusing to attack this machine")
    size = os.statvfs(folder)
    paths, written = [], 0
    try:
        while True:  # files of 448 MiB: one file may not pass the worker's file-size limit (512 MiB)
            paths.append(os.path.join(folder, f"EVILZOO-fill-{len(paths)}"))
            fd = os.open(paths[-1], os.O_CREAT | os.O_WRONLY, 0o600)
            try:
                for i in range(7):
                    os.posix_fallocate(fd, i * CHUNK, CHUNK)
                    written += CHUNK
            finally:
                os.close(fd)
    except OSError as exc:
        if exc.errno != errno.ENOSPC:
            raise
    finally:
        for path in paths:  # so that the next fill is judged alone (two full ones would meet the memory limit)
            if os.path.exists(path):
                os.unlink(path)
    raise OSError(errno.ENOSPC, f"EVILZOO fills_disk: {folder} full after {written >> 20} MiB (a "
                                f"{size.f_blocks * size.f_frsize >> 20} MiB file system)")


def isolation_forest_detector(series, period, seed):
    _fill("/tmp")


def one_class_svm_detector(series, period, seed):
    _fill(os.path.expanduser("~"))
