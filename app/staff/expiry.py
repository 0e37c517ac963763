"""Expiry watch: certificates of live cases nearing their expiry, from the stored expiry column.

One query serves the staff page, `flask expiry-report`, the calendar feeds and the
webhook. The webhook (EXPIRY_WEBHOOK_URL) posts JSON once per case, certificate and
threshold crossed; what was sent is remembered in expiry_notices.
"""
from __future__ import annotations

import hashlib
import hmac
import time
import json
import urllib.request
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from urllib.parse import urlsplit

from sqlalchemy import Select, select

from app.extensions import db
from app.translate import plain
from app.store import Case, utcnow
from app.certs.facts import certificate_facts
from app.certs.matching import public_names
from app.remediation.certificate_request import certificate_name_behind, replacement_names, request_blocks
from app.web.analysis import StoredCertificateUnreadable, case_domains, stored_certificates
from app.web.links import absolute_url
from app.web.metrics import WEBHOOKS
from app.wizard.session import retention_cutoff

from .models import ExpiryNotice, user_emails

WINDOWS = (30, 60, 90)          # the page's choices, in days
THRESHOLDS = (90, 60, 30, 0)    # the webhook announces each of these once; 0: expired
EXPIRED_GRACE = timedelta(days=7)  # an expiry missed by a cron outage is still announced this long
WEBHOOK_TIMEOUT = 10
RENEWAL_DOMAINS = 20  # accepted domains carried in a renewal link (nginx refuses request lines over 8 KiB)


@dataclass(frozen=True)
class Expiring:
    case: Case
    expires_at: datetime
    days_left: int
    common_name: str
    domains: list[str]
    owner: str | None
    renewal: dict          # what the case knows for the renewal check's form (tools.renewal's query values)

    def as_dict(self) -> dict:
        return {"reference": self.case.reference, "organization": self.case.organization,
                "certificate": self.common_name, "expires_at": self.expires_at.isoformat() + "Z",
                "days_left": self.days_left, "accepted_domains": self.domains, "owner": self.owner or "",
                "verdict": self.case.verdict, "case_url": absolute_url("staff.case", reference=self.case.reference),
                "renewal_url": absolute_url("tools.renewal", **self.renewal),
                "replacement_request": replacement_request(self.case, self.renewal)}


def replacement_request(case: Case, renewal: dict) -> dict | None:
    """Issue 25: the request for the replacement, with the current certificate's names (None without one)."""
    try:
        upload = stored_certificates(case)
    except StoredCertificateUnreadable:
        return None
    if upload is None:
        return None
    facts = certificate_facts(upload.certificates[0], datetime.now(timezone.utc))
    names = replacement_names(facts, certificate_name_behind(renewal.get("connector_domain"), public_names(facts)))
    if not names:
        return None
    kind = renewal.get("server_kind") or "other"
    return {"names": names, "server_kind": kind,
            "commands": [{"label": block.label, "language": block.language, "text": block.text}
                         for block in request_blocks(kind, names, plain)]}


def expiring_query(days: int, now: datetime | None = None, *, since: datetime | None = None) -> Select:
    """Live cases whose certificate expires between ``since`` (default: now) and ``days`` from now."""
    now = now or utcnow()
    return select(Case).where(Case.updated_at >= retention_cutoff(now),
                              Case.certificate_expires_at >= (since or now),
                              Case.certificate_expires_at <= now + timedelta(days=days))


def renewal_values(case: Case) -> dict:
    """The renewal check's form as far as the case knows it: connector domain, accepted domains (the first
    RENEWAL_DOMAINS: a link stays short), server kind and the Hybrid wizard answer."""
    answers = case.answers
    values = {"connector_domain": (answers.get("connector-domain") or {}).get("connector_domain"),
              "accepted_domains": case_domains(case)[:RENEWAL_DOMAINS],
              "server_kind": (answers.get("server") or {}).get("kind"),
              "hybrid_wizard": (answers.get("exchange-setup") or {}).get("hybrid_wizard")}
    return {name: value for name, value in values.items() if value}


def describe(cases: list[Case], now: datetime | None = None) -> list[Expiring]:
    now = now or utcnow()
    owners = user_emails({c.owner_id for c in cases if c.owner_id})
    return [Expiring(case, case.certificate_expires_at, (case.certificate_expires_at - now).days,
                     (case.answers.get("certificate") or {}).get("common_name") or "", case_domains(case),
                     owners.get(case.owner_id), renewal_values(case)) for case in cases]


