"""The zoos of broken submissions, read from their folders: tests/zoo_expNN/<member>/expected.toml
(and the harness's own zoo, tests/zoo/, on Experiment 6).

A member's `expected.toml` says what grading it must show:

    [fails]                       # exactly these checks fail, with no credit,
    "greedy_return" = "act() returned action 2"   # each message containing these words
    "interface" = {status = "error", kind = "missing_file", words = ["exp06_anomaly.py", "Did you mean"]}
                                  # or: that status and kind too, and every one of these words
    "detector_f1[zscore]" = {words = ["flags only one side"], credit = "partial"}
                                  # a defect that rightly keeps part of the credit: some, never all

    [session]                     # optional: graded in a session of its own (shared by the zoo's
    args = ["--quick"]            # members graded alike), with these bench options instead of the zoo's
    checks = "interface or noise" # and/or only the checks this -k expression selects: a member whose
                                  # defect lies in one part of the interface need not train the rest

A control member, which must fail nothing, says `control = true` instead of
`[fails]`. A zoo's own `zoo.toml` gives the bench options its members are
graded with (`args`, and `why`). A member folder without `expected.toml`, a
check name the experiment does not have, or an unknown key is an error at
collection, never a member silently left out.
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
class Failure:
    """How one check must fail: with no credit, each of `words` in its message, and this status and kind
    where given."""

    words: tuple[str, ...]
    status: str | None = None  # "fail" or "error"
    kind: str | None = None  # the record's kind: "missing_file", "bad_output", ...
    partial: bool = False  # credit strictly between none and full, instead of none

    def problems(self, check: dict) -> list[str]:
        """What differs between a recorded check and this expectation (nothing: it failed as it must)."""
        out = [f"status {check['status']!r}, expected {want!r}" for want in [self.status]
               if want is not None and check["status"] != want]
        out += [f"kind {check['kind']!r}, expected {want!r}" for want in [self.kind]
                if want is not None and check["kind"] != want]
        if self.partial:
            out += [f"credit {check['score']}, expected partial" for _ in [0] if not 0 < check["score"] < 1]
        else:
            out += [f"credit {check['score']}, expected none" for _ in [0] if check["score"] != 0]
        out += [f"no {word!r} in its message" for word in self.words if word not in check["message"]]
        return out


@dataclass(frozen=True)
class Expected:
    fails: dict[str, Failure]  # check -> how it must fail
    args: tuple[str, ...]  # the bench options this member is graded with
    own_session: bool  # graded apart from the rest of its zoo
    checks: str = ""  # a pytest -k expression: only these checks are graded ("": all of them)

    @property
    def session(self) -> tuple:
        """Members with the same session are graded together, in one bench session."""
        return self.own_session, self.args, self.checks


def discover(root: Path = TESTS) -> dict[str, dict[str, Expected]]:
    """experiment -> member -> what grading it must show, for every zoo folder under root."""
    zoos = {}
    for folder in sorted(root.iterdir()):
        match = ZOO_FOLDER.match(folder.name)
        if match and folder.is_dir():
            zoos[match.group(1)] = _zoo(folder, match.group(1))
    return zoos


def read(folder: Path, experiment: str) -> dict[str, Expected]:
    """member -> what grading it must show, for one zoo folder graded on `experiment`."""
    return _zoo(folder, experiment)


def zoo_args(folder: Path) -> tuple[str, ...]:
    """The bench options a zoo's members are graded with (its zoo.toml)."""
    path = folder / "zoo.toml"
    return tuple(_strings(_toml(path, {"args", "why"}).get("args", []), path, "args")) if path.exists() else ()


def _zoo(folder: Path, experiment: str) -> dict[str, Expected]:
    if experiment not in EXPERIMENTS:
        raise ZooError(f"{folder}: no experiment {experiment!r} (known: {', '.join(EXPERIMENTS)}). "
                       "Fix: name the folder zoo_<experiment id>.")
    args = zoo_args(folder)
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

    data = _toml(path, {"fails", "session", "control"})
    if data.get("control") is True:
        if "fails" in data:
            raise ZooError(f"{path}: a control member (control = true) fails nothing; remove its [fails].")
        fails = {}
    else:
        fails = data.get("fails")
        if not isinstance(fails, dict) or not fails:
            raise ZooError(f"{path}: [fails] must map each check the member fails to words its message contains "
                           f"(or say control = true for a member that fails nothing); got {fails!r}.")
        fails = {name: _failure(value, path, name) for name, value in fails.items()}
    known = check_names(experiment)
    unknown = [name for name in fails if name not in known]
    if unknown:
        raise ZooError(f"{path}: {experiment} has no check {', '.join(map(repr, unknown))}. "
                       f"Its checks: {', '.join(known)}.")
    session = data.get("session")
    if session is not None and (not isinstance(session, dict) or not session or set(session) - {"args", "checks"}):
        raise ZooError(f"{path}: [session] takes args (a list of bench options) and/or checks (a -k expression "
                       f"selecting the checks graded); got {session!r}.")
    session = session or {}
    args = tuple(_strings(session["args"], path, "session.args")) if "args" in session else zoo_args
    checks = session.get("checks", "")
    if not isinstance(checks, str):
        raise ZooError(f"{path}: session.checks must be a -k expression (a string); got {checks!r}.")
    return Expected(fails=fails, args=args, own_session=bool(session), checks=checks)


def _failure(value, path: Path, check: str) -> Failure:
    if isinstance(value, str) and value:
        return Failure(words=(value,))
    if isinstance(value, dict) and set(value) <= {"words", "status", "kind", "credit"} and "words" in value:
        words = [value["words"]] if isinstance(value["words"], str) else value["words"]
        if (isinstance(words, list) and words and all(isinstance(w, str) and w for w in words)
                and value.get("status") in (None, "fail", "error") and isinstance(value.get("kind", ""), str)
                and value.get("credit", "none") in ("none", "partial")):
            return Failure(words=tuple(words), status=value.get("status"), kind=value.get("kind"),
                           partial=value.get("credit") == "partial")
    raise ZooError(f"{path}: {check!r} must be the words its message contains, or a table with words (a string or "
                   f"a list), and optionally status (\"fail\" or \"error\"), kind and credit (\"none\" or "
                   f"\"partial\"); got {value!r}.")


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
