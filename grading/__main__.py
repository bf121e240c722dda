"""`python -m grading report RECORD... --out DIR [--marks marks.csv] [--roster roster.csv]`: reports from saved records;
`python -m grading export --format canvas|moodle|gradescope|csv RECORD... --out FILE`: marks for a learning
platform (grading/export.py);
`python -m grading gradescope-bundle --out autograder.zip [--key KEY] [--bench-args "..."]`: a Gradescope
autograder (grading/bundle.py);
`python -m grading record JOURNAL... --out RECORD`: a run record from the journals sessions leave;
`python -m grading ci [--base REF] [--gate LA]`: self-check what a pull request changed (grading/ci.py);
`python -m grading similarity RECORD... [--json FILE] [--all]`: pairs whose code or hidden-data mistakes
are alike (grading/similarity), evidence for the instructor;
`python -m grading viva RECORD... --student NAME [--experiment exp06] --out FILE.html`: a student's printable
viva sheets (grading/viva.py), staff only.

Nothing is run: the records hold every number. Bad rubric, course, marks or
roster files stop with an error naming the line before any file is written. A
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
from .roster import default_roster
from .viva import VIVA_FILE


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m grading", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    report = sub.add_parser("report", help="render student reports, the class report and the gradebook")
    report.add_argument("records", nargs="+", type=Path, help="run records written by `pytest bench`")
    report.add_argument("--out", type=Path, required=True, help="folder for the reports")
    report.add_argument("--marks", type=Path, help="the instructor's CSV of participation, viva and remarks")
    report.add_argument("--course", type=Path, default=COURSE_FILE)
    report.add_argument("--rubric", type=Path, default=RUBRIC_FILE)
    report.add_argument("--no-similarity", action="store_true",
                        help="leave out the class page's similarity section (for a report students will see)")
    report.add_argument("--no-viva", action="store_true",
                        help="leave out the viva sheets, viva/<student>.html and their section in each student's "
                             "page (for a report students will see)")
    report.add_argument("--roster", type=Path, help="the class roster (folder,name,email,lms_id,sis_id,login_id,"
                                                    "section); default grading/roster.csv where there is one")
    export = sub.add_parser("export", help="marks for Canvas, Moodle or Gradescope, or a plain CSV")
    export.add_argument("records", nargs="+", type=Path, help="run records written by `pytest bench`")
    export.add_argument("--format", required=True, choices=("canvas", "moodle", "gradescope", "csv"))
    export.add_argument("--out", type=Path, required=True,
                        help="the file to write (gradescope with several students: a folder, <folder>/results.json "
                             "each)")
    export.add_argument("--roster", type=Path, help="the class roster; default grading/roster.csv where there is one "
                                                    "(canvas and moodle need one)")
    export.add_argument("--marks", type=Path, help="the instructor's CSV of participation, viva and remarks")
    export.add_argument("--student", help="gradescope: only this student's results.json, written to --out")
    export.add_argument("--course", type=Path, default=COURSE_FILE)
    export.add_argument("--rubric", type=Path, default=RUBRIC_FILE)
    bundle = sub.add_parser("gradescope-bundle", help="a Gradescope autograder zip that grades each submission "
                                                      "with the student kit")
    bundle.add_argument("--out", type=Path, required=True, help="the zip to write")
    bundle.add_argument("--key", type=Path, help="the grading key to bundle (hidden data as in the instructor's runs)")
    bundle.add_argument("--bench-args", default="", help='options for `pytest bench`, e.g. "--quick -k exp06"')
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
    similar = sub.add_parser("similarity", help="pairs of submissions whose code or outputs are alike (staff only)")
    similar.add_argument("records", nargs="+", type=Path, help="run records written by `pytest bench`")
    similar.add_argument("--json", type=Path, help="also write every compared pair to this JSON file")
    similar.add_argument("--all", action="store_true", help="show every compared pair, not only the flagged ones")
    viva = sub.add_parser("viva", help="a student's printable viva sheets: questions from the bank and from their "
                                       "run (staff only)")
    viva.add_argument("records", nargs="+", type=Path, help="run records written by `pytest bench`")
    viva.add_argument("--student", required=True, help="the student's name as in the records (their folder)")
    viva.add_argument("--experiment", help="one experiment, by id (exp06) or S.No (6); default: every experiment "
                                           "the student was graded in, a page each")
    viva.add_argument("--out", type=Path, required=True, help="the HTML file to write")
    viva.add_argument("--marks", type=Path, help="the instructor's CSV: a viva mark already given shows on the sheet")
    viva.add_argument("--bank", type=Path, default=VIVA_FILE, help="the question bank (default grading/viva_questions.toml)")
    viva.add_argument("--course", type=Path, default=COURSE_FILE)
    viva.add_argument("--rubric", type=Path, default=RUBRIC_FILE)
    argv = list(sys.argv[1:] if argv is None else argv)
    extra = argv[argv.index("--") + 1:] if "--" in argv else []
    args = parser.parse_args(argv[:argv.index("--")] if "--" in argv else argv)
    if args.command == "record":
        return _record(args.journals, args.out)
    if args.command == "similarity":
        return _similarity(args.records, args.json, args.all)
    if args.command == "ci":
        from .ci import CIError, run

        try:
            return run(Path.cwd(), args.base, args.report, args.gate, extra)
        except (CIError, ConfigError, ValueError, OSError) as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
    if args.command == "export":
        return _export(args)
    if args.command == "viva":
        return _viva(args)
    if args.command == "gradescope-bundle":
        from .bundle import BundleError, build_bundle

        try:
            names = build_bundle(args.out, args.key, args.bench_args)
        except (BundleError, OSError) as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        print(f"{args.out}: {len(names)} files (setup.sh, run_autograder, the student kit"
              f"{', the grading key' if args.key else ''}); upload it as the assignment's autograder")
        return 0
    try:
        written = render_all(args.records, args.out, args.marks, args.course, args.rubric,
                             args.roster or default_roster(), similarity=not args.no_similarity,
                             viva_path=None if args.no_viva else VIVA_FILE)
    except (ConfigError, ValueError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for path in written:
        print(path)
    return 0


def _export(args: argparse.Namespace) -> int:
    from .export import export

    try:
        written, warnings = export(args.format, args.records, args.out, args.roster or default_roster(), args.marks,
                                   args.course, args.rubric, args.student)
    except (ConfigError, ValueError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for warning in warnings:
        print(f"warning: {warning}", file=sys.stderr)
    for path in written:
        print(path)
    return 0


def _viva(args: argparse.Namespace) -> int:
    from .report import write_viva

    try:
        path, sheets = write_viva(args.records, args.student, args.out, args.experiment, args.marks, args.bank,
                                  args.course, args.rubric)
    except (ConfigError, ValueError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"{path}: {len(sheets)} viva sheet{'s' if len(sheets) > 1 else ''} for {args.student} "
          f"({', '.join(s.experiment.id for s in sheets)})")
    return 0


def _similarity(records: list[Path], json_path: Path | None, everything: bool) -> int:
    import json

    from bench.record import load

    from .similarity.pairs import analyse, as_text, to_json

    try:
        result = analyse([load(p) for p in records])
    except (OSError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(as_text(result, everything), end="")
    if json_path:
        json_path.write_text(json.dumps(to_json(result), indent=1), encoding="utf-8")
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
