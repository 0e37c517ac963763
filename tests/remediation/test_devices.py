"""The chooser for devices that cannot present a certificate: every path of answers ends in a recommendation."""
from __future__ import annotations

import itertools

import pytest

from app.remediation import devices as d
from app.remediation.sources import SOURCES
from app.translate import plain


def walks():
    """Every sequence of answers the questions allow, as the web pages ask them."""
    finished = []
    pending = [{}]
    while pending:
        answers = pending.pop()
        question = d.next_question(answers)
        if question is None:
            finished.append(answers)
            continue
        pending += [{**answers, question.name: value} for value, _label in question.choices]
    return finished


# For the page tests (tests/staff); the tests here call walks() afresh, to see the rules as they are when they run.
WALKS = walks()


def test_every_walk_ends_in_a_recommendation_with_steps_and_sources():
    assert len(walks()) >= 8
    for answers in walks():
        result = d.recommend(answers, plain)
        assert result.way.steps and result.reason
        assert result.way.sources and set(result.way.sources) <= set(SOURCES)
        assert {w.id for w in result.others} | {result.way.id} == {w.id for w in d.WAYS}


@pytest.mark.parametrize("answers,way", [
    ({"recipients": "external", "oauth": "yes"}, d.SMTP_AUTH),
    ({"recipients": "internal", "oauth": "yes"}, d.SMTP_AUTH),
    ({"recipients": "external", "oauth": "no", "relay_server": "yes"}, d.RELAY_SERVER),
    ({"recipients": "internal", "oauth": "unsure", "relay_server": "no"}, d.DIRECT_SEND),
    ({"recipients": "external", "oauth": "no", "relay_server": "no", "static_ip": "yes"}, d.IP_CONNECTOR),
    ({"recipients": "external", "oauth": "no", "relay_server": "no", "static_ip": "unsure"}, d.RELAY_SERVER),
    ({"recipients": "external", "oauth": "no", "relay_server": "no", "static_ip": "no"}, d.RELAY_SERVER),
])
def test_recommendation(answers, way):
    assert answers in walks()
    assert d.recommend(answers, plain).way.id == way


def test_a_shared_ip_address_never_gets_the_ip_connector():
    """MC1226222: a connector on an IP address shared with other organizations is a broken configuration."""
    for answers in walks():
        if answers.get("static_ip") != "yes":
            assert d.recommend(answers, plain).way.id != d.IP_CONNECTOR


def test_the_ways_say_what_2026_changes():
    ways = d.WAY_BY_ID
    assert "end of December 2026" in ways[d.SMTP_AUTH].status and "OAuth" in ways[d.SMTP_AUTH].status  # facts section 11
    assert "550 5.7.68" in ways[d.DIRECT_SEND].status and "RejectDirectSend" in ways[d.DIRECT_SEND].status
    assert "MC1226222" in ways[d.IP_CONNECTOR].status
    assert "MC1226222" in ways[d.IP_CONNECTOR].sources
    assert [w.id for w in d.WAYS if w.kb_scenarios] == [d.RELAY_SERVER]


def test_answers_outside_the_choices_are_dropped():
    raw = {"recipients": "external", "oauth": "maybe", "static_ip": "yes", "extra": "x"}
    assert d.valid_answers(raw) == {"recipients": "external", "static_ip": "yes"}
    assert d.next_question(d.valid_answers(raw)).name == "oauth"


def test_no_question_is_asked_twice_and_every_question_is_reachable():
    asked = set()
    for answers in walks():
        asked |= set(answers)
    assert asked == {q.name for q in d.QUESTIONS}
    assert all(len(a) == len(set(a)) for a in walks())
    assert not any(itertools.chain.from_iterable(d.next_question(a) and [a] or [] for a in walks()))


def test_with_reject_direct_send_devices_need_a_partner_connector():
    """Issue 21 item 8 (MC1093237): not an OnPremises IP connector, which would grant relay."""
    from app.remediation.devices import DIRECT_SEND, WAY_BY_ID
    steps = " ".join(WAY_BY_ID[DIRECT_SEND].steps)
    assert "If it reads True, use an IP-based connector instead" not in steps
    assert "inbound connector of type Partner" in steps and "MC1093237" in WAY_BY_ID[DIRECT_SEND].sources
