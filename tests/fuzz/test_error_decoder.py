"""Whatever is pasted into the error decoder, it answers; line breaks, spacing and case never change it."""
from __future__ import annotations

import json
import re
import time

from hypothesis import given
from hypothesis import strategies as st

from app.diagnose import RULES, diagnose
from tests.fuzz.conftest import FUZZ

RULE_CODES = {rule.code for rule in RULES}
TERMS = sorted({term.lstrip("!") for rule in RULES for signature in rule.signatures for term in signature})
NOISE = ["Remote Server returned", "550", "smtp;", "Diagnostic information for administrators:",
         "mail.contoso.com", "#", "[", "]", "5.0.0", "15.7.640", "=", "Generating server:"]
WORDS = st.lists(st.sampled_from(TERMS + NOISE), min_size=1, max_size=8)


def check(text: str):
    result = diagnose(text)
    data = json.loads(json.dumps(result.to_dict()))
    assert {m["code"] for m in data["matches"]} <= RULE_CODES
    assert result.recognized == bool(result.matches)
    if not result.recognized:
        assert result.next_steps, "an unrecognized text still tells the user what to collect"
    return result


@FUZZ
@given(st.text(max_size=2000))
def test_random_text_never_raises(text):
    check(text)


@FUZZ
@given(WORDS, st.lists(st.sampled_from([" ", "\n", "\r\n", "  ", "\t", " \n  "]), min_size=8, max_size=8))
def test_line_breaks_spacing_and_case_do_not_change_the_diagnosis(words, separators):
    pasted = " ".join(words)
    rewrapped = "".join(word + separators[i % len(separators)] for i, word in enumerate(words))
    shouted = re.sub(r"[a-z]+", lambda m: m.group(0).upper(), rewrapped)
    expected = [m.code for m in check(pasted).matches]
    assert [m.code for m in check(rewrapped).matches] == expected
    assert [m.code for m in check(shouted).matches] == expected


def test_every_rule_is_reachable_from_its_own_terms():
    """The generators can reach every rule: each first signature, pasted alone, matches its rule."""
    for rule in RULES:
        text = " ".join(term for term in rule.signatures[0] if not term.startswith("!"))
        assert rule.code in [m.code for m in diagnose(text).matches], rule.code


def test_long_hostile_pastes_answer_quickly():
    """The patterns never backtrack badly: 20,000 characters of near-misses take well under a second each."""
    for text in ["5.7. " * 5000, "a" * 20000, "tenant" + "_" * 19990 + "x", "=\n" * 10000, " ".join(TERMS) * 200]:
        started = time.perf_counter()
        check(text)
        assert time.perf_counter() - started < 1.0, text[:20]
