"""What the app counts for its operators, and GET /metrics in Prometheus's text format (prometheus_client).

Under gunicorn every worker counts on its own: with PROMETHEUS_MULTIPROC_DIR set (gunicorn.conf.py sets
it to a fresh folder when the environment does not), each process writes its values to files there and
a scrape of any worker adds up all of them (prometheus_client's multiprocess mode); gunicorn's
child_exit hook marks a dead worker's files. Without the folder (development, tests) the process's own
registry is served.

Labels carry only bounded values: a route is the URL rule (``/cases/<reference>``), never the path, so no
case reference or link token reaches a label. /metrics answers 404 unless the client's address is in
METRICS_ALLOW or it sends ``Authorization: Bearer <METRICS_TOKEN>``. The address is the one the app
believes (app/web/proxy.py): nginx's client for a request nginx forwarded, else the peer. A request from
outside through nginx therefore counts as its outside address, not as nginx's loopback one.
"""
from __future__ import annotations

import functools
import hmac
import ipaddress
import os
import struct
import time
from collections.abc import Iterator
from contextlib import contextmanager

from flask import Blueprint, Flask, Response, abort, current_app, request
from prometheus_client import (CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, Counter, Histogram,
                               disable_created_metrics, generate_latest)
from prometheus_client.core import GaugeMetricFamily
from sqlalchemy import event, func, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from app.extensions import talisman

disable_created_metrics()  # the *_created series: a start time per label set, of no use to the alerts
REQUESTS = Counter("wizard_http_requests", "Requests answered, by URL rule and status.",
                   ["method", "route", "status"])
LATENCY = Histogram("wizard_http_request_duration_seconds", "Time from the request to the last byte of the answer.",
                    ["method", "route"])
RATE_LIMITED = Counter("wizard_rate_limited", "Requests refused by a rate limit (429), by URL rule.", ["route"])
CASES_CREATED = Counter("wizard_cases_created", "New cases saved.")
RENDERS = Histogram("wizard_render_duration_seconds", "Plans and reports rendered (html: the result page; pdf: any "
                    "PDF), with the time each took.", ["format"],
                    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 16, 32))
AUDITS = Counter("wizard_audits", "Configuration audits run (a new paste, or a stored one shown again).")
PROBES = Counter("wizard_probes", "Certificate probes of a mail server, by outcome (ok or the error's code).",
                 ["outcome"])
DATABASE_ERRORS = Counter("wizard_database_errors", "Errors the database driver raised (disconnect: the connection "
                          "was lost).", ["kind"])
WEBHOOKS = Counter("wizard_expiry_webhooks", "Expiry notices posted to EXPIRY_WEBHOOK_URL, by outcome (sent, failed).",
                   ["outcome"])
for _outcome in ("sent", "failed"):  # present at 0 from the start, so that increase() sees the first failure
    WEBHOOKS.labels(_outcome)
for _kind in ("disconnect", "other"):
    DATABASE_ERRORS.labels(_kind)
EXPIRING_WITHIN = (30, 60, 90)  # days, as the expiry watch's thresholds (app/staff/expiry.py)

bp = Blueprint("metrics", __name__)


@contextmanager
def rendering(kind: str) -> Iterator[None]:
    """Count a render of ``kind`` (html, pdf) and its duration, when it completes."""
    started = time.perf_counter()
    yield
    RENDERS.labels(kind).observe(time.perf_counter() - started)


_request_series: dict[tuple[str, str, int], tuple] = {}  # (method, route, status): its counter and histogram
MAX_REQUEST_SERIES = 1024


def record_request(method: str, route: str, status: int, seconds: float) -> None:
    """Count an answer and its time. The labelled series of each (method, route, status) are looked up once
    (labels() builds and checks the label values under a lock: a third of what counting cost per request)."""
    series = _request_series.get((method, route, status))
    if series is None:
        if len(_request_series) >= MAX_REQUEST_SERIES:  # methods are whatever clients send: stay bounded
            _request_series.clear()
        series = _request_series[method, route, status] = (REQUESTS.labels(method, route, str(status)),
                                                            LATENCY.labels(method, route))
    series[0].inc()
    series[1].observe(seconds)
    if status == 429:
        RATE_LIMITED.labels(route).inc()


