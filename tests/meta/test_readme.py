"""The README as a reader meets it on the forge: tables render as tables, the quick start says how to
change the port (issue 10, item 14)."""
from __future__ import annotations

import re
from pathlib import Path

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")


def tables() -> list[list[str]]:
    """Runs of consecutive lines that start with '|'."""
    found, run = [], []
    for line in README.splitlines() + [""]:
        if line.startswith("|"):
            run.append(line)
        elif run:
            found.append(run)
            run = []
    return found


def test_every_table_has_a_header_row_and_no_row_cut_off_by_a_blank_line():
    assert tables()
    for table in tables():
        assert len(table) >= 3, table  # header, separator, at least one row: a lone row renders as text
        assert re.fullmatch(r"\|(\s*:?-{3,}:?\s*\|)+", table[1]), table[:2]


def test_the_quick_start_says_how_to_serve_on_another_port():
    quick_start = README.split("\n## ", 2)[1]  # the first section after the title
    assert "make run" in quick_start and "BIND=127.0.0.1:8080 make run" in quick_start
