"""The experiment zoos, discovered from their folders: tests/zoo_expNN/<member>/expected.toml.

A member's `expected.toml` says what grading it must show:

    [fails]                       # exactly these checks fail, with no credit,
    "greedy_return" = "act() returned action 2"   # each message containing these words

    [session]                     # optional: graded in a session of its own,
    args = ["--quick"]            # with these bench options instead of the zoo's

A zoo's own `zoo.toml` gives the bench options its members are graded with
(`args`, and `why`). A member folder without `expected.toml`, a check name the
experiment does not have, or an unknown key is an error at collection, never a
member silently left out.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from reference import EXPERIMENTS

TESTS = Path(__file__).resolve().parent
ZOO_FOLDER = re.compile(r"zoo_(exp\d\d)$")


class ZooError(Exception):
    """A zoo folder or file that cannot be read as the module docstring says."""


@dataclass(frozen=True)
class Expected:
    fails: dict[str, str]  # check -> words its message must contain
    args: tuple[str, ...]  # the bench options this member is graded with
    own_session: bool  # graded apart from the rest of its zoo


def discover(root: Path = TESTS) -> dict[str, dict[str, Expected]]:
    """experiment -> member -> what grading it must show, for every zoo folder under root."""
    zoos = {}
    for folder in sorted(root.iterdir()):
        match = ZOO_FOLDER.match(folder.name)
        if match and folder.is_dir():
            zoos[match.group(1)] = _zoo(folder, match.group(1))
    return zoos


def _zoo(folder: Path, experiment: str) -> dict[str, Expected]:
    if experiment not in EXPERIMENTS:
        raise ZooError(f"{folder}: no experiment {experiment!r} (known: {', '.join(EXPERIMENTS)}). "
                       "Fix: name the folder zoo_<experiment id>.")
    settings = _toml(folder / "zoo.toml", {"args", "why"}) if (folder / "zoo.toml").exists() else {}
    args = tuple(_strings(settings.get("args", []), folder / "zoo.toml", "args"))
    members = {}
    for member in sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(("_", "."))):
        path = member / "expected.toml"
        if not path.exists():
            raise ZooError(f"{member}: no expected.toml. Expected: the checks this member must fail and the words "
                           "in each message (see tests/zoos.py). Fix: write one, or remove the folder.")
        members[member.name] = _member(path, experiment, args)
    if not members:
        raise ZooError(f"{folder}: a zoo with no members. Fix: add member folders, or remove it.")
    return members


def _member(path: Path, experiment: str, zoo_args: tuple[str, ...]) -> Expected:
    from bench.checks.catalog import check_names

    data = _toml(path, {"fails", "session"})
    fails = data.get("fails")
    if not isinstance(fails, dict) or not fails or not all(isinstance(v, str) and v for v in fails.values()):
        raise ZooError(f"{path}: [fails] must map each check the member fails to words its message contains; "
                       f"got {fails!r}.")
    known = check_names(experiment)
    unknown = [name for name in fails if name not in known]
    if unknown:
        raise ZooError(f"{path}: {experiment} has no check {', '.join(map(repr, unknown))}. "
                       f"Its checks: {', '.join(known)}.")
    session = data.get("session")
    if session is not None and (not isinstance(session, dict) or set(session) != {"args"}):
        raise ZooError(f"{path}: [session] takes one key, args (a list of bench options); got {session!r}.")
    args = tuple(_strings(session["args"], path, "session.args")) if session else zoo_args
    return Expected(fails=dict(fails), args=args, own_session=session is not None)


def _toml(path: Path, keys: set[str]) -> dict:
    try:
        data = tomllib.loads(path.read_text())
    except tomllib.TOMLDecodeError as exc:
        raise ZooError(f"{path}: not valid TOML ({exc}).") from None
    extra = set(data) - keys
    if extra:
        raise ZooError(f"{path}: unknown key {', '.join(sorted(extra))}; expected only {', '.join(sorted(keys))}.")
    return data


def _strings(value, path: Path, key: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ZooError(f"{path}: {key} must be a list of strings (bench options); got {value!r}.")
    return value