@functools.lru_cache(maxsize=8)
def allowed_networks(setting: str) -> tuple:
    return tuple(ipaddress.ip_network(entry.strip(), strict=False) for entry in setting.split(",") if entry.strip())


def address_allowed(address: str | None, setting: str) -> bool:
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return False
    return any(ip in network for network in allowed_networks(setting))


def token_given(expected: str | None) -> bool:
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    return bool(expected) and scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(),
                                                                                 expected.encode())


class FromTheDatabase:
    """Read at each scrape: whether the database takes a write (the check /healthz makes), and the live cases
    whose certificate expires within each of EXPIRING_WITHIN days, or has expired (the expiry watch,
    `flask refresh-cases`, keeps each case's stored expiry current)."""

    def collect(self):
        from app.main import database_writes

        try:
            healthy = database_writes()
        except SQLAlchemyError:
            healthy = False
        yield GaugeMetricFamily("wizard_health_ok", "1 when the database takes a write (as /healthz checks), else 0.",
                                value=int(healthy))
        if healthy:
            yield from self.certificates()

    @staticmethod
    def certificates():
        from app.extensions import db
        from app.staff.expiry import expiring_query
        from app.wizard.session import retention_cutoff
        from app.store import Case, utcnow

        now = utcnow()
        expiring = GaugeMetricFamily("wizard_certificates_expiring", "Live cases whose certificate expires within "
                                     "the days given (not yet expired).", labels=["within_days"])
        for days in EXPIRING_WITHIN:
            count = db.session.scalar(select(func.count()).select_from(expiring_query(days, now).subquery()))
            expiring.add_metric([str(days)], count)
        yield expiring
        expired = db.session.scalar(select(func.count()).select_from(Case).where(
            Case.updated_at >= retention_cutoff(now), Case.certificate_expires_at < now))
        yield GaugeMetricFamily("wizard_certificates_expired", "Live cases whose certificate has expired.",
                                value=expired)


def exposition() -> bytes:
    folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if folder:
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry, folder)
    else:
        registry = REGISTRY
    from_database = CollectorRegistry()
    from_database.register(FromTheDatabase())
    for attempt in range(3):
        try:
            return generate_latest(registry) + generate_latest(from_database)
        except struct.error:  # a worker's file read while that worker creates it (its first seconds)
            if attempt == 2:
                raise
            time.sleep(0.05)


@bp.get("/metrics")
@talisman(force_https=False)  # Prometheus scrapes gunicorn over plain HTTP on loopback
def metrics():
    config = current_app.config
    if not (address_allowed(request.remote_addr, config["METRICS_ALLOW"]) or token_given(config["METRICS_TOKEN"])):
        abort(404)
    return Response(exposition(), content_type=CONTENT_TYPE_LATEST)


def count_new_cases(session: Session, *_flush) -> None:
    from app.store import Case

    session.info["new_cases"] = session.info.get("new_cases", 0) + sum(isinstance(o, Case) for o in session.new)


def count_committed_cases(session: Session) -> None:
    created = session.info.pop("new_cases", 0)
    if created:
        CASES_CREATED.inc(created)


def forget_new_cases(session: Session, *_args) -> None:
    session.info.pop("new_cases", None)


def count_database_error(context) -> None:
    DATABASE_ERRORS.labels("disconnect" if context.is_disconnect else "other").inc()


def register(app: Flask) -> None:
    """GET /metrics, and the database's counters (once per process: the listeners are on the classes)."""
    app.register_blueprint(bp)
    if not event.contains(Session, "before_flush", count_new_cases):
        event.listen(Session, "before_flush", count_new_cases)
        event.listen(Session, "after_commit", count_committed_cases)
        event.listen(Session, "after_rollback", forget_new_cases)
        event.listen(Engine, "handle_error", count_database_error)
