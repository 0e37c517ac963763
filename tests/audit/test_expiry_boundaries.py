"""The day a pasted certificate expires, at the second, and the 30 and 60 day marks (issue 16)."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from app.certs.model import INFO, WARNING
from tests.audit.blocks import certificate_object
from tests.audit.test_rules import H, paste
from tests.certfactory import make_leaf

END = datetime(2026, 12, 17, 8, 5, 9, tzinfo=timezone.utc)   # the 17th: one reading in any locale
LEAF = make_leaf(H.intermediate, "mail.contoso.com", sans=["mail.contoso.com", "contoso.com"],
                 not_before=END - timedelta(days=400), not_after=END)
TEXT = paste(server={"certificates": certificate_object(H, leaf=LEAF.cert)})
DAY, SECOND = timedelta(days=1), timedelta(seconds=1)


def expiry(audit, now):
    return [(f.code, f.severity, f.message) for f in audit(TEXT, now=now).findings
            if f.code.startswith("certificate_expire")]


@pytest.mark.parametrize("now", [END, END + SECOND, END + 400 * DAY])
def test_a_certificate_has_expired_from_the_second_it_ends(audit, now):
    assert [(code, severity) for code, severity, _ in expiry(audit, now)] == [("certificate_expired", "error")]


@pytest.mark.parametrize("left,days,severity", [
    (SECOND, 0, WARNING), (30 * DAY, 30, WARNING), (30 * DAY + 23 * timedelta(hours=1), 30, WARNING),
    (31 * DAY, 31, INFO), (60 * DAY, 60, INFO),
])
def test_expiry_is_a_warning_up_to_30_days_and_a_notice_up_to_60(audit, left, days, severity):
    ((code, found_severity, message),) = expiry(audit, END - left)
    assert (code, found_severity) == ("certificate_expires_soon", severity)
    assert f"2026-12-17, in {days} days" in message


def test_61_days_left_is_nothing_to_say(audit):
    assert expiry(audit, END - 61 * DAY) == []
