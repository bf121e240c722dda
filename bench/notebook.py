"""Turn a student's Jupyter notebook into the Python source that is graded.

Only graded cells run: a cell tagged `graded`, or one whose first non-blank
line is a `# graded` comment. Lines that only make sense in IPython or Colab
(`!pip ...`, `%matplotlib`, `obj?`, `drive.mount(...)`, ...) are replaced by
`pass` at the same indentation, so the code still parses and line numbers still
match, and each one is listed so the record can show what was left out. What
counts as IPython syntax is decided by IPython's own rules (see
`ipython_syntax`): `%(a, b)` continuing a `print(...` is Python and is kept.

This module only parses JSON and text; it never executes anything. It runs in
the grader's process, never in a worker.
"""

from __future__ import annotations

import json
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path

from . import errors, ipython_syntax
from .text import clean_text, printable

GRADED_TAG = "graded"
_MARKER = re.compile(r"^\s*#\s*graded\b", re.IGNORECASE)
_KEEP_BODY_CELL_MAGICS = {"time", "timeit", "capture"}  # they run their body as Python: the body is graded
_DROPPED_CELL = "cell magic: the cell is not Python"
_READ_BUDGET = 16_000_000  # characters tokenized per notebook, re-reads included: about 15 s at worst


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


def is_graded(cell: dict) -> bool:
    """A cell checked by `_code_cells`: tagged `graded`, or a `# graded` comment as its first non-blank line."""
    if GRADED_TAG in cell.get("metadata", {}).get("tags", []):
        return True
    first = next((ln for ln in _lines(cell) if ln.strip()), "")
    return bool(_MARKER.match(first))


def _lines(cell: dict) -> list[str]:
    src = cell.get("source", "")
    if isinstance(src, list):
        src = "".join(src)
    return src.split("\n")


def _indent(line: str) -> str:
    return line[: len(line) - len(line.lstrip())]


def extract(path: Path) -> GradedSource:
    """The graded code of the notebook at `path` (for tools and tests; grading reads a snapshot's bytes)."""
    return extract_bytes(path.read_bytes(), path.name)


def extract_bytes(data: bytes, name: str) -> GradedSource:
    """The graded code of a notebook given as the bytes of its file; `name` is the file's name, for messages.

    Every value in the notebook is the student's: its shape is checked before use, so a malformed notebook
    is a NotebookError that says what is wrong, never a crash in the harness."""
    out = GradedSource(source="")
    lines: list[str] = []
    budget = ipython_syntax.Budget(_READ_BUDGET)
    for number, cell in enumerate(_code_cells(_load(data, name), name), start=1):
        if not is_graded(cell):
            continue
        out.graded_cells.append(number)
        cell_lines = _lines(cell)
        try:
            converted = _convert(cell_lines, budget)
        except ipython_syntax.TooLong as exc:
            raise errors.NotebookError(
                f"{name}: code cell {number} could not be read: {exc}. Expected: graded cells that hold the "
                "required functions and their imports. Fix: move data, outputs and long generated code out of "
                "graded cells, or submit a .py file.") from None
        for i, (line, (text, reason)) in enumerate(zip(cell_lines, converted), start=1):
            if reason:
                shown = clean_text(line.strip())[:200]  # shown in reports and terminals
                out.dropped.append({"cell": number, "line": i, "text": shown, "reason": reason})
            lines.append(text)
            out.line_map.append((number, i))
        lines.append("")
        out.line_map.append((number, len(cell_lines) + 1))
    if not out.graded_cells:
        raise errors.NotebookError(
            f"{name} has no graded cells, so there is nothing to grade. Expected: the cells that define "
            "the required functions (and their imports) marked as graded. Fix: add the tag 'graded' to those "
            "cells (View > Cell toolbar > Tags), or make '# graded' their first line.")
    out.source = "\n".join(lines)
    _require_text(out, name)
    return out


