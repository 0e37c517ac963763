"""POST /api/v1/plan: the remediation plan from answers given as JSON."""
from __future__ import annotations

from flask import jsonify
from flask_babel import get_locale, gettext as _

from app.certs.domains import DomainError, normalize_domain
from app.remediation.answers import CONNECTOR_KINDS, EGRESS, SCENARIOS, SERVER_KINDS, PlanAnswers
from app.remediation.plan import build_plan
from app.remediation.render import plan_to_dict
from app.remediation.sources_sv import plan_in_language

from . import bp
from .inputs import ApiInputError, checked_report, domain_list, json_body


def _object(body: dict, key: str) -> dict:
    value = body.get(key) or {}
    if not isinstance(value, dict):
        raise ApiInputError("invalid_answers", _("%(key)s must be an object.", key=key))
    return value


def _text(value, key: str, limit: int = 253) -> str:
    if value is None:
        return ""
    if not isinstance(value, str) or len(value) > limit:
        raise ApiInputError("invalid_answers", _("%(key)s must be text of at most %(limit)s characters.",
                                                 key=key, limit=limit))
    return value.strip()


def _choice(value, allowed: tuple[str, ...], key: str) -> str:
    if value not in allowed:
        raise ApiInputError("invalid_answers", _("%(key)s must be one of: %(allowed)s.",
                                                 key=key, allowed=", ".join(allowed)))
    return value


def answers_from_json(body: dict) -> PlanAnswers:
    connector, server = _object(body, "existing_connector"), _object(body, "server")
    scenarios = body.get("scenarios") or []
    if not isinstance(scenarios, list):
        raise ApiInputError("invalid_answers", _("scenarios must be a list."))
    override = _text(body.get("connector_domain"), "connector_domain") or None
    if override:
        try:
            normalize_domain(override.removeprefix("*."))
        except DomainError:
            raise ApiInputError("invalid_domain", _("connector_domain must be a domain like contoso.com "
                                                    "or *.contoso.com.")) from None
    return PlanAnswers(
        accepted_domains=domain_list(body.get("accepted_domains", [])),
        server_kind=_choice(server.get("kind"), SERVER_KINDS, "server.kind"),
        server_fqdn=_text(server.get("fqdn"), "server.fqdn"),
        mx_endpoint=_text(body.get("mx_endpoint"), "mx_endpoint"),
        hybrid_wizard=server.get("hybrid_wizard") is True,
        egress=_choice(server.get("egress", "mailbox"), EGRESS, "server.egress"),
        existing_connector_kind=_choice(connector.get("kind", "none"), CONNECTOR_KINDS, "existing_connector.kind"),
        existing_connector_name=_text(connector.get("name"), "existing_connector.name", 64),
        scenarios=[_choice(s, SCENARIOS, "scenarios") for s in scenarios],
        connector_domain=override.lower() if override else None,
        organization=_text(body.get("organization"), "organization", 200),
    )


@bp.post("/plan")
def plan():
    try:
        body = json_body()
        answers = answers_from_json(body)
        pem = body.get("certificate_pem")
        if pem is not None and not isinstance(pem, str):
            raise ApiInputError("no_certificate", _("Put the certificate in certificate_pem as PEM text."))
        report = checked_report(pem.encode(), answers.accepted_domains) if pem else None
    except ApiInputError as error:
        return error.response()
    return jsonify(plan_to_dict(plan_in_language(build_plan(answers, report, _=_), str(get_locale()))))
