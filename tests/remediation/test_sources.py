"""Rules as data with sources: a rule without a source, or with a source nobody defined, fails here."""
from __future__ import annotations

import re
from types import ModuleType, SimpleNamespace

import certifi
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes

from app.diagnose import RULES
from app.remediation import advice, devices
from app.remediation.advice import Advice
from app.remediation.rules import DIGICERT_GLOBAL_ROOT_G2, EXCHANGE_LIFECYCLE
from app.remediation.sources import SOURCES, cite
from tests.remediation.cases import CASES


def unsourced(rules) -> list[str]:
    """The rules (anything with ``id``/``code`` and ``sources``) without a known source."""
    return [getattr(r, "id", None) or getattr(r, "code") for r in rules
            if not r.sources or not set(r.sources) <= set(SOURCES)]


def advice_in(module: ModuleType) -> list[Advice]:
    return [value for value in vars(module).values() if isinstance(value, Advice)]


def test_every_rule_names_a_known_source():
    assert len(advice_in(advice)) >= 30
    assert unsourced(advice_in(advice)) == []
    assert unsourced(RULES) == []
    assert unsourced(devices.WAYS) == []
    assert [kind for kind, life in EXCHANGE_LIFECYCLE.items() if not set(life.sources) <= set(SOURCES)] == []


def test_the_check_catches_a_rule_without_a_source():
    broken = [Advice("no_source", "A claim.", ()), Advice("typo", "Another.", ("KB316995",)),
              SimpleNamespace(code="5.7.64", sources=())]
    assert unsourced(broken) == ["no_source", "typo", "5.7.64"]
    with pytest.raises(KeyError):
        cite("KB316995")


def test_sources_have_titles_and_https_addresses():
    for source in SOURCES.values():
        assert source.title and (source.url == "" or source.url.startswith("https://")), source
    assert all(re.fullmatch(r"KB\d{7}", i) for i in SOURCES if i.startswith("KB"))


def test_every_plan_warning_is_a_certificate_finding_or_a_sourced_plan_rule():
    for plan in CASES.values():
        finding_codes = {f.code for f in plan.findings}
        for warning in plan.warnings:
            assert warning.code in finding_codes or warning.code in advice.WARNINGS, warning.code
        assert plan.sources and all(item.sources for item in plan.checklist)


@pytest.mark.filterwarnings("ignore::cryptography.utils.CryptographyDeprecationWarning")
def test_the_digicert_root_thumbprint_is_the_real_one():
    """MC1224565 / the Exchange Team blog give DF3C24F9...; certifi holds the root itself."""
    roots = x509.load_pem_x509_certificates(open(certifi.where(), "rb").read())
    g2 = [c for c in roots if "DigiCert Global Root G2" in c.subject.rfc4514_string()]
    assert [c.fingerprint(hashes.SHA1()).hex().upper() for c in g2] == [DIGICERT_GLOBAL_ROOT_G2]

