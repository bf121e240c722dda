"""`python -m grading report RECORD... --out DIR [--marks marks.csv]`: reports from saved records;
`python -m grading record JOURNAL... --out RECORD`: a run record from the journals sessions leave;
`python -m grading ci [--base REF] [--gate LA]`: self-check what a pull request changed (grading/ci.py).

Nothing is run: the records hold every number. Bad rubric, course or marks
files stop with an error naming the line before any file is written. A
journal is what a session killed before it wrote its record leaves behind:
the record made from it holds every (student, experiment) that finished and
lists the ones that did not under "incomplete".
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bench.record import write as write_record
from bench.record.journal import JournalError, assemble

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
    record = sub.add_parser("record", help="a run record from the journals of one or more sessions")
    record.add_argument("journals", nargs="+", type=Path, help="journals (*.journal.jsonl) written by `pytest bench`")
    record.add_argument("--out", type=Path, required=True, help="the run record to write")
    ci = sub.add_parser("ci", help="self-check the submissions a pull request changes (a class repository's CI)")
    ci.add_argument("--base", help="the commit to compare with (default: the pull request's base, from "
                                   "$GITHUB_EVENT_PATH)")
    ci.add_argument("--report", type=Path, default=Path("labmark-report"), help="folder for the HTML reports")
    ci.add_argument("--gate", type=float, default=None, metavar="LA",
                    help="fail the build when a changed experiment's Laboratory Assessment is below LA (default: "
                         "never fail on marks)")
    argv = list(sys.argv[1:] if argv is None else argv)
    extra = argv[argv.index("--") + 1:] if "--" in argv else []
    args = parser.parse_args(argv[:argv.index("--")] if "--" in argv else argv)
    if args.command == "record":
        return _record(args.journals, args.out)
    if args.command == "ci":
        from .ci import CIError, run

        try:
            return run(Path.cwd(), args.base, args.report, args.gate, extra)
        except (CIError, ConfigError, ValueError, OSError) as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
    try:
        written = render_all(args.records, args.out, args.marks, args.course, args.rubric)
    except (ConfigError, ValueError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for path in written:
        print(path)
    return 0


def _record(journals: list[Path], out: Path) -> int:
    try:
        data = assemble(journals)
    except (JournalError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    write_record(data, out)
    graded = sum(len(e) for e in data["submissions"].values())
    print(f"{out}: {graded} graded (student, experiment) pairs"
          + (f"; {len(data['incomplete'])} incomplete, not graded: " + ", ".join(
              f"{i['student']} {i['experiment']}" for i in data["incomplete"]) if data.get("incomplete") else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
