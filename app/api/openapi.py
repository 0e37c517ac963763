"""GET /api/v1/openapi.json: the API's contract, kept beside the code it describes."""
from __future__ import annotations

from app.certs.model import CANDIDATE_KINDS
from app.remediation.answers import CONNECTOR_KINDS, SCENARIOS, SERVER_KINDS

from . import bp

_STR = {"type": "string"}
_STRINGS = {"type": "array", "items": _STR}
_ERROR = {
    "type": "object", "required": ["error"],
    "properties": {"error": {"type": "object", "required": ["code", "message"], "properties": {
        "code": {"type": "string", "enum": [
            "no_certificate", "not_a_certificate", "password_required", "wrong_password", "private_key_only",
            "too_many_certificates", "too_many_names", "pfx_too_costly", "too_many_domains", "invalid_domain",
            "invalid_json", "invalid_answers", "invalid_text", "too_large", "no_intermediates"]},
        "message": _STR}}},
}
_FINDING = {"type": "object", "required": ["code", "severity", "message"], "properties": {
    "code": _STR, "severity": {"type": "string", "enum": ["error", "warning", "info"]}, "message": _STR}}
_REPORT = {
    "type": "object",
    "required": ["certificate", "chain", "exchange_tls_certificate_name", "recommended_connector_domain",
                 "candidates", "findings", "verdict"],
    "properties": {
        "certificate": {"type": "object", "properties": {
            "subject": _STR, "issuer": _STR, "common_name": {"type": ["string", "null"]}, "dns_names": _STRINGS,
            "not_before": {"type": "string", "format": "date-time"},
            "not_after": {"type": "string", "format": "date-time"}, "days_remaining": {"type": "integer"},
            "serial_number": _STR, "thumbprint_sha1": _STR, "fingerprint_sha256": _STR, "key_type": _STR,
            "key_size": {"type": ["integer", "null"]}, "signature_hash": {"type": ["string", "null"]},
            "extended_key_usages": _STRINGS, "self_signed": {"type": "boolean"}, "is_ca": {"type": "boolean"}}},
        "chain": {"type": "array", "items": {"type": "object", "properties": {
            "subject": _STR, "issuer": _STR, "thumbprint_sha1": _STR}}},
        "exchange_tls_certificate_name": _STR,
        "recommended_connector_domain": {"type": ["string", "null"]},
        "candidates": {"type": "array", "items": {"type": "object", "properties": {
            "connector_domain": _STR, "certificate_name": _STR, "accepted_domain": _STR,
            "kind": {"type": "string", "enum": list(CANDIDATE_KINDS), "description": (
                "How the value relates to the certificate. add_accepted_domain: it passes only after the "
                "tenant adds accepted_domain as an accepted domain (Microsoft's preferred way for a host "
                "name; the value that works now is the first of another kind).")}}}},
        "findings": {"type": "array", "items": _FINDING},
        "verdict": {"type": "string", "enum": ["ready", "needs_attention", "blocked"]},
    },
}
_ANSWERS = {
    "type": "object", "required": ["accepted_domains", "server"],
    "properties": {
        "accepted_domains": _STRINGS,
        "existing_connector": {"type": "object", "properties": {
            "kind": {"type": "string", "enum": list(CONNECTOR_KINDS)}, "name": _STR}},
        "server": {"type": "object", "required": ["kind"], "properties": {
            "kind": {"type": "string", "enum": list(SERVER_KINDS)}, "fqdn": _STR,
            "hybrid_wizard": {"type": "boolean"},
            "egress": {"type": "string", "enum": ["mailbox", "frontend", "edge", "unsure"],
                       "description": "Which Exchange server connects to Exchange Online (Exchange only)."}}},
        "mx_endpoint": _STR,
        "certificate_pem": _STR,
        "scenarios": {"type": "array", "items": {"type": "string", "enum": list(SCENARIOS)}},
        "connector_domain": {"type": ["string", "null"]},
        "organization": _STR,
    },
}
_PLAN = {
    "type": "object",
    "required": ["checklist", "exchange_online", "on_premises", "findings", "ruleset_version"],
    "properties": {
        "checklist": {"type": "array", "items": {"type": "object", "properties": {
            "id": _STR, "title": _STR, "status": {"type": "string", "enum": ["done", "todo", "blocked"]},
            "details": {**_STRINGS, "description": "Paragraphs, in order."},
            "steps": {**_STRINGS, "description": "Numbered steps after the paragraphs (the admin center's)."},
            "code": {"type": "array", "items": {"type": "object", "properties": {
                "label": _STR, "language": _STR, "text": _STR}}}}}},
        "exchange_online": {"type": "object", "properties": {
            "connector_name": _STR, "tls_sender_certificate_name": {"type": ["string", "null"]},
            "admin_center": {"type": "object"}, "powershell": _STR}},
        "on_premises": {"type": "object", "properties": {
            "kind": _STR, "powershell": _STR, "config": _STR}},
        "findings": {"type": "array", "items": _FINDING},
        "warnings": _STRINGS,
        "verdict": _STR,
        "ruleset_version": _STR,
    },
}


