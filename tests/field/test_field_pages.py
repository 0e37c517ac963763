"""What a user sees when a corpus sample is pasted into the page."""
from __future__ import annotations

from tests.conftest import page, submit
from tests.field.corpus import SAMPLES


def test_a_row_without_its_header_line_is_named_on_the_audit_page(client):
    row = (SAMPLES / "config" / "qa-345004-receive-connector-row-without-header.txt").read_text(encoding="utf-8")
    summary = page(submit(client, "/audit", {"text": row})).select_one(".error-summary").get_text(" ")
    assert "Line 1" in summary and "without its header line" in summary and "Format-List" in summary
