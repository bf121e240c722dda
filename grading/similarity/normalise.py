"""What the code comparison leaves out before fingerprinting, and the boilerplate it discounts.

Everything here keeps offsets: a left-out stretch is overwritten with spaces
(newlines kept), so a position in the normalised text is the same position,
on the same line, in the graded code an instructor reads.

Left out: docstrings and other bare string statements (free text, like
comments, which copydetect's tokeniser already drops), import statements
(every student imports the same few libraries, in an order too arbitrary to
list as boilerplate) and the lines the harness dropped from a notebook
(`!pip ...`, magics: `pass  # labmark dropped: ...`). Identifiers, string
contents and whitespace are normalised by copydetect itself (`filter=True`).
"""

from __future__ import annotations

import ast
import re

from reference import EXPERIMENTS, module_path

_DROPPED_LINE = re.compile(r"^[ \t]*pass  # labmark dropped: .*$", re.MULTILINE)
# Bodies students leave in a function they have not written yet (a kit's stub, a lab sheet's template).
_STUB_BODIES = ("pass", "...", "raise NotImplementedError", "raise NotImplementedError()", "return None")


def normalise(code: str) -> str:
    """`code` with docstrings, bare strings, imports and dropped notebook lines blanked; same length and lines."""
    chars = list(_DROPPED_LINE.sub(lambda m: " " * len(m.group()), code))
    try:
        tree = ast.parse(code)
    except (SyntaxError, ValueError):  # graded code that does not parse is still compared, with these left in
        return "".join(chars)
    starts = _line_starts(code)
    for node in ast.walk(tree):
        is_text = (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
                   and isinstance(node.value.value, str))
        if is_text or isinstance(node, (ast.Import, ast.ImportFrom)):
            begin = _offset(code, starts, node.lineno, node.col_offset)
            end = _offset(code, starts, node.end_lineno, node.end_col_offset)
            chars[begin:end] = [c if c == "\n" else " " for c in chars[begin:end]]
    return "".join(chars)


def _line_starts(code: str) -> list[int]:
    starts = [0]
    starts.extend(i + 1 for i, c in enumerate(code) if c == "\n")
    return starts


def _offset(code: str, starts: list[int], lineno: int, col_bytes: int) -> int:
    """The character offset of an ast position (ast columns count UTF-8 bytes)."""
    line_start = starts[lineno - 1]
    line = code[line_start: starts[lineno] if lineno < len(starts) else len(code)]
    return line_start + len(line.encode("utf-8")[:col_bytes].decode("utf-8", errors="ignore"))


def boilerplate(experiment_id: str) -> list[str]:
    """Code every student of the experiment shares legitimately: its public part and its interface as stubs.

    The stubs list the interface's functions in the lab sheet's order with each common placeholder body, so
    a run of signatures in that order (what a kit's template looks like) is discounted as a whole."""
    spec = EXPERIMENTS[experiment_id]
    texts = [(module_path(spec).parent / "__init__.py").read_text(encoding="utf-8")]
    for body in _STUB_BODIES:
        texts.append("\n\n".join(f"def {f.name}({', '.join(f.params)}):\n    {body}\n" for f in spec.interface))
    return [normalise(text) for text in texts]