def _certificate_upload(*required: str) -> dict:
    return {
        "multipart/form-data": {"schema": {"type": "object", "properties": {
            "certificate": {"type": "string", "format": "binary"},
            "certificate_text": _STR, "password": _STR,
            "domains": {"type": "array", "items": _STR,
                        "description": "Repeated, or one field split on newlines, commas or spaces."}}}},
        "application/json": {"schema": {"type": "object", "required": list(required),
                                        "properties": {"certificate_pem": _STR, "domains": _STRINGS,
                                                       "password": _STR}}},
    }


_CHAIN_ZIP = {
    "type": "string", "format": "binary",
    "description": "intermediate-N.cer (DER, numbered as the plan's Import-Certificate commands), the same "
                   "certificates as intermediates.p7b, and relay-cert-chain.pem: the server's certificate "
                   "followed by its intermediates (PEM), as Postfix, Sendmail and Exim read it.",
}
_DIAGNOSIS = {
    "type": "object", "required": ["recognized", "matches", "next_steps", "ruleset_version"],
    "properties": {
        "recognized": {"type": "boolean"},
        "matches": {"type": "array", "items": {"type": "object", "required": [
            "code", "title", "raised_by", "meaning", "fix", "wizard_step"], "properties": {
            "code": _STR, "title": _STR,
            "raised_by": {"type": "string", "enum": ["on_premises", "exchange_online", "hop_in_text"]},
            "meaning": _STR, "fix": _STR, "wizard_step": _STR,
            "details": {**_STRINGS, "description": "What the text itself says: names, the failing hop."}}}},
        "next_steps": {**_STRINGS, "description": "What to collect when nothing was recognized."},
        "codes_found": {**_STRINGS, "description": "Status codes in the text that matched no rule."},
        "ruleset_version": _STR,
    },
}


def _errors(*statuses: int) -> dict:
    return {str(s): {"description": "Error", "content": {"application/json": {"schema": _ERROR}}} for s in statuses}


