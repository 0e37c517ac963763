"""The certificate check inside the audit: at the audit's own time, in the reader's language, and without
PEM blocks in the paste; the collection script's header for any server (issue 16)."""
from __future__ import annotations

import re
from datetime import date

from app.audit.collect import collection_script
from tests.audit.blocks import certificate_object
from tests.audit.conftest import NOW, codes
from tests.audit.test_rules import HEALTHY, H, paste
from tests.certfactory import DAY
from tests.swedish import swedish

LEAF_ONLY = paste(server={"certificates": certificate_object(H, chain=False)})


def test_the_certificate_is_judged_at_the_audits_time(audit):
    result = audit(HEALTHY, now=NOW - 60 * DAY)
    (finding,) = [f for f in result.findings if f.code == "certificate_finding"]
    assert finding.message.startswith("The certificate CN=mail.contoso.com is valid only from ")


def test_the_certificate_checks_words_reach_a_swedish_reader_translated(audit):
    english, translated = audit(LEAF_ONLY), audit(LEAF_ONLY, _=swedish)
    (before,), (after,) = ([f.message for f in r.findings if f.code == "certificate_finding"]
                           for r in (english, translated))
    assert after != before and "CN=Test Issuing CA" in after


def test_a_paste_without_pem_blocks_is_audited_by_its_listed_names(audit):
    without_pem = re.sub(r"-----BEGIN CERTIFICATE-----.*?-----END CERTIFICATE-----\r\n", "", HEALTHY, flags=re.S)
    assert "BEGIN CERTIFICATE" not in without_pem
    assert codes(audit(without_pem)) == []


def test_the_collection_script_for_an_unknown_server_is_the_2016_one_and_says_when_it_has_no_case():
    day = date(2026, 12, 1)
    assert collection_script("exchange-1999", today=day) == collection_script("exchange-2016", today=day)
    assert "# Written for Exchange Server 2016, ruleset " in collection_script("exchange-2016", today=day)  # no "Case: -."
