"""`python -m grading gradescope-bundle --out autograder.zip [--key KEY] [--bench-args "..."]`: a Gradescope autograder.

Gradescope takes a zip with `setup.sh` and an executable `run_autograder` at
its root, unpacks it into /autograder/source/, runs setup.sh once (as root,
on Ubuntu) to build the image, then run_autograder for every submission
(gradescope-autograders.readthedocs.io/en/latest/specs/). The zip holds:

- `labmark/`: the student kit (`python -m bench kit`: the harness, every
  experiment's public part, the reference's recorded speed figures; no
  reference solution, so speed divides by the recorded figures);
- `setup.sh`: installs bubblewrap if missing (the workers' sandbox), makes a
  virtual environment in /autograder/source/venv and `pip install -e` the
  bundled labmark;
- `run_autograder`: runs `python -m grading.autograder` (grading/autograder.py)
  with the bench options given here, and writes a results.json with score 0
  even when Python itself cannot start;
- `grading.key`, with `--key`: the course's grading key, so that Gradescope
  grades on the same hidden data as the instructor's runs.

Options run_autograder sets itself (--submission, --submissions-dir,
--record, --report, --key) cannot be given in --bench-args.
"""

from __future__ import annotations

import shlex
import stat
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from .autograder import KEY_NAME

REPO = Path(__file__).resolve().parents[1]
SET_BY_RUN_AUTOGRADER = ("--submission", "--submissions-dir", "--record", "--report", "--key")
FIXED_TIME = (2026, 1, 1, 0, 0, 0)  # the same bundle for the same files

SETUP_SH = """\
#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder's image.
set -euo pipefail
source="${LABMARK_AUTOGRADER_ROOT:-/autograder}/source"
if ! command -v bwrap >/dev/null 2>&1; then  # the sandbox the bench runs each worker in
    apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends bubblewrap
fi
python=""
for candidate in python3.13 python3.12 python3.11 python3; do
    if command -v "$candidate" >/dev/null 2>&1 && \\
       "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
        python="$candidate"; break
    fi
done
if [ -z "$python" ]; then
    echo "labmark needs Python 3.11 or newer; choose a newer Ubuntu base image in the autograder settings" >&2
    exit 1
fi
"$python" -m venv "$source/venv"
"$source/venv/bin/python" -m pip install --upgrade pip
"$source/venv/bin/python" -m pip install -e "$source/labmark"
"""

RUN_AUTOGRADER = """\
#!/usr/bin/env bash
# Gradescope runs this for every submission. It grades /autograder/submission/ as one student and writes
# /autograder/results/results.json, whatever happens. $LABMARK_AUTOGRADER_ROOT replaces /autograder and
# $LABMARK_PYTHON the Python setup.sh installed (both for tests).
root="${{LABMARK_AUTOGRADER_ROOT:-/autograder}}"
python="${{LABMARK_PYTHON:-$root/source/venv/bin/python}}"
mkdir -p "$root/results"
rm -f "$root/results/results.json"
cd "$root/source/labmark" && "$python" -m grading.autograder --root "$root" -- {bench_args}
status=$?
if [ ! -s "$root/results/results.json" ]; then
    printf '{{"score": 0, "output": "The autograder could not start (exit status %s): its Python environment is \
broken. This is a fault of the grader, not of your submission; your instructor can see the log.", "visibility": \
"visible", "stdout_visibility": "hidden", "tests": []}}\\n' "$status" > "$root/results/results.json"
fi
exit 0
"""


class BundleError(RuntimeError):
    """A bundle that cannot be built as asked."""


def bench_arguments(text: str) -> list[str]:
    try:
        args = shlex.split(text)
    except ValueError as exc:
        raise BundleError(f"--bench-args {text!r}: {exc}; quote it as a shell would") from None
    taken = [a for a in args if a.split("=", 1)[0] in SET_BY_RUN_AUTOGRADER]
    if taken:
        raise BundleError(f"--bench-args sets {', '.join(taken)}; run_autograder sets "
                          f"{', '.join(SET_BY_RUN_AUTOGRADER)} itself (use --key KEY for the key)")
    return args


def _add(zf: zipfile.ZipFile, name: str, data: bytes, mode: int) -> None:
    info = zipfile.ZipInfo(name, FIXED_TIME)
    info.external_attr = (stat.S_IFREG | mode) << 16
    info.compress_type = zipfile.ZIP_DEFLATED
    zf.writestr(info, data)


def build_bundle(out: Path, key: Path | None = None, bench_args: str = "", root: Path = REPO) -> list[str]:
    """Write the autograder zip; returns the names in it."""
    args = bench_arguments(bench_args)
    key_bytes = None
    if key is not None:
        try:
            key_bytes = Path(key).read_bytes()
        except OSError as exc:
            raise BundleError(f"--key {key}: cannot be read ({exc.strerror})") from None
        if not key_bytes.strip():
            raise BundleError(f"--key {key}: the file is empty; make one with python -m bench.key new FILE")
    with tempfile.TemporaryDirectory(prefix="labmark-bundle-") as tmp:
        kit = Path(tmp) / "labmark"
        made = subprocess.run([sys.executable, "-m", "bench", "kit", "--out", str(kit)], cwd=root,
                              capture_output=True, text=True, timeout=300)
        if made.returncode != 0:
            raise BundleError(f"the student kit could not be built: {made.stderr.strip() or made.stdout.strip()}")
        files = sorted(p for p in kit.rglob("*") if p.is_file() and not p.is_symlink())
        out = Path(out)
        out.parent.mkdir(parents=True, exist_ok=True)
        partial = out.with_name(out.name + ".partial")
        with zipfile.ZipFile(partial, "w") as zf:
            _add(zf, "setup.sh", SETUP_SH.encode(), 0o755)
            _add(zf, "run_autograder", RUN_AUTOGRADER.format(bench_args=shlex.join(args)).encode(), 0o755)
            if key_bytes is not None:
                _add(zf, KEY_NAME, key_bytes, 0o600)
            for path in files:
                _add(zf, f"labmark/{path.relative_to(kit).as_posix()}", path.read_bytes(),
                     0o755 if path.stat().st_mode & 0o111 else 0o644)
            names = zf.namelist()
        partial.replace(out)
    return names
