"""Every finding of every rule names what it is about: no placeholder left, no "None" (issue 16)."""
from __future__ import annotations

import re

import pytest

from tests.audit.test_rules import CASES

BLANK = re.compile(r"%\(\w+\)|\bNone\b|\(\s*\)|:\s*\.")


@pytest.mark.parametrize("code,broken,domains,_shows,_fixed", CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_each_message_fix_and_step_is_filled_in(audit, code, broken, domains, _shows, _fixed):
    result = audit(broken, domains)
    for finding in result.findings:
        for text in (finding.title, finding.message, finding.fix):
            assert text and not BLANK.search(text), (finding.code, text)
        assert all(e.line > 0 and e.text for e in finding.evidence), finding.code
    for step in result.plan.steps:
        assert step.title and not BLANK.search(step.title), step
        for line in step.commands:
            assert not BLANK.search(line) and "''" not in line, (step.code, line)
