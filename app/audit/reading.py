"""Pasted Get-* output -> PastedObjects, one pass over the lines, nothing executed or fetched.

Reads the collection script's block and what people paste today: Format-List
and Format-Table output in any order, wrapped values (Format-List indents the
rest of a long value; a console copy may break it anywhere), ``{a, b}`` lists,
values cut with ``...``, blank lines, prompts, warnings and PowerShell errors.
Objects are told apart by a property that repeats (Format-List prints the same
properties for each object) and by prompts and section lines; what they are
comes from the command before them or from the properties they show.
"""
from __future__ import annotations

import re

from app.audit import values
from app.audit.clixml import ClixmlError, is_clixml, read_clixml
from app.audit.kinds import cmdlet_kind, kind_of
from app.audit.model import (
    CERTIFICATE, CUT_OFF, POWERSHELL_ERROR, UNREAD_LINE, Configuration, Evidence, Field, Notice, PastedObject,
)
from app.audit.parts import parts_of
from app.audit.same_object import merge_duplicates
from app.audit.table import Table, commented_out, headerless_table_at, looks_like_row, table_at, uncomment

MAX_TEXT = 400_000      # characters: a collection block is 20-100 KB
MAX_LINES = 20_000
MAX_LINE = 40_000       # one console line (a base64 certificate on one line is ~3 KB)
MAX_OBJECTS = 1_000
MAX_NOTICES = 50
MAX_LOG_LINES = 500
EVIDENCE_CHARS = 240

BLOCK_BEGIN = "-----BEGIN KB3169958 CONFIGURATION-----"
BLOCK_END = "-----END KB3169958 CONFIGURATION-----"
SECTION = "####"

_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
_MARKER = re.compile(r"^-{3,}\s*(BEGIN|END) KB3169958 CONFIGURATION\s*-{3,}$", re.IGNORECASE)
# "#### Part: connectors ####": the title without its hashes. Linear: one lazy group between two
# overlapping runs (the old ``^#{4}\s*(.*?)\s*#*$``) took 40 s on "####x", 40,000 spaces, "y".
_SECTION = re.compile(r"#{4}")
_PS_PROMPT = re.compile(r"^(?:\[PS\]|PS)\s+\S.*?>\s?(.*)$|^[A-Za-z]:\\[^>]*>\s?(.*)$")
_KEY = re.compile(r"^(?P<key>[A-Za-z][A-Za-z0-9_]{0,80})\s*:(?:\s+(?P<value>.*)|\s*)$")
_NOISE = re.compile(r"^(WARNING|VERBOSE|DEBUG|WARNUNG|VARNING|AVERTISSEMENT|ADVERTENCIA|AVVISO)\s*:", re.IGNORECASE)
_ERROR = re.compile(r"^(?:[A-Z][A-Za-z]+-[A-Za-z0-9]+|The term '[^']*') ?: .+")
_ERROR_TAIL = re.compile(r"^(At line:\d+|At [A-Za-z]:\\.*:\d+ char:\d+|\s*\+|\s*~+\s*$)")
_COMMENT = re.compile(r"^#(?!###)")   # a comment line ("# run on EX01"); "####" lines are sections
_SERVER_PARAMETER = re.compile(r"-Server[:\s]+['\"]?([A-Za-z0-9][A-Za-z0-9.-]*)", re.IGNORECASE)
_LOG_LINE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z?,")
_PEM_BEGIN, _PEM_END = "-----BEGIN CERTIFICATE-----", "-----END CERTIFICATE-----"
KEY_INDENT = 6          # deeper indented lines continue a value (Format-List aligns them under it)


class AuditInputError(ValueError):
    """Nothing usable in the paste: ``line`` names the first line that could not be read (0: none)."""

    def __init__(self, code: str, line: int = 0, text: str = ""):
        super().__init__(f"{code} at line {line}: {text!r}")  # pragma: no mutate: the pages read code, line and text
        self.code, self.line, self.text = code, line, text