def _require_text(out: GradedSource, name: str) -> None:
    """JSON can spell characters that are not text (lone UTF-16 surrogates); Python source cannot hold them."""
    try:
        out.source.encode("utf-8")
    except UnicodeEncodeError as exc:
        where = out.locate(out.source.count("\n", 0, exc.start) + 1)
        raise errors.NotebookError(
            f"{name}: {where} holds a character that is not valid text (an unpaired surrogate, "
            f"\\u{ord(out.source[exc.start]):04x}). Expected: Python code in UTF-8. Likely cause: text pasted from "
            "a broken source or a notebook written by a tool. Fix: delete that character and save again.") from None


def _load(data: bytes, name: str) -> dict:
    """The notebook's JSON document; notebooks older than format 4 (worksheets, no cells) are upgraded first."""
    try:
        notebook = json.loads(data)
    except Exception as exc:  # noqa: BLE001 - bad JSON, bad UTF-8, absurd nesting: the same story for the student
        raise _unreadable(name, exc) from None
    if not isinstance(notebook, dict):
        raise errors.NotebookError(
            f"{name} is not a Jupyter notebook: expected a JSON object holding a list of cells, found "
            f"{_seen(notebook)}. {_RESAVE}")
    if "cells" not in notebook and "worksheets" in notebook:
        notebook = _upgrade(data, name)
    return notebook


def _upgrade(data: bytes, name: str) -> dict:
    import nbformat

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # nbformat warns about what it repairs; the checks below decide
            return nbformat.reads(data.decode("utf-8"), as_version=4)
    except Exception as exc:  # noqa: BLE001 - nbformat raises many kinds on a malformed old notebook
        raise _unreadable(name, exc) from None


def _code_cells(notebook: dict, name: str) -> list[dict]:
    """The code cells, each checked to hold what extraction reads: a metadata object, tags that are a list of
    strings, a source that is a string or a list of strings."""
    cells = notebook.get("cells")
    if not isinstance(cells, list):
        found = "no 'cells' entry" if cells is None else f"'cells' as {_seen(cells)}"
        raise errors.NotebookError(
            f"{name} is not a valid Jupyter notebook: expected a JSON object whose 'cells' is a list, found {found}. "
            f"{_RESAVE}")
    code = []
    for index, cell in enumerate(cells, start=1):
        if not isinstance(cell, dict):
            raise errors.NotebookError(
                f"{name} is not a valid Jupyter notebook: cell {index} (counting every cell) is {_seen(cell)}, "
                f"expected a JSON object with 'cell_type', 'metadata' and 'source'. {_RESAVE}")
        if cell.get("cell_type") == "code":
            code.append(cell)
            _check_code_cell(cell, f"code cell {len(code)} (cell {index} counting every cell)", name)
    return code


def _check_code_cell(cell: dict, where: str, name: str) -> None:
    metadata = cell.get("metadata", {})
    if not isinstance(metadata, dict):
        raise _malformed(name, where, "metadata", "a JSON object", metadata)
    tags = metadata.get("tags", [])
    if not (isinstance(tags, list) and all(isinstance(t, str) for t in tags)):
        raise _malformed(name, where, "tags", 'a list of strings, such as ["graded"]', tags)
    source = cell.get("source", "")
    if not (isinstance(source, str) or isinstance(source, list) and all(isinstance(s, str) for s in source)):
        raise _malformed(name, where, "source", "a string or a list of strings (the cell's lines)", source)


_RESAVE = ("Likely cause: the notebook was edited by hand, saved half-way, or written by a tool that does not follow "
           "the notebook format. Fix: open it in Jupyter or Colab and save it again, or submit a .py file.")


def _malformed(name: str, where: str, what: str, expected: str, seen: object) -> errors.NotebookError:
    return errors.NotebookError(
        f"{name}: in {where}, '{what}' is {_seen(seen)}; expected {expected}. Likely cause: the notebook was "
        "edited by hand or by a tool that wrote invalid metadata. Fix: open it in Jupyter or Colab, check that "
        "cell (its tags: View > Cell toolbar > Tags) and save it again, or submit a .py file.")


