"""The pasted text itself: Windows and old Mac line ends, a byte order mark, tabs, terminal colours, the
limits on lines and objects, and evidence cut to its length (issue 16)."""
from __future__ import annotations

import pytest

from app.audit.model import CUT_OFF, SEND_CONNECTOR
from app.audit.reading import (
    EVIDENCE_CHARS, MAX_LINES, MAX_OBJECTS, AuditInputError, clean_lines, read_configuration, shorten,
)


def test_line_ends_byte_order_mark_tabs_and_colours_are_cleaned():
    assert clean_lines("\ufeffName\t: a\r\nEnabled : \x1b[32mTrue\x1b[0m\rPort : 25\n") == [
        "Name    : a", "Enabled : True", "Port : 25", ""]


def test_a_paste_with_too_many_lines_is_refused_by_name():
    with pytest.raises(AuditInputError) as caught:
        read_configuration("\n" * MAX_LINES)
    assert caught.value.code == "too_many_lines"
    read_configuration("Name : a\n" + "\n" * (MAX_LINES - 2))  # at the limit: read


def test_evidence_is_cut_to_its_length_with_an_ellipsis():
    assert shorten("x" * EVIDENCE_CHARS) == "x" * EVIDENCE_CHARS
    assert shorten("x" * (EVIDENCE_CHARS + 1)) == "x" * (EVIDENCE_CHARS - 1) + "\u2026"


def test_reading_stops_at_the_object_limit_and_says_so():
    text = "".join(f"Name : c{i}\nAddressSpaces : {{SMTP:*;1}}\n\n" for i in range(MAX_OBJECTS + 5))
    config = read_configuration(text)
    assert len(config.of(SEND_CONNECTOR)) == MAX_OBJECTS
    assert [(n.text, n.reason) for n in config.notices] == [("", CUT_OFF)]
