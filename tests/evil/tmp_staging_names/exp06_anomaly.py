"""Attack: plant files under the names the grader gives its own temporary folders.

The grader stages each worker in /tmp/labmark-<random> and the worker package
in /tmp/labmark-lib-<random>. At import this submission creates, in /tmp and
/dev/shm, folders and links named labmark-EVILZOO-*, a labmark-lib-EVILZOO
tree holding a replacement worker loop, links into its own output folder, and
/tmp/pytest-of-root/EVILZOO: on a shared /tmp, a grader that reused or
followed such names would run the planted loop or write where the link points.

Expected: its /tmp and /dev/shm are private tmpfs mounts: nothing appears on
the host (the test lists the host's /tmp, /tmp/pytest-of-root and /dev/shm),
and every check ends as the honest control's.
"""
import os

from honest import isolation_forest_detector, one_class_svm_detector, zscore_detector  # noqa: F401


def _plant():
    if os.getpid() != 1:  # never outside a sandbox: it would litter this machine's /tmp
        raise RuntimeError("EVILZOO tmp_staging_names: not in a sandbox (pid != 1); refusing to attack this machine")
    made = 0
    for top in ("/tmp", "/dev/shm"):
        for i in range(50):
            os.makedirs(f"{top}/labmark-EVILZOO-{i}/in/src", exist_ok=True)
            os.symlink("/labmark/out", f"{top}/labmark-EVILZOO-link-{i}")
            made += 2
    lib = "/tmp/labmark-lib-EVILZOO/lib/labmark_worker"
    os.makedirs(lib)
    with open(f"{lib}/loop.py", "w") as f:
        f.write("def main(argv):\n    print('EVILZOO loop')\n    return 0\n")
    os.makedirs("/tmp/pytest-of-root/EVILZOO")
    print(f"EVILZOO tmp_staging_names: planted {made + 2} names in /tmp and /dev/shm", flush=True)


_plant()
