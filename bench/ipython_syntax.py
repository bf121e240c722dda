"""Which lines of a notebook cell are IPython syntax, found by IPython's own rules.

Jupyter hands each cell to IPython's input transformers
(`IPython.core.inputtransformer2`) before Python sees it. They work on tokens
and logical lines: `%magic`, `!shell`, `?help`, `x = !cmd`, `x = %magic` are
recognised only where a logical line starts (never inside open brackets, after
a backslash continuation or inside a string), and a line magic or shell line
ending in `\\` takes the following lines with it. A cell whose first line
starts with `%%` is a cell magic, and its body is not Python.

`special_spans` finds the same spans IPython transforms, one at a time and in
the same order, by calling IPython's finders and transformers; it never runs
the cell. The parent uses it while converting a notebook; workers never
import IPython for it.
"""

from __future__ import annotations

import re
import tokenize
from dataclasses import dataclass

# Reasons shown in the record's list of dropped lines.
SHELL = "shell command"
MAGIC = "IPython magic"
CAPTURED = "shell or magic output captured into a variable"
HELP = "IPython help syntax (obj? or ?obj)"
MISPLACED_CELL_MAGIC = ("cell magic not on the cell's first line: IPython runs it as a line magic, which fails; put "
                        "the %% line first")
CALL_SYNTAX = "IPython call syntax (/f x, ,f a b or ;f a b)"


# A cell can hold IPython syntax only if one of these matches; most cells are read without tokenizing them.
_MAYBE_SPECIAL = re.compile(r"""
      ^[ \t\f]*[!?%,;/]     # a line that starts with an escape: %magic, !shell, ?help, /f x, ,f a b, ;f a b
    | \?[ \t\f\r]*$         # help at the end of a line: obj?
    | =[\s\\]*[!%]          # output captured into a variable: x = !cmd, x = %magic
""", re.MULTILINE | re.VERBOSE)


class TooLong(ValueError):
    """The cell would take too long to read: more IPython syntax, or a larger cell, than the reader allows."""


@dataclass
class Budget:
    """Characters the tokenizer may still read (it reads about 1 MB a second). IPython re-reads the whole cell
    after each piece of syntax it rewrites, and so does `special_spans`: the budget bounds that work."""

    chars: int

    def spend(self, lines: list[str]) -> None:
        self.chars -= sum(map(len, lines))
        if self.chars < 0:
            raise TooLong("the notebook's graded cells are too large, or hold too many lines of IPython syntax, to "
                          "be read in reasonable time")


@dataclass(frozen=True)
class Span:
    """Lines `first`..`last` (0-based, inclusive) of a cell form one piece of IPython syntax."""

    first: int
    last: int
    reason: str
    python: str | None = None  # IPython's own translation when it is plain Python (call syntax), else None


@dataclass(frozen=True)
class CellMagic:
    line: int  # 0-based index of the %% line
    name: str  # without the %%


def cell_magic(lines: list[str]) -> CellMagic | None:
    """The cell magic that opens the cell, as IPython decides it (after its own clean-up of leading blank lines
    and common indentation), or None."""
    from IPython.core import inputtransformer2 as it2

    kept = [line + "\n" for line in lines]
    trimmed = it2.leading_empty_lines(kept)
    cleaned = it2.leading_indent(trimmed)
    if not cleaned or not cleaned[0].startswith("%%") or re.match(r"%%\w+\?", cleaned[0]):
        return None  # `%%time?` is help about the magic, handled as help syntax
    name = cleaned[0][2:].rstrip().partition(" ")[0]
    return CellMagic(len(kept) - len(trimmed), name)


