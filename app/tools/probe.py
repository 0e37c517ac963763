"""/probe: connect to a mail server, read the certificate chain it presents, run the usual analysis."""
from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager

from flask import current_app, render_template
from flask_babel import gettext as _

from app.certs.domains import parse_accepted_domains
from app.extensions import limiter
from app.probe import PORTS, ProbeError, probe
from app.web.analysis import trust_store
from app.web.metrics import PROBES
from app.certs.analysis import analyze
from app.wizard.forms.domains import bad_lines_message

from . import bp
from .forms import ProbeForm

PROBE_LIMIT = "10 per minute"
BUSY = "busy"
RETRY_AFTER = 15  # seconds: a probe takes at most 10


def probe_error_message(error: ProbeError) -> str:
    messages = {
        "invalid_host": _("Enter a host name, like mail.contoso.com"),
        "invalid_port": _("Enter port 25, 587 or 465: we connect only to the ports mail servers receive on."),
        # One message for every refusal, naming no address: where a name leads inside a network stays unsaid.
        "refused_address": _("We connect only to mail servers at public addresses, and that name does not lead to "
                             "one."),
        "unresolvable": _("We could not find that host name in DNS. Check the spelling."),
        "timeout": _("The server did not answer in time. Check the name, the port and the firewall."),
        "connection_failed": _("We could not connect to the server on that port."),
        "no_starttls": _("The server does not offer STARTTLS, so it presents no certificate on this port."),
        "smtp_error": _("The server answered with an error: %(detail)s", detail=error.detail),
        "tls_failed": _("The TLS handshake failed: %(detail)s", detail=error.detail),
        BUSY: _("Another server check is running. Try again in a minute."),
    }
    return messages.get(error.code, messages["connection_failed"])


@contextmanager
def probe_slot() -> Iterator[None]:
    """One of PROBE_CONCURRENCY slots shared by every worker on this machine (a lock file each), or
    ProbeError(BUSY) at once when all are taken: a probe waits on the network for up to 10 s, and the
    other workers must stay free for everyone else's pages."""
    folder = os.path.join(current_app.instance_path, "probe-slots")
    os.makedirs(folder, exist_ok=True)
    for number in range(current_app.config.get("PROBE_CONCURRENCY", 1)):
        handle = os.open(os.path.join(folder, f"slot-{number}.lock"), os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(handle)
            continue
        try:
            yield
            return
        finally:
            os.close(handle)  # closing the file releases the lock, also if the worker dies
    raise ProbeError(BUSY)


def probe_and_analyze(host: str, port: int, domains: list[str]):
    """(probe result, certificate report); ProbeError when the server could not be read."""
    config = current_app.config
    ports = config.get("PROBE_PORTS", PORTS)  # tests only: the ports their loopback servers listen on
    if port not in ports:
        raise ProbeError("invalid_port", str(port))
    try:
        with probe_slot():
            result = probe(host, port, allow_private=config.get("PROBE_ALLOW_PRIVATE", False),
                           ehlo_name=config.get("PROBE_EHLO_NAME", "localhost"), ports=tuple(ports))
    except ProbeError as error:
        PROBES.labels(error.code).inc()
        raise
    PROBES.labels("ok").inc()
    return result, analyze(result.chain, domains, trust_store=trust_store(), _=_)


@bp.route("/probe", methods=["GET", "POST"])
@limiter.limit(PROBE_LIMIT, methods=["POST"])
def probe_page():
    form = ProbeForm()
    result = report = None
    status = 200
    if form.validate_on_submit():
        parsed = parse_accepted_domains(form.accepted_domains.data or "")
        problem = bad_lines_message(parsed)
        if problem:
            form.accepted_domains.errors.append(problem)
        else:
            try:
                result, report = probe_and_analyze(form.host.data, form.port.data or 25, parsed.domains)
            except ProbeError as error:
                field = form.port if error.code == "invalid_port" else form.host
                field.errors.append(probe_error_message(error))
                status = 503 if error.code == BUSY else 200
    headers = {"Retry-After": str(RETRY_AFTER)} if status == 503 else {}
    return render_template("audit/probe.html", form=form, result=result, report=report), status, headers