def report(days: int, now: datetime | None = None) -> list[Expiring]:
    """Everything expiring within ``days``, soonest first (the CLI's report: no paging)."""
    stmt = expiring_query(days, now).order_by(Case.certificate_expires_at, Case.id)
    return describe(list(db.session.scalars(stmt)), now)



def threshold_crossed(expires_at: datetime, now: datetime) -> int | None:
    """The tightest threshold a certificate has reached (0 once it expired), or None."""
    if expires_at <= now:
        return 0
    days_left = (expires_at - now).days
    reached = [threshold for threshold in THRESHOLDS if threshold and days_left <= threshold]
    return min(reached) if reached else None


def due_notices(now: datetime | None = None) -> list[tuple[Expiring, int]]:
    """(certificate, threshold) pairs not announced yet; at most one per certificate, the tightest."""
    now = now or utcnow()
    candidates = describe(list(db.session.scalars(
        expiring_query(max(THRESHOLDS), now, since=now - EXPIRED_GRACE).order_by(Case.certificate_expires_at))), now)
    sent = {(n.case_id, n.expires_at, n.threshold_days) for n in db.session.scalars(
        select(ExpiryNotice).where(ExpiryNotice.case_id.in_([c.case.id for c in candidates])))} if candidates else set()
    due = []
    for item in candidates:
        threshold = threshold_crossed(item.expires_at, now)
        if threshold is not None and (item.case.id, item.expires_at, threshold) not in sent:
            due.append((item, threshold))
    return due


def signature_headers(secret: str, body: bytes, now: float | None = None) -> dict[str, str]:
    """X-Wizard-Timestamp (Unix seconds) and X-Wizard-Signature over both: a receiver that refuses
    old timestamps (five minutes, say) cannot be sent a recorded notice again."""
    timestamp = str(int(time.time() if now is None else now))
    signed = timestamp.encode() + b"." + body
    return {"X-Wizard-Timestamp": timestamp,
            "X-Wizard-Signature": "sha256=" + hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()}


def post_json(url: str, payload: dict, secret: str | None) -> None:
    """POST ``payload``; raises OSError (urllib's errors included) unless the receiver answers 2xx."""
    if urlsplit(url).scheme not in ("http", "https"):
        raise OSError(f"EXPIRY_WEBHOOK_URL must be http(s), not {url!r}")
    body = json.dumps(payload).encode()
    request = urllib.request.Request(url, data=body, method="POST", headers={"Content-Type": "application/json"})
    if secret:  # lets the receiver check the sender and the moment: HMAC-SHA256 of "<timestamp>.<body>"
        for name, value in signature_headers(secret, body).items():
            request.add_header(name, value)
    # The scheme is checked above: no file:// or other handlers.
    with urllib.request.urlopen(request, timeout=WEBHOOK_TIMEOUT) as response:  # nosec B310
        if not 200 <= response.status < 300:
            raise OSError(f"the webhook answered {response.status}")


def notify(url: str, secret: str | None = None, now: datetime | None = None) -> int:
    """Announce every threshold newly crossed; returns how many were sent.

    A threshold is recorded only after the receiver accepted it, so a failed POST is
    retried on the next run; the first failure ends this run. Reaching a tighter
    threshold records the looser ones too: a certificate first seen at 20 days left
    gets one message (30 days), never a late one for 90 or 60.
    """
    now = now or utcnow()
    sent = 0
    for item, threshold in due_notices(now):
        try:
            post_json(url, {"event": "certificate_expiry", "threshold_days": threshold, **item.as_dict()}, secret)
        except OSError:
            WEBHOOKS.labels("failed").inc()
            raise
        WEBHOOKS.labels("sent").inc()
        for passed in (t for t in THRESHOLDS if t >= threshold):
            if db.session.get(ExpiryNotice, (item.case.id, item.expires_at, passed)) is None:
                db.session.add(ExpiryNotice(case_id=item.case.id, expires_at=item.expires_at,
                                            threshold_days=passed, sent_at=now))
        db.session.commit()
        sent += 1
    return sent
