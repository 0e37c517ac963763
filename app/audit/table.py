"""Format-Table output: a header line, a line of dashes under each column name, then rows."""
from __future__ import annotations

import re
from dataclasses import dataclass

_DASHES = re.compile(r"-{2,}")
_DASH_LINE = re.compile(r"^\s*-{2,}(?:\s+-{2,})*\s*$")


@dataclass(frozen=True)
class Table:
    columns: list[tuple[str, int]]   # (name, start column)

    def cells(self, row: str) -> dict[str, str] | None:
        """The row's value per column, cut at the column starts; a row whose spacing was
        squeezed (pasted through a mail client) is split on whitespace instead. None: not a row."""
        starts = [start for _name, start in self.columns]
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
