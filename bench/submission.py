"""Find a student's file for an experiment and prepare what the worker imports.

`submissions/<student>/<experiment module>.py` or `.ipynb` (the short id,
`exp06.py`, is accepted too). `reference` resolves to the reference module,
which then goes through exactly the same path as a student's file.
"""

from __future__ import annotations

import difflib
import hashlib
import subprocess
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from reference import Experiment, module_path

from . import errors
from .notebook import GradedSource, extract

REFERENCE = "reference"


@dataclass
class Source:
    student: str
    path: Path  # the file the student wrote
    kind: str  # "py" or "ipynb"
    sha256: str
    notebook: GradedSource | None = None
    dropped: list[dict] = field(default_factory=list)

    def where(self, lineno: int | None) -> str:
        """A human location for a line of the code the worker ran."""
        if lineno is None:
            return self.path.name
        if self.notebook is not None:
            return f"{self.path.name}, {self.notebook.locate(lineno)}"
        return f"{self.path.name}, line {lineno}"

    def to_json(self) -> dict:
        out = {"path": str(self.path), "kind": self.kind, "sha256": self.sha256, "dropped_lines": self.dropped,
               "submitted": submitted(self.path)}
        if self.notebook is not None:
            out["graded_cells"] = self.notebook.graded_cells
        return out


def list_students(submissions_dir: Path) -> list[str]:
    if not submissions_dir.is_dir():
        return []
    return sorted(p.name for p in submissions_dir.iterdir() if p.is_dir() and not p.name.startswith((".", "_")))


def find(student: str, experiment: Experiment, submissions_dir: Path) -> Source:
    if student == REFERENCE:
        path = module_path(experiment)
        return Source(student, path, "py", _sha256(path))
    folder = submissions_dir / student
    candidates = [folder / name for name in experiment.file_names() if (folder / name).is_file()]
    if not candidates:
        raise errors.MissingFile(_missing_message(folder, experiment))
    if len(candidates) > 1:
        names = " and ".join(c.name for c in candidates)
        raise errors.AmbiguousFile(
            f"Found {names} in {_shown(folder)}: more than one file could be the submission for {experiment.id}. "
            f"Expected exactly one. Fix: keep {experiment.module}.py or {experiment.module}.ipynb and delete "
            "or rename the others.")
    path = candidates[0]
    source = Source(student, path, path.suffix.lstrip("."), _sha256(path))
    if source.kind == "ipynb":
        source.notebook = extract(path)
        source.dropped = source.notebook.dropped
    return source


def stage(source: Source, directory: Path) -> Path:
    """The file the worker imports: the .py itself, or a notebook's graded code."""
    if source.notebook is None:
        return source.path.resolve()
    target = directory / f"{source.path.stem}_graded_cells.py"
    target.write_text(source.notebook.source)
    return target


def submitted(path: Path) -> dict:
    """When the file was handed in: its last commit's date in a git checkout (if the file is unchanged
    since), else its modification time."""
    def git(*args):
        return subprocess.run(["git", *args, "--", path.name], cwd=path.parent, capture_output=True, text=True,
                              timeout=10)
    try:
        log = git("log", "-1", "--format=%cI")
        if log.returncode == 0 and log.stdout.strip() and git("diff", "--quiet", "HEAD").returncode == 0:
            return {"at": log.stdout.strip(), "from": "git commit"}
    except (OSError, subprocess.SubprocessError):
        pass
    mtime = datetime.fromtimestamp(path.stat().st_mtime, tz=timezone.utc)
    return {"at": mtime.isoformat(timespec="seconds"), "from": "file time"}


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _shown(path: Path) -> str:
    """A path as the user typed it: relative to the working directory when it is inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _missing_message(folder: Path, experiment: Experiment) -> str:
    expected = f"{_shown(folder / experiment.module)}.py or .ipynb"
    if not folder.is_dir():
        return (f"No submission folder {_shown(folder)}. Expected: {expected}. Fix: create the folder "
                f"submissions/<your name>/ and put {experiment.module}.py (or .ipynb) in it.")
    present = sorted(p.name for p in folder.iterdir() if p.suffix in (".py", ".ipynb"))
    message = (f"No submission for {experiment.id} ({experiment.title}): expected {expected} "
               f"({experiment.id}.py or {experiment.id}.ipynb also accepted).")
    if present:
        message += f" Found: {', '.join(present[:10])}."
        close = difflib.get_close_matches(experiment.module, [Path(p).stem for p in present], n=1, cutoff=0.5)
        if close:
            actual = next(p for p in present if Path(p).stem == close[0])
            message += f" Did you mean {actual}? Rename it to {experiment.module}{Path(actual).suffix}."
    else:
        message += " The folder holds no .py or .ipynb files."
    return message
