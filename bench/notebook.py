"""Turn a student's Jupyter notebook into the Python source that is graded.

Only graded cells run: a cell tagged `graded`, or one whose first non-blank
line is a `# graded` comment. Lines that only make sense in IPython or Colab
(`!pip ...`, `%matplotlib`, `drive.mount(...)`, ...) are replaced by `pass` at
the same indentation, so the code still parses and line numbers still match,
and each one is listed so the record can show what was left out.

This module only parses JSON and text; it never executes anything.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from . import errors

GRADED_TAG = "graded"
_MARKER = re.compile(r"^\s*#\s*graded\b", re.IGNORECASE)
_KEEP_BODY_CELL_MAGICS = {"%%time", "%%timeit", "%%capture"}
_DROP_RULES = (
    (re.compile(r"^\s*!"), "shell command"),
    (re.compile(r"^\s*%"), "IPython magic"),
    (re.compile(r"^\s*[\w.]+\s*=\s*[!%]"), "shell or magic output captured into a variable"),
    (re.compile(r"^\s*(from\s+google\.colab\b|import\s+google\.colab\b)"), "Google Colab only"),
    (re.compile(r"\bdrive\.mount\s*\("), "Google Colab only: mounts Google Drive"),
    (re.compile(r"\bget_ipython\s*\("), "IPython only"),
)


@dataclass
class GradedSource:
    source: str
    line_map: list[tuple[int, int]] = field(default_factory=list)  # generated line -> (code cell, line in cell)
    dropped: list[dict] = field(default_factory=list)
    graded_cells: list[int] = field(default_factory=list)

    def locate(self, lineno: int | None) -> str:
        """'code cell 3, line 2' for a line of the generated source."""
        if lineno is None or not 1 <= lineno <= len(self.line_map):
            return ""
        cell, line = self.line_map[lineno - 1]
        return f"code cell {cell}, line {line}"


def is_graded(cell) -> bool:
    tags = (cell.get("metadata") or {}).get("tags") or []
    if GRADED_TAG in tags:
        return True
    first = next((ln for ln in _lines(cell) if ln.strip()), "")
    return bool(_MARKER.match(first))


def _lines(cell) -> list[str]:
    src = cell.get("source", "")
    if isinstance(src, list):
        src = "".join(src)
    return src.split("\n")


def _indent(line: str) -> str:
    return line[: len(line) - len(line.lstrip())]


def extract(path: Path) -> GradedSource:
    import nbformat

    try:
        nb = nbformat.read(str(path), as_version=4)
    except Exception as exc:  # noqa: BLE001 - any parse failure is the same story for the student
        raise errors.NotebookError(
            f"{path.name} could not be read as a Jupyter notebook ({type(exc).__name__}: {exc}). "
            "Expected: an .ipynb file saved by Jupyter or Colab. Likely cause: the file was edited by hand or "
            "saved half-way; open it in Jupyter and save it again, or submit a .py file.") from None
    out = GradedSource(source="")
    lines: list[str] = []
    code_cells = [c for c in nb.cells if c.get("cell_type") == "code"]
    for number, cell in enumerate(code_cells, start=1):
        if not is_graded(cell):
            continue
        out.graded_cells.append(number)
        cell_lines = _lines(cell)
        drop_all = False
        first = cell_lines[0].strip() if cell_lines else ""
        if first.startswith("%%") and first.split()[0] not in _KEEP_BODY_CELL_MAGICS:
            drop_all = True  # %%bash, %%writefile, ...: the body is not Python
        for i, line in enumerate(cell_lines, start=1):
            reason = "cell magic: the cell is not Python" if drop_all else _drop_reason(line)
            if reason:
                out.dropped.append({"cell": number, "line": i, "text": line.strip()[:200], "reason": reason})
                line = f"{_indent(line) if not drop_all else ''}pass  # labmark dropped: {reason}"
            lines.append(line)
            out.line_map.append((number, i))
        lines.append("")
        out.line_map.append((number, len(cell_lines) + 1))
    if not out.graded_cells:
        raise errors.NotebookError(
            f"{path.name} has no graded cells, so there is nothing to grade. Expected: the cells that define "
            "the required functions (and their imports) marked as graded. Fix: add the tag 'graded' to those "
            "cells (View > Cell toolbar > Tags), or make '# graded' their first line.")
    out.source = "\n".join(lines)
    return out


def _drop_reason(line: str) -> str | None:
    for pattern, reason in _DROP_RULES:
        if pattern.search(line):
            return reason
    return None