def special_spans(lines: list[str], budget: Budget) -> list[Span]:
    """The pieces of IPython syntax in a cell's lines (without line endings), in the order IPython transforms them.

    Like IPython, each round finds the earliest piece, then looks again at the cell with that piece replaced
    (here by `pass`, so later tokens are read as they would be after IPython's rewrite). A piece IPython's
    transformer rejects (SyntaxError) is left alone; when every candidate is rejected IPython stops, and so
    does this. So does a cell the tokenizer cannot read (inconsistent indentation): Python says why when the
    graded code is compiled."""
    if not _MAYBE_SPECIAL.search("\n".join(lines)):
        return []
    from IPython.core import inputtransformer2 as it2

    work = [line + "\n" for line in lines]
    finders = (it2.MagicAssign, it2.SystemAssign, it2.EscapedCommand, it2.HelpEnd)
    spans: list[Span] = []
    while True:  # each round turns at least one line into `pass`, which is never found again
        if len(spans) >= it2.TRANSFORM_LOOP_LIMIT:
            raise TooLong(f"a cell holds {len(spans)} or more pieces of IPython syntax; IPython itself stops at "
                          f"{it2.TRANSFORM_LOOP_LIMIT} and does not run such a cell")
        budget.spend(work)
        try:
            tokens_by_line = it2.make_tokens_by_line(work)
        except SyntaxError:  # IndentationError from the tokenizer: IPython fails on this cell too
            return spans
        candidates = sorted((found for finder in finders if (found := finder.find(tokens_by_line))),
                            key=it2.TokenTransformBase.sortby)
        for candidate in candidates:
            try:
                rewritten = candidate.transform(list(work))
            except SyntaxError:
                continue
            start = candidate.start_line
            last = start + len(work) - len(rewritten)  # the transformer folds lines start..last into one
            first = _logical_start(tokens_by_line, start, candidate.start_col)
            new_line = rewritten[start].rstrip("\n")
            python = None if "get_ipython()" in new_line else new_line
            spans.append(Span(first, last, _reason(type(candidate).__name__, work[start][candidate.start_col:]),
                              python))
            indent = _indent(work[first])
            work[first:last + 1] = [f"{indent}pass\n"] * (last + 1 - first)
            break
        else:
            return spans


def _logical_start(tokens_by_line: list, line: int, col: int) -> int:
    """The first physical line of the logical line holding (line, col): `x = %pwd` may follow `f(a,\\n b);`."""
    for group in tokens_by_line:
        if any(tok.start == (line + 1, col) for tok in group):
            first = next((tok for tok in group if tok.type not in (tokenize.INDENT, tokenize.DEDENT)), group[0])
            return min(first.start[0] - 1, line)
    return line


def _reason(transformer: str, text: str) -> str:
    if transformer in ("MagicAssign", "SystemAssign"):
        return CAPTURED
    if transformer == "HelpEnd":
        return HELP
    text = text.lstrip()
    if text.startswith("!"):
        return SHELL
    if text.startswith("%%"):
        return MISPLACED_CELL_MAGIC
    if text.startswith("%"):
        return MAGIC
    if text.startswith("?"):
        return HELP
    return CALL_SYNTAX


def _indent(line: str) -> str:
    return line[: len(line) - len(line.lstrip(" \t"))]


def logical_lines(lines: list[str], budget: Budget) -> list[tuple[int, int, list[tokenize.TokenInfo]]]:
    """(first, last, tokens) of each logical line of plain Python code (0-based physical lines, inclusive);
    the tokens leave out INDENT, DEDENT, NL, NEWLINE and comments. [] when the tokenizer cannot read it."""
    from IPython.core import inputtransformer2 as it2

    out = []
    skip = (tokenize.INDENT, tokenize.DEDENT, tokenize.NL, tokenize.NEWLINE, tokenize.COMMENT, tokenize.ENDMARKER)
    work = [line + "\n" for line in lines]
    budget.spend(work)
    try:
        groups = it2.make_tokens_by_line(work)
    except SyntaxError:
        return []
    for group in groups:
        toks = [tok for tok in group if tok.type not in skip]
        if toks:
            out.append((toks[0].start[0] - 1, min(max(tok.end[0] for tok in toks) - 1, len(lines) - 1), toks))
    return out
