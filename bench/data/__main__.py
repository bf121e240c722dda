"""`python -m bench.data list` and `python -m bench.data fetch NAME...`.

list:  every dataset, which experiments use it, whether its real files are present
       and where, and so which variant each experiment will be graded on.
fetch: download and verify the canonical files into the data directory
       (--data-dir, else $LABMARK_DATA_DIR, else ~/.cache/labmark/data).
"""

from __future__ import annotations

import argparse
import sys

from . import fetch_dir, resolve_data_dir
from .fetch import FetchError, fetch
from .registry import datasets


def list_datasets(data_dir_option: str | None) -> int:
    data_dir = resolve_data_dir(data_dir_option)
    print(f"data directory: {data_dir or 'none (embedded defaults)'}")
    print(f"{'dataset':<20} {'used by':<12} {'variant':<9} where")
    for spec in sorted(datasets().values(), key=lambda s: (sorted(s.used_by), s.name)):  # in the course's order
        found = spec.find(data_dir) if data_dir is not None else None
        variant = "real" if found else spec.default_variant
        where = f"{_describe(found)}" if found else spec.embedded
        print(f"{spec.name:<20} {','.join(spec.used_by):<12} {variant:<9} {where}")
    return 0


def _describe(found) -> str:
    if isinstance(found, dict):
        found = next(iter(found.values()))
    if isinstance(found, (list, tuple)):
        found = found[0]
    return f"files in {getattr(found, 'parent', found)}"


def fetch_datasets(names: list[str], data_dir_option: str | None, timeout: float) -> int:
    known = datasets()
    if names == ["all"]:
        names = [n for n, s in known.items() if s.files]
    unknown = [n for n in names if n not in known]
    if unknown:
        print(f"error: unknown dataset {', '.join(unknown)}; known: {', '.join(known)}", file=sys.stderr)
        return 2
    root = fetch_dir(data_dir_option)
    status = 0
    for name in names:
        try:
            fetch(known[name], root, timeout=timeout, log=lambda msg, n=name: print(f"{n}: {msg}"))
        except FetchError as exc:
            print(f"error: {name}: {exc}", file=sys.stderr)
            status = 1
    return status


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.data", description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", help="data directory (default: $LABMARK_DATA_DIR)")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("list", help="datasets, where their files are, which variant each experiment uses")
    fetch_cmd = sub.add_parser("fetch", help="download and verify datasets ('all' for every one)")
    fetch_cmd.add_argument("names", nargs="+")
    fetch_cmd.add_argument("--timeout", type=float, default=10.0, help="seconds to wait for a server")
    args = parser.parse_args(argv)
    if args.command == "list":
        return list_datasets(args.data_dir)
    return fetch_datasets(args.names, args.data_dir, args.timeout)


if __name__ == "__main__":
    sys.exit(main())
