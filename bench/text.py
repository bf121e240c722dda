"""Making untrusted text safe to show.

Students choose much of the text the harness prints or records: what their
code prints, exception messages, file and folder names, notebook lines. Shown
as it is, such text can drive the reader's terminal (escape sequences that
move the cursor, retitle the window, hide a failure behind a rewritten line or
plant a hyperlink), or make a line read differently from what it holds
(bidirectional overrides). These helpers keep the words and drop the rest.
"""

from __future__ import annotations

import re

# What a terminal acts on rather than shows, longest forms first so that a whole sequence goes, not only its ESC.
_CONTROL_CHARS = re.compile(r"""
      \x1b\[[0-?]*[ -/]*[@-~]              # CSI: cursor moves, erase, colours (ESC [ params final)
    | \x1b\][^\x07\x1b]*(?:\x07|\x1b\\)     # OSC: window title, hyperlinks, clipboard (ends in BEL or ST)
    | \x1b[PX^_][^\x1b]*\x1b\\              # DCS, SOS, PM, APC strings (end in ST)
    | \x1b[ -/]*[0-~]                      # the other escape sequences (charset switches, reset, keypad modes)
    | \x1b                                 # a lone or unfinished ESC: what follows it then shows as plain text
    | [\x00-\x08\x0b-\x1f\x7f]               # C0 controls and DEL (newline and tab are kept)
    | [\x80-\x9f]                          # C1 controls: 8-bit CSI, OSC, ... on terminals that take them
    | [\u202a-\u202e\u2066-\u2069]           # bidirectional embeddings, overrides and isolates
""", re.VERBOSE)


def clean_text(text: str) -> str:
    """Drop terminal escapes, control characters and bidi overrides; keep newlines and tabs.

    Carriage returns become newlines first: a lone CR would let a later line
    overwrite an earlier one on screen."""
    return _CONTROL_CHARS.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def printable(name: str, limit: int = 80) -> str:
    """A file or folder name shown on one line, every character visible.

    Anything that does not print as itself (controls, bidi marks, bytes that are
    not UTF-8, which `os` hands back as surrogates) is written as a Python
    escape, so two different names never look alike and none moves the cursor."""
    text = name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    shown = "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in text)
    return shown if len(shown) <= limit else shown[: limit - 3] + "..."
