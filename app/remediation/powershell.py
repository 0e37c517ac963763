"""PowerShell text: safe literals, comments, one command per line, file bytes.

Every value that came from a user or from an uploaded certificate reaches a
script only through :func:`ps_quote` (via :func:`ps_command`), or inside a
comment through :func:`ps_comment`. Nothing is ever put in a double-quoted
string, where ``$(...)`` would run.
"""
from __future__ import annotations

import re

# PowerShell's tokenizer treats all of these as single quotes: a typographic
# quote pasted from a document would end an ASCII-quoted literal. Inside a
# single-quoted literal, two quote characters in a row stand for the second
# one, so doubling each character with itself keeps the value unchanged.
SINGLE_QUOTES = "'\u2018\u2019\u201a\u201b"

# Characters that end a line comment in PowerShell, or could look like they do
# to an editor: flattened so that text in a comment can never become code.
_LINE_BREAKS = re.compile(r"[\r\n\v\f\x85\u2028\u2029]+")

# Characters that reorder or break what an admin reads (bidi controls: "evil\u202eexe.txt" reads as
# "eviltxt.exe"; line breaks: one string spanning lines) and other control characters: a literal
# never holds them raw, it spells them as [char]0x202E. A comment shows them as [U+202E].
_UNSEEN = re.compile(r"[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]")


class Token(str):
    """Script text we wrote ourselves (an enum value, a variable, ``*``): emitted as is."""


class _Switch:
    """Marks a switch parameter (``-WhatIf``): a name without a value."""


SWITCH = _Switch()


def _single_quoted(value: str) -> str:
    return "'" + "".join(c + c if c in SINGLE_QUOTES else c for c in value) + "'"


def ps_quote(value: str) -> str:
    """A single-quoted PowerShell literal whose value is exactly ``value``; with a character from _UNSEEN,
    an expression that joins the literals and ``[char]0x...`` for each such character, in parentheses."""
    if not _UNSEEN.search(value):
        return _single_quoted(value)
    parts, start = [], 0
    for found in _UNSEEN.finditer(value):
        if found.start() > start:
            parts.append(_single_quoted(value[start:found.start()]))
        parts.append(f"[char]0x{ord(found.group()):04X}")
        start = found.end()
    if start < len(value):
        parts.append(_single_quoted(value[start:]))
    if not parts[0].startswith("'"):
        parts.insert(0, "''")  # a string first: [char] + [char] would add their numbers
    return "(" + " + ".join(parts) + ")"


def ps_comment(text: str) -> str:
    """One comment line; line breaks in ``text`` become spaces, other unseen characters [U+XXXX]."""
    text = _LINE_BREAKS.sub(" ", text).rstrip()
    text = _UNSEEN.sub(lambda found: f"[U+{ord(found.group()):04X}]", text)
    return "# " + text if text else "#"


def ps_argument(value: object) -> str:
    if isinstance(value, bool):
        return "$true" if value else "$false"
    if isinstance(value, Token):
        return str(value)
    if isinstance(value, str):
        return ps_quote(value)
    raise TypeError(f"no PowerShell form for {value!r}")  # pragma: no mutate: a programmer's error, never shown


def ps_command(cmdlet: str, **params: object) -> str:
    """``Cmdlet -Name value ...`` on one line; ``str`` values are quoted, bools become $true/$false."""
    parts = [cmdlet]
    for name, value in params.items():
        parts.append("-" + name)
        if value is not SWITCH:
            parts.append(ps_argument(value))
    return " ".join(parts)


def format_list(command: str, properties: tuple[str, ...]) -> str:
    """``command | Format-List A,B``: shows just the settings the plan changed."""
    return f"{command} | Format-List {','.join(properties)}"


def powershell_bytes(text: str) -> bytes:
    """The script as Windows PowerShell 5.1 reads it right: UTF-8 with BOM, CRLF.

    Without the BOM, Windows PowerShell reads a .ps1 as the ANSI code page and
    mangles non-ASCII names (and could misread typographic quotes).
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n")
    return lines.replace("\n", "\r\n").encode("utf-8-sig")  # pragma: no mutate: codec names ignore case
