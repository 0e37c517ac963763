"""Calendar feeds (.ics) of certificate expiries, so reminders land in Outlook.

An agent's feed lists the certificates of the cases they own; a case's feed, that
case's certificate. Calendar programs subscribe without signing in, so the address
itself is the key: 192 random bits, of which only the SHA-256 is stored. Making a
new address replaces the old one; an address can also be stopped, and an agent's
stops when their password or role changes (`flask set-password`, `flask set-role`).
"""
from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta, timezone

from flask import Blueprint, Response, abort, session, url_for
from flask_babel import gettext as _
from icalendar import Alarm, Calendar, Event
from sqlalchemy import delete, select

from app.extensions import db, limiter
from app.store import Case, utcnow
from app.web.links import absolute_url

from .expiry import Expiring, describe, expiring_query, replacement_request
from .models import CalendarFeed, User

feeds = Blueprint("calendar", __name__, url_prefix="/calendar")

FEED_DAYS = 400           # a certificate's whole usual life ahead
FEED_PAST = timedelta(days=30)  # keep a just-expired certificate visible a while
FEED_LIMIT = 500
REMINDERS = (30, 7)       # days before the expiry
CALENDAR_LINK = "staff_calendar_link"  # session: (what, address), shown once after the POST that made it


def shown_calendar_link(what: str) -> str | None:
    """The new calendar address for ``what`` ("mine" or a case reference), once."""
    link = session.get(CALENDAR_LINK)
    if link and link[0] == what:
        session.pop(CALENDAR_LINK)
        return link[1]
    return None


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def stop_feeds(*, user: User | None = None, case: Case | None = None) -> int:
    """Stop ``user``'s or ``case``'s calendar address: it answers 404 from now on. The caller commits."""
    owner_id = user.id if user is not None else case.id if case is not None else None
    if owner_id is None:
        raise ValueError("whose calendar address?")
    owner = CalendarFeed.user_id == owner_id if user is not None else CalendarFeed.case_id == owner_id
    return db.session.execute(delete(CalendarFeed).where(owner)).rowcount


def feed_exists(*, user: User | None = None, case: Case | None = None) -> bool:
    owner = CalendarFeed.user_id == user.id if user is not None else CalendarFeed.case_id == case.id
    return db.session.scalar(select(CalendarFeed.id).where(owner).limit(1)) is not None


def new_feed(*, user: User | None = None, case: Case | None = None) -> str:
    """A new secret address for ``user``'s or ``case``'s feed (the old one stops working); the caller commits."""
    stop_feeds(user=user, case=case)
    token = secrets.token_urlsafe(24)
    db.session.add(CalendarFeed(token_hash=_digest(token), user_id=user.id if user else None,
                                case_id=case.id if case else None))
    return url_for("calendar.feed", token=token, _external=True)


def feed_entries(feed: CalendarFeed, now: datetime) -> list[Expiring]:
    stmt = expiring_query(FEED_DAYS, now, since=now - FEED_PAST)
    stmt = stmt.where(Case.owner_id == feed.user_id) if feed.user_id else stmt.where(Case.id == feed.case_id)
    return describe(list(db.session.scalars(stmt.order_by(Case.certificate_expires_at, Case.id).limit(FEED_LIMIT))),
                    now)


def calendar_bytes(entries: list[Expiring], name: str, now: datetime) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//KB 3169958 connector certificate wizard//Expiry watch//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    for entry in entries:
        summary = _("Certificate %(name)s expires (%(organization)s, %(reference)s)",
                    name=entry.common_name or "-", organization=entry.case.organization, reference=entry.case.reference)
        case_url = absolute_url("staff.case", reference=entry.case.reference)
        event = Event()
        event.add("uid", f"{entry.case.reference}-{entry.expires_at:%Y%m%dT%H%M%S}@kb3169958-wizard")
        event.add("dtstamp", now.replace(tzinfo=timezone.utc))
        event.add("dtstart", entry.expires_at.date())
        event.add("dtend", entry.expires_at.date() + timedelta(days=1))
        event.add("summary", summary)
        description = _("Expires %(moment)s UTC. Case: %(case)s Renewal check: %(renewal)s",
                        moment=entry.expires_at.strftime("%Y-%m-%d %H:%M"), case=case_url,
                        renewal=absolute_url("tools.renewal", **entry.renewal))
        request = replacement_request(entry.case, entry.renewal)
        if request:  # issue 25: the reminder carries the request for the replacement, with today's names
            description += "\n\n" + _("Request the replacement for %(names)s:", names=", ".join(request["names"]))
            description += "".join(f"\n\n{block['label']}\n{block['text']}" for block in request["commands"])
        event.add("description", description)
        event.add("url", case_url)
        for days in REMINDERS:
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", summary)
            alarm.add("trigger", timedelta(days=-days))
            event.add_component(alarm)
        calendar.add_component(event)
    return calendar.to_ical()


@feeds.get("/<token>.ics")
@limiter.limit("60 per minute")
def feed(token: str):
    found = db.session.scalar(select(CalendarFeed).where(CalendarFeed.token_hash == _digest(token)))
    if found is None:
        abort(404)
    now = utcnow()
    if found.user_id:
        name = _("Certificate expiries: cases of %(email)s", email=db.session.get(User, found.user_id).email)
    else:
        name = _("Certificate expiry: case %(reference)s", reference=db.session.get(Case, found.case_id).reference)
    body = calendar_bytes(feed_entries(found, now), name, now)
    return Response(body, mimetype="text/calendar", headers={"Content-Disposition": 'inline; filename="expiry.ics"'})
