"""/probe: connect to a mail server, read the certificate chain it presents, run the usual analysis."""
from __future__ import annotations

from flask import current_app, render_template
from flask_babel import gettext as _

from app.certs.domains import parse_accepted_domains
from app.extensions import limiter
from app.probe import ProbeError, probe
from app.web.analysis import trust_store
from app.certs.analysis import analyze
from app.wizard.forms.domains import bad_lines_message

from . import bp
from .forms import ProbeForm

PROBE_LIMIT = "10 per minute"


def probe_error_message(error: ProbeError) -> str:
    messages = {
        "invalid_host": _("Enter a host name, like mail.contoso.com"),
        "refused_address": _("That name leads to a private or reserved address (%(detail)s): we connect only to "
                             "public addresses.", detail=error.detail),
        "unresolvable": _("We could not find that host name in DNS. Check the spelling."),
        "timeout": _("The server did not answer in time. Check the name, the port and the firewall."),
        "connection_failed": _("We could not connect to the server on that port."),
        "no_starttls": _("The server does not offer STARTTLS, so it presents no certificate on this port."),
        "smtp_error": _("The server answered with an error: %(detail)s", detail=error.detail),
        "tls_failed": _("The TLS handshake failed: %(detail)s", detail=error.detail),
    }
    return messages.get(error.code, messages["connection_failed"])


def probe_and_analyze(host: str, port: int, domains: list[str]):
    """(probe result, certificate report); ProbeError when the server could not be read."""
    result = probe(host, port, allow_private=current_app.config.get("PROBE_ALLOW_PRIVATE", False))
    return result, analyze(result.chain, domains, trust_store=trust_store(), _=_)


@bp.route("/probe", methods=["GET", "POST"])
@limiter.limit(PROBE_LIMIT, methods=["POST"])
def probe_page():
    form = ProbeForm()
    result = report = None
    if form.validate_on_submit():
        parsed = parse_accepted_domains(form.accepted_domains.data or "")
        problem = bad_lines_message(parsed)
        if problem:
            form.accepted_domains.errors.append(problem)
        else:
            try:
                result, report = probe_and_analyze(form.host.data, form.port.data or 25, parsed.domains)
            except ProbeError as error:
                form.host.errors.append(probe_error_message(error))
    return render_template("audit/probe.html", form=form, result=result, report=report)
