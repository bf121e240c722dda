"""`python -m bench kit --out DIR`: write the student kit (see bench/kit.py)."""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

from . import kit


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench")
    sub = parser.add_subparsers(dest="command", required=True)
    k = sub.add_parser("kit", help="write the student kit: the harness and every experiment's public part, "
                                   "no solution and no key")
    k.add_argument("--out", type=Path, required=True, help="a new folder for the kit")
    args = parser.parse_args(argv)
    try:
        files = kit.build(args.out)
    except kit.KitError as exc:
        print(f"error: {exc}", file=sys.stderr)
        if args.out.exists() and "exists" not in str(exc):
            shutil.rmtree(args.out)
        return 2
    print(f"wrote the student kit to {args.out} ({len(files)} files, no reference solution); "
          f"students start from {args.out / 'README.md'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