SPEC = {
    "openapi": "3.1.0",
    "info": {"title": "Connector certificate wizard API", "version": "1",
             "description": "Checks certificates for certificate-based connectors (KB 3169958) and builds "
                            "remediation plans. Stores nothing."},
    "paths": {
        "/api/v1/certificate-check": {"post": {
            "summary": "Check a certificate against the tenant's accepted domains",
            "requestBody": {"required": True, "content": _certificate_upload("certificate_pem", "domains")},
            "responses": {"200": {"description": "The certificate report",
                                  "content": {"application/json": {"schema": _REPORT}}}, **_errors(400, 413, 503)},
        }},
        "/api/v1/certificate-chain": {"post": {
            "summary": "The uploaded chain's intermediate certificates as files to install on the server",
            "description": "The same body as /api/v1/certificate-check; domains are optional. Answers 400 "
                           "no_intermediates when the upload holds none.",
            "requestBody": {"required": True, "content": _certificate_upload("certificate_pem")},
            "responses": {"200": {"description": "A .zip of the intermediate certificates",
                                  "content": {"application/zip": {"schema": _CHAIN_ZIP}}}, **_errors(400, 413)},
        }},
        "/api/v1/plan": {"post": {
            "summary": "Build the remediation plan from the wizard's answers",
            "requestBody": {"required": True, "content": {"application/json": {"schema": _ANSWERS}}},
            "responses": {"200": {"description": "The plan", "content": {"application/json": {"schema": _PLAN}}},
                          **_errors(400, 413)},
        }},
        "/api/v1/diagnose": {"post": {
            "summary": "Explain an error message (NDR or log text) and point to the wizard step that fixes it",
            "requestBody": {"required": True, "content": {"application/json": {"schema": {
                "type": "object", "required": ["text"], "properties": {"text": _STR}}}}},
            "responses": {"200": {"description": "The matching rules, or recognized false with what to collect",
                                  "content": {"application/json": {"schema": _DIAGNOSIS}}}, **_errors(400, 413, 503)},
        }},
    },
}


# ---- Issue 12: configuration audit, header reader, probe (kept together for merging) ----
_AUDIT_FINDING = {"type": "object", "required": ["code", "severity", "title", "evidence", "fix"], "properties": {
    "code": _STR, "severity": {"type": "string", "enum": ["error", "warning", "info"]}, "title": _STR,
    "message": _STR, "fix": _STR, "sources": _STRINGS,
    "evidence": {"type": "array", "items": {"type": "object", "properties": {
        "line": {"type": "integer", "description": "1-based line of the paste; 0 when not from one line"},
        "text": _STR}}}}}
_AUDIT = {"type": "object", "required": ["findings", "verdict", "plan"], "properties": {
    "findings": {"type": "array", "items": _AUDIT_FINDING},
    "verdict": {"type": "string", "enum": ["ready", "needs_attention", "blocked"]},
    "plan": {"type": "object", "properties": {
        "server_version": _STR, "powershell": _STR,
        "steps": {"type": "array", "items": {"type": "object", "properties": {
            "rule": _STR, "title": _STR, "commands": _STRINGS, "note": _STR,
            "shell": {"type": "string", "enum": ["exchange_online", "exchange_server", "manual"]}}}}}},
    "read": {"type": "object", "description": "What was read: objects per kind, the parts, lines not used."},
    "ruleset_version": _STR, "made_at": {"type": "string", "format": "date-time"}}}
_HEADERS = {"type": "object", "required": ["verdict", "tenant_id", "auth_as", "directionality", "tls", "evidence"],
            "properties": {
                "verdict": {"type": "string", "enum": ["attributed", "not_attributed", "unknown", "submitted"]},
                "via": {"type": ["string", "null"], "enum": ["certificate_connector", "other", None]},
                "proven": {"type": "boolean"}, "tenant_id": {"type": ["string", "null"]},
                "auth_as": {"type": ["string", "null"]}, "directionality": {"type": ["string", "null"]},
                "tls": {"type": ["string", "null"]}, "envelope_sender": {"type": ["string", "null"]},
                "message": _STR, "evidence": _STRINGS, "notices": _STRINGS}}
_PROBE = {**_REPORT, "properties": {**_REPORT["properties"],
                                    "presented_chain": {"type": "array", "items": {"type": "object"}},
                                    "server": {"type": "object"}, "note": _STR}}
