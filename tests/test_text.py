"""Untrusted text is made safe to show: the words stay, whatever would drive a terminal goes."""

from __future__ import annotations

import pytest

from bench.text import clean_text, printable


@pytest.mark.parametrize("raw, shown", [
    ("a\tb\r\nc\x1b[2Kd\x00", "a\tb\ncd"),  # newlines and tabs kept, CSI and NUL dropped
    ("over\rwrite", "over\nwrite"),  # a lone CR would let a later line hide an earlier one
    ("\x1b[31mred\x1b[0m \x1b[?25l", "red "),
    ("\x1b]8;;https://evil.example\x07click\x1b]8;;\x1b\\", "click"),  # OSC 8 hyperlink, BEL and ST ends
    ("\x1b]0;new window title\x1b\\text", "text"),
    ("\x1bPq#0;2;0;0;0\x1b\\after", "after"),  # DCS (sixel) string
    ("\x1bcreset \x1b(Bcharset", "reset charset"),  # two-character escapes
    ("dangling \x1b", "dangling "),
    ("\x1b]unterminated title", "unterminated title"),  # the opener goes; the rest shows as plain text
    ("c1\x9b31m\x85\x9d", "c131m"),  # 8-bit CSI, NEL, OSC
    ("pass\u202e\u2066lied\u2069\u202c", "passlied"),  # bidi overrides and isolates
    ("naïve café ✓", "naïve café ✓"),
])
def test_clean_text_keeps_the_words_and_drops_what_drives_a_terminal(raw, shown):
    assert clean_text(raw) == shown


def test_printable_names_show_every_character():
    assert printable("alice") == "alice"
    assert printable("a\nb\u202e\x1b") == "a\\nb\\u202e\\x1b"
    assert printable(b"bad\xff".decode("utf-8", "surrogateescape")) == "bad\\xff"  # os's form of non-UTF-8 bytes
    assert printable("x" * 100, limit=10) == "xxxxxxx..."
