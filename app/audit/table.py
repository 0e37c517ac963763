"""Format-Table output: a header line, a line of dashes under each column name, then rows."""
from __future__ import annotations

import re
from dataclasses import dataclass

_DASHES = re.compile(r"-{2,}")
_DASH_LINE = re.compile(r"^\s*-{2,}(?:\s+-{2,})*\s*$")


_WIDE_GAP = re.compile(r"\s{2,}")
_PROPERTY_LINE = re.compile(r"^\s*[A-Za-z][A-Za-z0-9_]*\s*:(?:\s|$)")
# Default tables of the cmdlets the audit reads, by their column names: a forum or a mail client often
# drops the dash line under them (and doubles the line breaks), so they are known without it.
KNOWN_HEADERS = (
    ("Thumbprint", "Services", "Subject"),
    ("Identity", "DeliveryType", "Status", "MessageCount", "Velocity", "RiskLevel", "OutboundIPPool", "NextHopDomain"),
    ("Identity", "DeliveryType", "Status", "MessageCount", "NextHopDomain"),
    ("Identity", "AddressSpaces", "Enabled"),
    ("Identity", "Bindings", "Enabled"),
    ("Name", "DomainName", "DomainType", "Default"),
    ("Name", "Site", "ServerRole", "Edition", "AdminDisplayVersion"),
)


@dataclass(frozen=True)
class Table:
    columns: list[tuple[str, int]]   # (name, start column)
    loose: bool = False              # read without its dash line: rows may be split by blank lines

    def cells(self, row: str) -> dict[str, str] | None:
        """The row's value per column, cut at the column starts; a row whose spacing was
        squeezed (pasted through a mail client) is split on whitespace instead. None: not a row."""
        starts = [start for _name, start in self.columns]
        if self.loose:
            if _PROPERTY_LINE.match(row):
                return None
            parts = _WIDE_GAP.split(row.strip(), maxsplit=len(starts) - 1)
            if len(parts) == len(starts):
                return dict(zip([n for n, _s in self.columns], parts))
        text = row.rstrip()
        # A row that stops before the last column has empty cells at its end when it is still padded
        # into columns; with single spaces only, a mail client squeezed it.
        if len(text) <= starts[-1] and "  " not in text:
            tokens = row.split()
            if len(tokens) < len(starts):
                return None
            head = tokens[:len(starts) - 1]
            return dict(zip([n for n, _s in self.columns], head + [" ".join(tokens[len(starts) - 1:])]))
        cells = {}
        for position, (name, start) in enumerate(self.columns):
            end = starts[position + 1] if position + 1 < len(starts) else len(row)
            cells[name] = row[start:end].strip()
        return cells


def table_at(lines: list[str], index: int) -> Table | None:
    """A table whose header is ``lines[index]`` and whose dash line follows it, else None."""
    if index + 1 >= len(lines) or not _DASH_LINE.match(lines[index + 1]):
        return None
    header, dashes = lines[index], lines[index + 1]
    groups = [(m.start(), m.end()) for m in _DASHES.finditer(dashes)]
    columns = []
    for position, (start, end) in enumerate(groups):
        stop = groups[position + 1][0] if position + 1 < len(groups) else max(len(header), end)
        name = header[start:stop].strip()
        if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_ ]*", name):
            return None
        columns.append((name.replace(" ", ""), start))
    return Table(columns) if len(columns) >= 2 else None


def headerless_table_at(lines: list[str], index: int) -> Table | None:
    """A known default table whose dash line was lost: the header line names the cmdlet's columns."""
    words = lines[index].split()
    if len(words) < 2 or not any(tuple(words) == known[:len(words)] for known in KNOWN_HEADERS):
        return None
    line = lines[index]
    columns, position = [], 0
    for word in words:
        position = line.index(word, position)
        columns.append((word, position))
        position += len(word)
    return Table(columns, loose=True)


def looks_like_row(line: str) -> bool:
    """A table row on its own: cells apart by two or more spaces, not a "Name : value" line. Its header line
    (the column names) is missing, so which cell is which cannot be told."""
    text = line.strip()
    return bool(text) and not _PROPERTY_LINE.match(text) and not _DASH_LINE.match(text) and \
        len(_WIDE_GAP.split(text)) >= 2


def commented_out(lines: list[str]) -> bool:
    """Every line that has text starts with '#' (not a '####' section line): output kept as a script comment."""
    texts = [line.strip() for line in lines if line.strip()]
    return len(texts) >= 2 and all(t.startswith("#") and not t.startswith("####") for t in texts)


def uncomment(lines: list[str]) -> list[str]:
    """The lines without their first '#', the rest of each line where it was (its columns stay aligned)."""
    return [line.replace("#", " ", 1) if line.strip() else line for line in lines]