def clean_lines(text: str) -> list[str]:
    text = _ANSI.sub("", text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n"))
    return [line.replace("\t", "    ").rstrip() for line in text.split("\n")]


def read_configuration(text: str) -> Configuration:
    """Read the paste; raises AuditInputError when nothing in it can be used."""
    if len(text) > MAX_TEXT:
        raise AuditInputError("too_large")
    if is_clixml(text):
        return _clixml_configuration(text)
    lines = clean_lines(text)
    if len(lines) > MAX_LINES:
        raise AuditInputError("too_many_lines")
    reader = _Reader(lines)
    reader.run()
    if not reader.objects and not reader.log_lines and commented_out(lines):
        reader = _Reader(uncomment(lines))   # a script's comment block: the output with '#' before every line
        reader.run()
    config = Configuration(merge_duplicates(reader.objects), reader.log_lines, reader.notices, set(),
                           reader.commands | {o.kind for o in reader.objects if o.kind})
    config.parts = parts_of(config, reader.parts)
    if not config.objects and not config.log_lines:
        first = next((n for n in reader.notices if n.reason == UNREAD_LINE), None)
        code = "table_without_header" if first and looks_like_row(first.text) else "unreadable"
        raise AuditInputError(code, first.line if first else 0, first.text if first else "")
    return config


def section_title(stripped: str) -> str | None:
    """The title of a section line (four hashes, the title, any hashes after it), or None."""
    if not _SECTION.match(stripped):
        return None
    return stripped[4:].lstrip().rstrip("#").rstrip()


def _clixml_configuration(text: str) -> Configuration:
    """Export-Clixml output: PowerShell's own file of the objects, read whole (app/audit/clixml.py)."""
    try:
        objects = read_clixml(text)
    except ClixmlError:
        raise AuditInputError("clixml_unreadable") from None
    if not objects:
        raise AuditInputError("clixml_unreadable")
    unknown = [o for o in objects if o.kind is None]
    notices = [Notice(o.line, f"object {o.line} of the Clixml file is not one the audit reads", UNREAD_LINE)
               for o in unknown[:MAX_NOTICES]]
    config = Configuration(objects, [], notices, set(), {o.kind for o in objects if o.kind})
    config.parts = parts_of(config, set())
    return config


def shorten(line: str) -> str:
    line = line.strip()
    return line if len(line) <= EVIDENCE_CHARS else line[:EVIDENCE_CHARS - 1] + "\u2026"


class _Reader:
    def __init__(self, lines: list[str]):
        self.lines = lines
        self.objects: list[PastedObject] = []
        self.log_lines: list[Evidence] = []
        self.notices: list[Notice] = []
        self.parts: set[str] = set()
        self.current: PastedObject | None = None
        self.last: Field | None = None
        self.pieces: list[str] = []               # continuation lines of self.last, joined once (linear work)
        self.open = 0                             # brackets self.last's value opened and has not closed yet
        self.fields_at_blank: int | None = None   # fields the current object had at the last blank line
        self.blank = False
        self.hint: str | None = None
        self.table: Table | None = None
        self.pem: list[str] | None = None
        self.in_error = False
        self.in_log = False
        self.server_hint = ""
        self.commands: set[str] = set()           # kinds whose Get- command was named (section or prompt)
        self.base_indent: int | None = None       # indentation of the current object's first property line

    def run(self) -> None:
        index = 0
        while index < len(self.lines) and len(self.objects) < MAX_OBJECTS:
            index += self.line(index)
        if len(self.objects) >= MAX_OBJECTS:
            self.notice(index, "", CUT_OFF)
        self.flush()

    def line(self, index: int) -> int:
        """Handle one line; returns how many lines it used."""
        number, raw = index + 1, self.lines[index]
        if len(raw) > MAX_LINE:
            self.notice(number, raw, CUT_OFF)
            raw = raw[:MAX_LINE]
        stripped = raw.strip()
        if self.pem is not None:
            return self.pem_line(stripped)
        if not stripped:
            self.blank, self.in_error = True, False
            if self.table is not None and not self.table.loose:
                self.table = None
            self.fields_at_blank = len(self.current.fields) if self.current else None
            return 1
        if stripped == _PEM_BEGIN:
            self.pem = [stripped]
            return 1
        if _MARKER.match(stripped) or section_title(stripped) is not None or self.is_prompt(stripped):
            self.boundary(stripped)
            return 1
        if _NOISE.match(stripped) or _COMMENT.match(stripped):
            return 1
        if _ERROR.match(stripped) and not _KEY.match(stripped):
            self.in_error = True
            self.notice(number, raw, POWERSHELL_ERROR)
            return 1
        if self.in_error and _ERROR_TAIL.match(raw):
            return 1
        if self.in_log or _LOG_LINE.match(stripped):
            if len(self.log_lines) < MAX_LOG_LINES:
                self.log_lines.append(Evidence(number, shorten(stripped)))
            return 1
        table = table_at(self.lines, index) or headerless_table_at(self.lines, index)
        if table is not None:
            self.flush()
            self.table = table
            return 2
        if self.table is not None:
            self.add_row(number, raw)
            return 1
        self.key_or_continuation(number, raw)
        return 1

    def is_prompt(self, stripped: str) -> bool:
        return bool(_PS_PROMPT.match(stripped))

    def boundary(self, stripped: str) -> None:
        self.flush()
        self.table, self.in_error, self.in_log = None, False, False
        title = section_title(stripped)
        prompt = _PS_PROMPT.match(stripped)
        if title is not None:
            if title.lower().startswith("part:"):
                self.parts.add(title.split(":", 1)[1].strip().lower())
            self.in_log = "protocol log" in title.lower()
            self.hint = cmdlet_kind(title)
            if self.hint:
                self.commands.add(self.hint)
        elif prompt:
            command = prompt.group(1) or prompt.group(2) or ""
            self.hint = cmdlet_kind(command)
            if self.hint:
                self.commands.add(self.hint)
            server = _SERVER_PARAMETER.search(command)
            self.server_hint = server.group(1) if server else ""
        else:
            self.hint = None

    def pem_line(self, stripped: str) -> int:
        assert self.pem is not None
        self.pem.append(stripped)
        if stripped == _PEM_END:
            # The object being read has no kind yet (flush gives it one), so the block belongs to it.
            target = self.current or next((o for o in reversed(self.objects) if o.kind == CERTIFICATE), None)
            if target is None:
                self.current = target = PastedObject(CERTIFICATE, 0)
            target.certificates.append("\n".join(self.pem))
            self.pem = None
        elif len(self.pem) > 200:
            self.pem = None  # not a certificate: a PEM block is 20-40 lines
        return 1

    def add_row(self, number: int, raw: str) -> None:
        assert self.table is not None
        cells = self.table.cells(raw)
        if cells is None:
            loose, self.table = self.table.loose, None
            if loose:  # a table without its dash line ends where its rows do
                self.key_or_continuation(number, raw)
            else:
                self.notice(number, raw, UNREAD_LINE)
            return
        obj = PastedObject(None, number, table=True)
        for name, value in cells.items():
            obj.fields[name.lower()] = Field(name, values.strip_cut(value), number, shorten(raw), values.is_cut(value))
        obj.kind = kind_of(set(obj.fields), self.hint)
        self.objects.append(obj)

    def key_or_continuation(self, number: int, raw: str) -> None:
        indent = len(raw) - len(raw.lstrip())
        # Quoted or pasted into a forum code block, a whole Format-List is indented: property lines are
        # those no deeper than the first property line of the object (continuations go under the value).
        base = self.base_indent if self.base_indent is not None and not self.blank else indent
        match = _KEY.match(raw.strip()) if indent <= base + KEY_INDENT else None
        if match and (self.current is None or self.blank):
            self.base_indent = indent
        if match:
            self.add_field(number, raw, match.group("key"), match.group("value") or "")
        elif self.last is not None and (indent or not self.blank or self.open > 0):
            # A forum that doubles every line break puts blank lines inside a wrapped value too: a value whose
            # bracket is still open ("[{LED=451 4.4.0 ...") goes on after the blank line.
            self.continue_value(raw, indent or self.blank)
        else:
            self.notice(number, raw, UNREAD_LINE)

    def add_field(self, number: int, raw: str, key: str, value: str) -> None:
        self.close_field()
        lower = key.lower()
        if self.current is not None and lower in self.current.fields:
            self.split(lower, number)
        if self.current is None:
            self.current = PastedObject(None, number)
        self.last = Field(key, values.strip_cut(value), number, shorten(raw), values.is_cut(value))
        self.open = values.bracket_balance(value)
        self.current.fields[lower] = self.last
        self.blank = False

    def split(self, repeated: str, number: int) -> None:
        """A property repeats: the next object began, at the last blank line if there was one in between."""
        assert self.current is not None
        keys = list(self.current.fields)
        at = self.fields_at_blank
        if at is None or not keys.index(repeated) < at:  # at never exceeds the fields there are
            at = len(keys)
        moved = {k: self.current.fields.pop(k) for k in keys[at:]}
        self.flush()
        self.current = PastedObject(None, next(iter(moved.values())).line if moved else number, moved)

    def continue_value(self, raw: str, indent: int) -> None:
        # Format-List wraps at a space and indents the rest; a console copy breaks anywhere, unindented.
        self.pieces.append((" " if indent else "") + raw.strip())
        self.open += values.bracket_balance(raw)

    def close_field(self) -> None:
        if self.last is not None and self.pieces:
            joined = (self.last.value + "".join(self.pieces)).strip()
            self.last.value = values.strip_cut(joined)
            self.last.truncated = values.is_cut(joined)
        self.pieces = []

    def flush(self) -> None:
        self.close_field()
        if self.current is not None and (self.current.fields or self.current.certificates):
            if self.current.kind is None:
                self.current.kind = kind_of(set(self.current.fields), self.hint)
            if self.current.kind == CERTIFICATE and self.server_hint and not self.current.has("Server"):
                # "Get-ExchangeCertificate -Server EX01 | fl" lists EX01's certificates.
                self.current.fields["server"] = Field("Server", self.server_hint, self.current.line, "")
            if self.current not in self.objects:
                self.objects.append(self.current)
        self.current, self.last, self.fields_at_blank, self.base_indent = None, None, None, None

    def notice(self, number: int, raw: str, reason: str) -> None:
        if len(self.notices) < MAX_NOTICES:
            self.notices.append(Notice(number, shorten(raw), reason))
