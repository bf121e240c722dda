"""`python -m grading report RECORD... --out DIR [--marks marks.csv]`: reports from saved records.

Nothing is run: the records hold every number. Bad rubric, course or marks
files stop with an error naming the line before any file is written.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .config import COURSE_FILE, RUBRIC_FILE, ConfigError
from .report import render_all


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m grading", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    report = sub.add_parser("report", help="render student reports, the class report and the gradebook")
    report.add_argument("records", nargs="+", type=Path, help="run records written by `pytest bench`")
    report.add_argument("--out", type=Path, required=True, help="folder for the reports")
    report.add_argument("--marks", type=Path, help="the instructor's CSV of participation, viva and remarks")
    report.add_argument("--course", type=Path, default=COURSE_FILE)
    report.add_argument("--rubric", type=Path, default=RUBRIC_FILE)
    args = parser.parse_args(argv)
    try:
        written = render_all(args.records, args.out, args.marks, args.course, args.rubric)
    except (ConfigError, ValueError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for path in written:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