AUDIT_PATHS = {
    "/api/v1/config-audit": {"post": {
        "summary": "Audit pasted Get-* output of Exchange Online and Exchange Server",
        "requestBody": {"required": True, "content": {"application/json": {"schema": {
            "type": "object", "required": ["text"], "properties": {
                "text": _STR, "accepted_domains": _STRINGS, "certificate_pem": _STR}}}}},
        "responses": {"200": {"description": "Findings, verdict and the targeted plan",
                              "content": {"application/json": {"schema": _AUDIT}}}, **_errors(400, 413, 503)},
    }},
    "/api/v1/headers": {"post": {
        "summary": "Read a relayed test message's headers: was it attributed to the tenant?",
        "requestBody": {"required": True, "content": {"application/json": {"schema": {
            "type": "object", "required": ["text"], "properties": {
                "text": _STR, "tenant_id": _STR, "accepted_domains": _STRINGS}}}}},
        "responses": {"200": {"description": "The verdict with the lines that show it",
                              "content": {"application/json": {"schema": _HEADERS}}}, **_errors(400, 413, 503)},
    }},
    "/api/v1/probe": {"post": {
        "summary": "Read and check the certificate chain a mail server presents after STARTTLS",
        "description": "The certificate a server presents when receiving; usually, not always, the one it sends "
                       "with. Public addresses only, ports 25, 587 and 465 (TLS from the start), at most two "
                       "addresses and 10 s in all; nothing is sent beyond EHLO, STARTTLS and QUIT. 503 (busy, with "
                       "Retry-After) while another probe runs on the server.",
        "requestBody": {"required": True, "content": {"application/json": {"schema": {
            "type": "object", "required": ["host"], "properties": {
                "host": _STR, "port": {"type": "integer", "enum": [25, 587, 465], "default": 25},
                "accepted_domains": _STRINGS}}}}},
        "responses": {"200": {"description": "The certificate report plus the presented chain",
                              "content": {"application/json": {"schema": _PROBE}}},
                      **_errors(400, 422, 429, 503)},
    }},
}
SPEC["paths"].update(AUDIT_PATHS)
_ERROR["properties"]["error"]["properties"]["code"]["enum"] += [
    "unreadable", "invalid_tenant", "invalid_host", "invalid_port", "refused_address", "unresolvable", "timeout",
    "connection_failed", "no_starttls", "smtp_error", "tls_failed",
    "too_slow", "busy"]  # issue 23: a reader stopped at its time budget; another probe running
# ---- end of issue 12 ----


# ---- Issue 25: the signing-request check ----
_REQUEST_REPORT = {"type": "object", "required": ["request", "recommended_connector_domain",
                                                  "working_connector_domain", "candidates", "findings", "verdict"],
                   "properties": {
    "request": {"type": "object", "properties": {
        "subject": _STR, "common_name": {"type": ["string", "null"]}, "dns_names": _STRINGS, "other_names": _STRINGS,
        "key_type": _STR, "key_size": {"type": ["integer", "null"]}, "signature_hash": {"type": ["string", "null"]},
        "signature_valid": {"type": "boolean"}, "extended_key_usages": _STRINGS, "fingerprint_sha256": _STR}},
    "recommended_connector_domain": {"type": ["string", "null"]},
    "working_connector_domain": {"type": ["string", "null"], "description": (
        "The value that works with the accepted domains as they are; the recommended one may need a domain added.")},
    "candidates": _REPORT["properties"]["candidates"],
    "findings": {"type": "array", "items": _FINDING},
    "verdict": {"type": "string", "enum": ["ready", "needs_attention", "blocked"]}}}
SPEC["paths"]["/api/v1/certificate-request-check"] = {"post": {
    "summary": "Check a certificate signing request (CSR) before buying the certificate",
    "description": "PEM, DER or Exchange's request file, as JSON (request_pem, domains) or multipart (request or "
                   "request_text, domains). The findings describe the certificate a CA would issue for it; the "
                   "request is never stored.",
    "requestBody": {"required": True, "content": {
        "application/json": {"schema": {"type": "object", "required": ["request_pem", "domains"], "properties": {
            "request_pem": _STR, "domains": _STRINGS}}},
        "multipart/form-data": {"schema": {"type": "object", "properties": {
            "request": {"type": "string", "format": "binary"}, "request_text": _STR, "domains": _STRINGS}}}}},
    "responses": {"200": {"description": "The request check",
                          "content": {"application/json": {"schema": _REQUEST_REPORT}}}, **_errors(400, 413)},
}}
_ERROR["properties"]["error"]["properties"]["code"]["enum"] += ["no_request", "not_a_request"]
# ---- end of issue 25 ----


@bp.get("/openapi.json")
def openapi():
    return SPEC
