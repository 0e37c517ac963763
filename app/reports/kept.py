"""What the plan's faces keep between requests: the plan of a case version, and the result page made of it.

Each app keeps its own (``app.extensions``: a test's app never sees another's pages), a bounded number
for a few minutes at most, and never past the moment the clock would change what they say: the end of
the day they were made for ("Made on"), the next time a certificate's "days left" drops by one (at
whatever hour of the day its validity ends), its expiry, or the start of a validity not yet reached.
The keys hold everything else a kept thing depends on (app/reports/views.py, app/reports/plan.py).
"""
from __future__ import annotations

from datetime import datetime, time, timedelta
from threading import Lock
from typing import Any

from cachetools import TTLCache
from flask import Flask, current_app

from app.certs.model import CertificateReport

SIZE, SECONDS = 64, 300  # per worker: entries (a page is about 60 KB) and the longest any is kept


class Kept:
    """Things made for a key, each good until a moment of the clock (naive UTC, as app.store.utcnow)."""

    def __init__(self, size: int = SIZE, seconds: float = SECONDS) -> None:
        self._entries: TTLCache = TTLCache(maxsize=size, ttl=seconds)
        self._lock = Lock()

    def get(self, key: tuple, now: datetime) -> Any | None:
        with self._lock:
            entry = self._entries.get(key)
        if entry is None or now >= entry[1]:
            return None
        return entry[0]

    def put(self, key: tuple, value: Any, good_until: datetime) -> None:
        with self._lock:
            self._entries[key] = (value, good_until)


def init_kept(app: Flask) -> None:
    app.extensions["reports.kept"] = {"plans": Kept(), "pages": Kept()}


def kept(name: str) -> Kept:
    """This app's store of "plans" or "pages"."""
    return current_app.extensions["reports.kept"][name]


def good_until(report: CertificateReport | None, now: datetime) -> datetime:
    """Until when a plan (and a page showing it) made at ``now`` reads the same: the day's end, or sooner
    when a certificate's days left, its expiry or the start of its validity come first."""
    moments = [datetime.combine(now.date() + timedelta(days=1), time())]
    for facts in report.chain if report else ():
        not_after = facts.not_after.replace(tzinfo=None)
        # days_remaining is (not_after - then).days: it drops by one when not_after - now falls below
        # that many whole days (at 0, the expiry).
        moments.append(not_after - timedelta(days=facts.days_remaining))
        not_before = facts.not_before.replace(tzinfo=None)
        if not_before > now:
            moments.append(not_before)
    return min(moments)
