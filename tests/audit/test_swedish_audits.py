"""Every finding and fix of the audit reaches a Swedish reader translated (tests/swedish.py), with the
same findings, evidence and commands as in English: commands are never translated (issue 16)."""
from __future__ import annotations

import pytest

from tests.audit.conftest import fixture
from tests.audit.test_rules import CASES
from tests.swedish import swedish


def commands(plan) -> list[list[str]]:
    return [[line for line in step.commands if not line.lstrip().startswith("#")] for step in plan.steps]


@pytest.mark.parametrize("code,broken,domains,_shows,_fixed", CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_each_finding_and_its_fix_in_swedish(audit, code, broken, domains, _shows, _fixed):
    english, translated = audit(broken, domains), audit(broken, domains, _=swedish)
    assert [(f.code, f.severity, f.evidence) for f in translated.findings] == \
        [(f.code, f.severity, f.evidence) for f in english.findings]
    for before, after in zip(english.findings, translated.findings):
        assert (after.title, after.message) != (before.title, before.message)
    assert [s.code for s in translated.plan.steps] == [s.code for s in english.plan.steps]
    assert commands(translated.plan) == commands(english.plan)
    assert all(after.title != before.title for before, after in zip(english.plan.steps, translated.plan.steps))


@pytest.mark.parametrize("name", ["exchange_online_hybrid.txt", "exchange_server_2016_hybrid.txt",
                                  "messy_paste.txt", "send_connector_console_wrapped.txt",
                                  "certificate_blog_2016.txt", "certificate_qa_2023.txt", "certificate_table.txt"])
def test_pasted_forum_output_reads_in_swedish(audit, name):
    english, translated = audit(fixture(name), ["contoso.com"]), audit(fixture(name), ["contoso.com"], _=swedish)
    assert [f.code for f in translated.findings] == [f.code for f in english.findings]
    assert commands(translated.plan) == commands(english.plan)
