"""The audit reads each property under the name Exchange prints it, as the collection script asks for it.

PastedObject looks names up without regard to case (the Exchange Online and Exchange Server
cmdlets spell some properties differently), so a rule that asked for "rootcatype" would still
work today; this test keeps every name the rules ask for spelled as the script collects it
(issue 16)."""
from __future__ import annotations

import re

import pytest

from app.audit import model
from app.audit.collect import collection_script
from tests.audit.conftest import fixture
from tests.audit.test_rules import CASES

# Read for pastes made without the collection script: Get-SendConnector's default table shows it.
NOT_COLLECTED = {"SmartHostsString", "PSComputerName"}  # PSComputerName: Export-Clixml files carry it
FIXTURES = ["exchange_online_hybrid.txt", "exchange_server_2016_hybrid.txt", "messy_paste.txt",
            "send_connector_console_wrapped.txt", "certificate_blog_2016.txt", "certificate_qa_2023.txt",
            "certificate_table.txt"]


@pytest.fixture
def names_read(monkeypatch) -> set[str]:
    """Every property name the rules ask a pasted object for (the real lookups run as they are)."""
    read: set[str] = set()
    for method in ("get", "has", "text", "flag", "items", "cut", "evidence"):
        original = getattr(model.PastedObject, method)

        def noting(self, *names, _original=original):
            read.update(names)
            return _original(self, *names)

        monkeypatch.setattr(model.PastedObject, method, noting)
    return read


def test_every_property_the_rules_read_is_collected_under_that_name(audit, names_read):
    for _code, broken, domains, _shows, _fixed in CASES:
        audit(broken, domains)
    for name in FIXTURES:
        audit(fixture(name), ["contoso.com"])
    script = collection_script("exchange-2019") + collection_script("exchange-2010")
    assert len(names_read) > 25
    assert sorted(n for n in names_read - NOT_COLLECTED if not re.search(rf"\b{re.escape(n)}\b", script)) == []
