"""What a Gradescope bundle's `run_autograder` runs: `python -m grading.autograder --root /autograder [-- BENCH ARGS]`.

Gradescope puts the student's files in /autograder/submission/ and reads
/autograder/results/results.json (gradescope-autograders.readthedocs.io/en/latest/specs/).
This grades the submission as one student: the files are copied into a
submissions folder named after the student (the first user's sid, else
email, in /autograder/submission_metadata.json; "student" without one),
`pytest bench` grades it with the bundle's options and writes the run
record and the HTML report under /autograder/results/, and the record is
exported as results.json (grading/export.py). Whatever fails, results.json
is written: score 0 and an output that says what went wrong, with the
session's log on stdout (which Gradescope shows the instructor only).

The root is `--root`, for tests `$LABMARK_AUTOGRADER_ROOT`.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import traceback
from pathlib import Path

from .export import failed_results, gradescope_results, results_json
from .report import _write, build
from .roster import folder_problem

LABMARK = Path(__file__).resolve().parents[1]  # the bundled labmark this runs from
DEFAULT_ROOT = Path("/autograder")
KEY_NAME = "grading.key"  # beside run_autograder in the bundle, so in /autograder/source/


def student_folder(metadata: Path) -> str:
    """A plain folder name for the submitter: the first user's sid, else their email; else "student"."""
    try:
        users = json.loads(metadata.read_text()).get("users") or []
    except (OSError, ValueError, AttributeError):
        return "student"
    for user in users if isinstance(users, list) else []:
        for key in ("sid", "email"):
            value = str((user or {}).get(key) or "") if isinstance(user, dict) else ""
            name = re.sub(r"[^A-Za-z0-9._-]+", "_", value.replace("@", "_at_")).strip("._-")[:64]
            if name and folder_problem(name) is None:
                return name
    return "student"


def run(root: Path, bench_args: list[str], python: str = sys.executable) -> int:
    results = root / "results"
    results.mkdir(parents=True, exist_ok=True)
    out = results / "results.json"
    try:
        text = _grade(root, results, bench_args, python)
    except Exception as exc:  # noqa: BLE001 -- never leave Gradescope without results
        traceback.print_exc()
        text = results_json(failed_results(f"The autograder failed before it could grade this submission "
                                           f"({type(exc).__name__}: {exc}). Your instructor can see the log."))
    _write(out, text)
    print(f"wrote {out}", flush=True)
    return 0


def _grade(root: Path, results: Path, bench_args: list[str], python: str) -> str:
    name = student_folder(root / "submission_metadata.json")
    work = root / "labmark-work"
    shutil.rmtree(work, ignore_errors=True)
    submissions = work / "submissions"
    submission = root / "submission"
    if not submission.is_dir():
        return results_json(failed_results(f"No submission folder at {submission}: nothing to grade."))
    shutil.copytree(submission, submissions / name, symlinks=True)  # links stay links: the bench ignores them
    record, report = results / "record.json", results / "report"
    record.unlink(missing_ok=True)
    key_args = []
    key = root / "source" / KEY_NAME
    if key.is_file():  # a zip does not keep file modes; --key wants the key readable by its owner only
        private = work / KEY_NAME
        shutil.copyfile(key, private)
        os.chmod(private, 0o600)
        key_args = ["--key", str(private)]
    # Grades a student cannot fake: the worker runs in the sandbox or not at all (a Gradescope container runs
    # everything as root, so a worker without it could read the key and rewrite the results). An instructor
    # whose containers cannot start it may pass --isolation process in --bench-args, knowingly.
    isolation = [] if any(a.startswith("--isolation") for a in bench_args) else ["--isolation", "sandbox"]
    command = [python, "-m", "pytest", "bench", "--submission", name, "--submissions-dir", str(submissions),
               "--record", str(record), "--report", str(report), "--no-fail-on-marks", *isolation, *key_args,
               *bench_args]
    print("$ " + shlex.join(command), flush=True)
    status = subprocess.run(command, cwd=LABMARK).returncode
    if not record.is_file():
        return results_json(failed_results(
            f"The grading session ended (exit status {status}) without a run record, so nothing was graded. This is "
            "a fault of the grader, not of your submission; your instructor can see the log."))
    reports = build([record])
    if name not in reports.students:
        return results_json(failed_results(
            "No experiment was graded: the submission holds none of the files the experiments ask for, at the top "
            "of the submission (exp06_anomaly.py or exp06_anomaly.ipynb, ...)."))
    return results_json(gradescope_results(reports, name))


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    bench_args = argv[argv.index("--") + 1:] if "--" in argv else []
    parser = argparse.ArgumentParser(prog="python -m grading.autograder", description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", type=Path, default=Path(os.environ.get("LABMARK_AUTOGRADER_ROOT") or DEFAULT_ROOT))
    args = parser.parse_args(argv[:argv.index("--")] if "--" in argv else argv)
    return run(args.root.resolve(), bench_args)


if __name__ == "__main__":
    sys.exit(main())
