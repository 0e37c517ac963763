"""Hand-off to the ticket system: the case page's "Copy for the ticket" text, and the webhook's
event when a case's verdict or status changes.

The event is noticed where every change of a case passes: the session's flush (app/staff/facts.py sets
the verdict and status there), so no view has to remember it; `flask refresh-cases`, which writes with a
Core UPDATE, reports the verdicts the clock moved through the same remember_change. It is sent after the
commit, from one background thread per process, so the customer's save never waits for the receiver;
each POST has the expiry webhook's timeout and signature (app/staff/expiry.py). Delivery is best effort:
a receiver that is down misses the event (it is logged), unlike the expiry notices, which are retried by
the next `flask refresh-cases`.
"""
from __future__ import annotations

import os
import queue
import threading

from flask import current_app, has_app_context
from flask_babel import gettext as _
from sqlalchemy import event
from sqlalchemy.orm import Session

from app.extensions import db
from app.remediation.rules import IN_PROGRESS
from app.reports.outline import plan_outline, step_anchor
from app.reports.plan import case_plan, verdict_reasons
from app.store import Case, utcnow
from app.web.analysis import StoredCertificateUnreadable, case_domains
from app.web.links import absolute_url

from . import bp
from .expiry import post_json
from .forms import RESOLVED_CHOICES, VERDICT_CHOICES

PENDING = "case_changes"   # session.info: changes flushed in this transaction, sent once it commits
QUEUE_SIZE = 1000          # events waiting for the receiver; beyond it they are dropped (and logged)
WATCHED = ("verdict", "status")


# ---- "Copy for the ticket" ------------------------------------------------------------------------------

def _label(choices, value: str) -> str:
    return next((str(choice.label) for choice in choices if choice.value == value), value)


def _plan_lines(case: Case) -> list[str]:
    """What blocks the case, or what it needs checked, and the step to do next."""
    if case.verdict == IN_PROGRESS:
        return [_("Next step: %(step)s", step=_("the customer answers the wizard's remaining questions"))]
    try:
        reasons = verdict_reasons(case)
        plan, report = case_plan(case)
    except StoredCertificateUnreadable:
        return [_("The certificate saved with this case can no longer be read: ask the customer for it again.")]
    outline = plan_outline(plan, report is not None)
    first = next((item.title for item in plan.checklist if step_anchor(item) == outline.first_step), "")
    lines = []
    if reasons and case.verdict != "ready":
        label = _("Blocked by") if outline.blockers else _("To check")
        lines.append(f"{label}: " + "; ".join(reasons))
    if first:
        lines.append(_("Next step: %(step)s", step=first))
    return lines


@bp.app_template_global()
def ticket_summary(case: Case, customer_link: str | None = None) -> str:
    """The case in a few plain lines, in the agent's language, to paste into any ticket system.
    Its link is the staff case page; the customer's secret link only when the agent has just asked
    the page to show it (``customer_link``: that showing is in the audit log)."""
    lines = [
        _("Case %(reference)s: %(organization)s", reference=case.reference, organization=case.organization),
        _("Accepted domains: %(domains)s", domains=", ".join(case_domains(case)) or "-"),
        _("Verdict: %(verdict)s", verdict=_label(VERDICT_CHOICES, case.verdict)),
        *_plan_lines(case),
        _("Status: %(status)s", status=_label(RESOLVED_CHOICES, case.status)),
        _("Case page (help desk): %(url)s", url=absolute_url("staff.case", reference=case.reference)),
    ]
    if customer_link:
        lines.append(_("The customer's secret link: %(url)s", url=customer_link))
    return "\n".join(lines)


# ---- The webhook's case events --------------------------------------------------------------------------

@event.listens_for(Session, "after_flush")
def _note_changes(session: Session, _context) -> None:
    """Remember each saved case whose verdict or status moved (a case's first save is no change)."""
    for case in session.dirty:
        if not isinstance(case, Case):
            continue
        before = {}
        for name in WATCHED:
            history = db.inspect(case).attrs[name].history
            if history.deleted and history.added and history.deleted[0] != history.added[0]:
                before[name] = history.deleted[0]
        remember_change(session, case, before, {"verdict": case.verdict, "status": case.status})


def remember_change(session: Session, case: Case, before: dict, after: dict) -> None:
    """Note a case whose verdict or status moved from ``before`` (the old values of those that moved) to
    ``after``, for the event sent once the transaction commits. Several changes in one transaction: the
    first one's old values, the last one's new. Also called by `flask refresh-cases`, whose Core UPDATE
    passes no flush."""
    if not before:
        return
    change = session.info.setdefault(PENDING, {}).setdefault(case.id, {"before": {}})
    for name, old in before.items():
        change["before"].setdefault(name, old)
    change.update(reference=case.reference, organization=case.organization, **after)


@event.listens_for(Session, "after_rollback")
def _forget_changes(session: Session) -> None:
    session.info.pop(PENDING, None)


@event.listens_for(Session, "after_commit")
def _send_changes(session: Session) -> None:
    pending = session.info.pop(PENDING, None)
    if not pending or not has_app_context() or not current_app.config.get("EXPIRY_WEBHOOK_URL"):
        return
    for change in pending.values():
        payload = change_event(change)
        if payload is not None:
            _sender.put(current_app.config["EXPIRY_WEBHOOK_URL"], current_app.config.get("EXPIRY_WEBHOOK_SECRET"),
                        payload, current_app.logger)


def change_event(change: dict) -> dict | None:
    """The webhook's JSON for one case's change, or None when it came back to where it was."""
    before = change["before"]
    previous_verdict, previous_status = before.get("verdict", change["verdict"]), before.get("status", change["status"])
    if (previous_verdict, previous_status) == (change["verdict"], change["status"]):
        return None
    kind = "case_verdict_changed" if previous_verdict != change["verdict"] else "case_status_changed"
    return {"event": kind, "reference": change["reference"], "organization": change["organization"],
            "verdict": change["verdict"], "previous_verdict": previous_verdict,
            "status": change["status"], "previous_status": previous_status,
            "changed_at": utcnow().isoformat(timespec="seconds") + "Z",
            "case_url": absolute_url("staff.case", reference=change["reference"])}


class Sender:
    """One daemon thread per process posting queued events in order (made anew after a fork)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.queue: queue.Queue = queue.Queue(maxsize=QUEUE_SIZE)
        self.pid = None

    def put(self, url: str, secret: str | None, payload: dict, logger) -> None:
        with self.lock:
            if self.pid != os.getpid():  # a gunicorn worker forked from a parent that had started one
                self.queue, self.pid = queue.Queue(maxsize=QUEUE_SIZE), os.getpid()
                threading.Thread(target=self._work, args=(self.queue,), daemon=True, name="case-webhook").start()
        try:
            self.queue.put_nowait((url, secret, payload, logger))
        except queue.Full:
            logger.warning("Case webhook: %s of case %s dropped, %d events already wait",
                           payload["event"], payload["reference"], QUEUE_SIZE)

    @staticmethod
    def _work(waiting: queue.Queue) -> None:
        while True:
            url, secret, payload, logger = waiting.get()
            try:
                post_json(url, payload, secret)
            except OSError as error:  # urllib's errors, timeouts and non-2xx answers included
                logger.warning("Case webhook: %s of case %s not delivered: %s",
                               payload["event"], payload["reference"], error)


_sender = Sender()
