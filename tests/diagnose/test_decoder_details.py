"""The error decoder's answer, as the API and the page show it, in English and Swedish (issue 16)."""
from __future__ import annotations

import pytest

from app.diagnose import RULES, diagnose
from app.diagnose.rules import RULESET_VERSION
from tests.swedish import swedish


def sample(rule) -> str:
    """Text made of a rule's first signature: its wanted terms, none of its unwanted ones."""
    return " ".join(term for term in rule.signatures[0] if not term.startswith("!"))


def test_a_word_split_by_a_quoted_printable_soft_break_is_joined():
    # Without the join, "TenantAttri=\nbution" is no TenantAttribution and the 5.7.64 reads as ATTR36.
    assert [m.code for m in diagnose("550 5.7.64 TenantAttri=\nbution").matches] == ["5.7.64 TenantAttribution"]


def test_the_json_answer_for_recognized_text():
    result = diagnose("550 5.7.64 TenantAttribution; Relay Access Denied")
    assert list(result.to_dict()) == ["recognized", "matches", "next_steps", "codes_found", "ruleset_version"]
    assert result.to_dict()["ruleset_version"] == RULESET_VERSION and result.to_dict()["recognized"] is True
    assert list(result.to_dict()["matches"][0]) == ["code", "title", "raised_by", "meaning", "fix", "wizard_step",
                                                    "details", "sources"]


def test_the_json_answer_for_unknown_text_lists_the_codes_found():
    assert diagnose("550 5.1.10 Recipient not found").to_dict()["codes_found"] == ["5.1.10"]


@pytest.mark.parametrize("rule", RULES, ids=[rule.code for rule in RULES])
def test_each_rule_reads_in_swedish(rule):
    english = diagnose(sample(rule))
    translated = diagnose(sample(rule), swedish)
    assert rule.code in [m.code for m in translated.matches]
    assert [m.code for m in translated.matches] == [m.code for m in english.matches]
    assert all(t.title != e.title and t.fix != e.fix for t, e in zip(translated.matches, english.matches))


def test_what_to_collect_reads_in_swedish():
    english, translated = diagnose("nothing known here"), diagnose("nothing known here", swedish)
    assert len(translated.next_steps) == len(english.next_steps) > 0
    assert not set(translated.next_steps) & set(english.next_steps)