def _unreadable(name: str, exc: BaseException) -> errors.NotebookError:
    return errors.NotebookError(
        f"{name} could not be read as a Jupyter notebook ({type(exc).__name__}: {clean_text(str(exc))[:200]}). "
        "Expected: an .ipynb file saved by Jupyter or Colab. Likely cause: the file was edited by hand or "
        "saved half-way; open it in Jupyter and save it again, or submit a .py file.")


def _seen(value: object) -> str:
    """A JSON value described in a few words for a message (the student's own text, made safe to show)."""
    if isinstance(value, str):
        return f'the string "{printable(value, 40)}"'
    if isinstance(value, bool) or value is None:
        return {True: "true", False: "false", None: "null"}[value]
    if isinstance(value, (int, float)):
        return f"the number {printable(str(value), 40)}"
    if isinstance(value, dict):
        return "a JSON object"
    if not isinstance(value, list):
        return type(value).__name__
    odd = [v for v in value if not isinstance(v, str)][:1]
    if odd:
        return f"a list holding {_seen(odd[0])}"
    return f"a list of {len(value)} item{'s' if len(value) != 1 else ''}"


def _convert(lines: list[str], budget: ipython_syntax.Budget) -> list[tuple[str, str | None]]:
    """Each line of a cell as it is graded, with the reason it was changed (None: kept byte for byte)."""
    magic = ipython_syntax.cell_magic(lines)
    if magic is not None and magic.name not in _KEEP_BODY_CELL_MAGICS:
        return [(_dropped("", _DROPPED_CELL), _DROPPED_CELL) for _ in lines]  # %%bash, %%writefile, ...
    if magic is not None:  # %%time and the like: IPython reads the body as a cell of its own
        head = [(line, None) for line in lines[:magic.line]]  # blank lines above the magic
        reason = f"IPython cell magic %%{magic.name} (its body is graded)"
        return [*head, (_dropped(_indent(lines[magic.line]), reason), reason),
                *_convert(lines[magic.line + 1:], budget)]
    out: list[tuple[str, str | None]] = [(line, None) for line in lines]
    for span in ipython_syntax.special_spans(lines, budget):
        indent = _indent(lines[span.first])
        for i in range(span.first, span.last + 1):
            if span.python is not None and i == span.first:  # IPython's own Python for /f x, ,f a b, ;f a b
                out[i] = (span.python, f"{span.reason}: graded as {clean_text(span.python.strip())[:100]}")
            else:
                out[i] = (_dropped(indent, span.reason), span.reason)
    if _MAYBE_HOST_ONLY.search("\n".join(lines)):
        plain = [text if reason is None else _indent(text) + "pass" for text, reason in out]
        for first, last, tokens in ipython_syntax.logical_lines(plain, budget):
            reason = _host_only_reason(tokens)
            if reason and all(out[i][1] is None for i in range(first, last + 1)):
                out[first:last + 1] = [(_dropped(_indent(lines[first]), reason), reason)] * (last + 1 - first)
    return out


def _dropped(indent: str, reason: str) -> str:
    return f"{indent}pass  # labmark dropped: {reason}"


# Plain Python that only works in Colab or IPython: the whole statement is dropped.
_MAYBE_HOST_ONLY = re.compile(r"google|drive|get_ipython")
_COLAB_IMPORT = ("Google Colab only", ("google", ".", "colab"))
_HOST_ONLY_CALLS = (
    ("Google Colab only: mounts Google Drive", ("drive", ".", "mount", "(")),
    ("IPython only", ("get_ipython", "(")),
)


def _host_only_reason(tokens: list) -> str | None:
    words = [tok.string for tok in tokens]
    if words[:1] in (["from"], ["import"]) and tuple(words[1:4]) == _COLAB_IMPORT[1]:
        return _COLAB_IMPORT[0]
    for reason, pattern in _HOST_ONLY_CALLS:
        n = len(pattern)
        if any(tuple(words[i:i + n]) == pattern for i in range(len(words) - n + 1)):
            return reason
    return None
