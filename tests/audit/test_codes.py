"""The audit's rule codes are for staff: a customer reads each finding's title, an agent also its code."""
from __future__ import annotations

import re

from tests.audit.conftest import fixture
from tests.conftest import page, submit

PASTE = {"text": fixture("exchange_online_hybrid.txt") + fixture("exchange_server_2016_hybrid.txt")}


def test_a_customer_sees_titles_without_rule_codes(client):
    soup = page(submit(client, "/audit", PASTE))
    assert soup.select(".audit-findings .finding .finding-title")
    assert not soup.select(".finding-code")
    assert not re.search(r"\([a-z]+(?:_[a-z0-9]+)+\)", soup.get_text(" "))  # no (rule_code) in the words


def test_a_signed_in_agent_also_sees_each_findings_code(agent):
    soup = page(submit(agent, "/audit", PASTE))
    titles = soup.select(".audit-findings .finding .finding-title")
    codes = [code.get_text(strip=True) for code in soup.select(".audit-findings .finding .finding-code")]
    assert codes and len(codes) == len(titles)
    assert all(re.fullmatch(r"\([a-z0-9_]+\)", code) for code in codes)


def test_no_source_shown_to_a_reader_names_a_file_of_this_repository():
    """Issue 24, item 5: a customer was sent to "exchange-facts.md section 4"."""
    from app.audit.catalog import RULES
    for rule in RULES.values():
        for source in rule.sources:
            assert ".md" not in source and "app/" not in source, (rule.code, source)
