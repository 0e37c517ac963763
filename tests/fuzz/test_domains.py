"""Whatever text is pasted as accepted domains, the parser answers, and its domains are canonical."""
from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from app.certs.domains import normalize_domain, parse_accepted_domains
from tests.fuzz.conftest import FUZZ

LABEL_CHARS = st.sampled_from(list("abcxyz019-_.*ÄÖåßéİı") + ["xn--", "XN--", "\u200d", "\u00ad", "．", "。", " ", "\t"])
LABEL = st.lists(LABEL_CHARS, min_size=0, max_size=12).map("".join)
DOMAINISH = st.lists(LABEL, min_size=1, max_size=4).map(".".join)
TABLE_LINE = st.tuples(LABEL, DOMAINISH, st.sampled_from(["Authoritative", "InternalRelay", "ExternalRelay", "Other"]),
                       st.sampled_from(["True", "False", ""])).map(lambda t: "  ".join(t))
LIST_LINE = st.tuples(st.sampled_from(["DomainName", "Name", "DomainType", "x"]), DOMAINISH).map(lambda t: f"{t[0]} : {t[1]}")
LINE = st.one_of(DOMAINISH, TABLE_LINE, LIST_LINE, st.text(max_size=40),
                 st.just("Name DomainName DomainType Default"), st.just("---- ---------- ----------"))
PASTE = st.lists(LINE, max_size=12).flatmap(
    lambda lines: st.sampled_from(["\n", "\r\n", "\r", "\u2028", "\x85"]).map(lambda sep: sep.join(lines)))


def check_parse(text: str) -> None:
    parsed = parse_accepted_domains(text)
    lines = text.splitlines()
    for domain in parsed.domains:
        assert normalize_domain(domain) == domain, domain
        assert domain.isascii() and domain == domain.lower()
    assert len(set(parsed.domains)) == len(parsed.domains)
    for number, line, _reason in parsed.problems:
        assert 1 <= number <= len(lines) and line == lines[number - 1].strip()


@FUZZ
@given(st.text(max_size=400))
def test_random_text_never_raises_and_domains_are_canonical(text):
    check_parse(text)


@FUZZ
@given(PASTE)
def test_pasted_lists_and_tables_never_raise_and_domains_are_canonical(text):
    check_parse(text)


def test_the_generators_reach_real_domains():
    """The structured strategy's building blocks do make domains the parser accepts."""
    assert parse_accepted_domains("contoso.com\nxn--bcher-kva.de\nÄÖ.se").domains == [
        "contoso.com", "xn--bcher-kva.de", "xn--4ca0b.se"]


def test_a_doubled_trailing_dot_is_refused_or_removed():
    """Found by the fuzzer: 'contoso.com..' was kept as 'contoso.com.'."""
    parsed = parse_accepted_domains("contoso.com..\na..")
    assert all(not domain.endswith(".") for domain in parsed.domains), parsed.domains
