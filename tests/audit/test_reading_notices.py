"""What the reader says about lines it could not use: which line, as pasted, at most 50 of them (issue 16)."""
from __future__ import annotations

import pytest

from app.audit.model import UNREAD_LINE
from app.audit.reading import MAX_NOTICES, AuditInputError, read_configuration
from tests.audit.test_rules import paste


def test_a_stray_line_is_named_with_its_number_and_its_text():
    text = "thanks for looking at this\n" + paste()
    notices = read_configuration(text).notices
    assert [(n.line, n.text, n.reason) for n in notices if n.reason == UNREAD_LINE][:1] == [
        (1, "thanks for looking at this", UNREAD_LINE)]


def test_no_more_than_50_notices_are_kept():
    text = "".join(f"stray line {n}\n" for n in range(MAX_NOTICES + 10)) + paste()
    notices = read_configuration(text).notices
    assert len(notices) == MAX_NOTICES
    assert (notices[-1].line, notices[-1].text) == (MAX_NOTICES, f"stray line {MAX_NOTICES - 1}")


@pytest.mark.parametrize("text", ["hello\nworld\n", "   \n\nnothing to see\n"])
def test_a_paste_with_nothing_readable_names_its_first_unread_line(text):
    with pytest.raises(AuditInputError) as caught:
        read_configuration(text)
    first = next(line for line in text.splitlines() if line.strip())
    assert (caught.value.code, caught.value.line, caught.value.text) == (
        "unreadable", text.splitlines().index(first) + 1, first.strip())


def test_an_empty_paste_names_no_line():
    with pytest.raises(AuditInputError) as caught:
        read_configuration("\n\n")
    assert (caught.value.code, caught.value.line, caught.value.text) == ("unreadable", 0, "")
