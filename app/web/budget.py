"""A wall-clock budget per request for every reader of pasted or uploaded text.

The readers run in time linear in their input and their inputs are capped where they
enter (tests/hostile/test_redos.py checks every regular expression in app/); the budget
is the backstop should any input still cost more: the request ends with a 503 that says
which reader gave up, instead of holding a gunicorn worker until it is killed.

SIGALRM reaches only the main thread, where gunicorn's sync workers run requests;
elsewhere (a development server's threads) the block runs unguarded. Budgets nest: an
inner one (the certificate analysis inside the renewal comparison) never outlives the
outer one, and the outer one's clock goes on when the inner one ends.
"""
from __future__ import annotations

import math
import os
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

AUDIT, HEADERS, DECODER, RENEWAL, CERTIFICATE = "audit", "headers", "decoder", "renewal", "certificate"


def _seconds(name: str, default: float) -> float:
    return float(os.environ.get(name, default))


# Seconds of wall-clock time one request's reading may take. The largest pastes the readers accept
# (400 KB of Get-* output, 200 KB of headers, 20 KB of NDR text) take well under a second.
LIMITS = {
    AUDIT: _seconds("AUDIT_TIME_LIMIT", 5),
    HEADERS: _seconds("READER_TIME_LIMIT", 3),
    DECODER: _seconds("READER_TIME_LIMIT", 3),
    RENEWAL: _seconds("RENEWAL_TIME_LIMIT", 6),
}  # the certificate analysis's is app.web.analysis.TIME_LIMIT


class TooSlow(Exception):
    """A reader ran past its budget and was stopped."""

    def __init__(self, reader: str, seconds: float):
        super().__init__(f"the {reader} reader took longer than {seconds} s")
        self.reader, self.seconds = reader, seconds


# [deadline, reader, seconds] of the budgets now running, outermost first; a budget that has
# raised its error gets an infinite deadline, so that it is not raised again on the way out.
_open: list[list] = []


def _arm() -> None:
    """Set the timer for the earliest deadline of the open budgets (or clear it)."""
    deadline = min((entry[0] for entry in _open), default=math.inf)
    if deadline == math.inf:
        signal.setitimer(signal.ITIMER_REAL, 0)
    else:
        signal.setitimer(signal.ITIMER_REAL, max(deadline - time.monotonic(), 1e-4))


def _expire(_signum, _frame):
    now = time.monotonic()
    expired = [entry for entry in _open if entry[0] <= now + 1e-3]
    if not expired:  # a timer left from a budget that has ended
        _arm()
        return
    entry = expired[0]
    entry[0] = math.inf
    raise make_error(entry[1], entry[2])


class AnalysisTimeout(TooSlow):
    """The certificate analysis ran past its budget (app.web.analysis.TIME_LIMIT)."""


def make_error(reader: str, seconds: float) -> TooSlow:
    return (AnalysisTimeout if reader == CERTIFICATE else TooSlow)(reader, seconds)


@contextmanager
def budget(reader: str, seconds: float | None = None) -> Iterator[None]:
    """Raise TooSlow (AnalysisTimeout for the certificate) in the block once its seconds have passed."""
    seconds = LIMITS[reader] if seconds is None else seconds
    if seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return
    outermost = not _open
    previous = signal.signal(signal.SIGALRM, _expire) if outermost else None
    entry = [time.monotonic() + seconds, reader, seconds]
    _open.append(entry)
    try:
        _arm()
        yield
    finally:
        _open.remove(entry)
        _arm()
        if outermost:
            signal.signal(signal.SIGALRM, previous)
