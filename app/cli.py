"""Command-line tools: database set-up and clean-up."""
from __future__ import annotations

import json
import sys

import click
from flask import Flask, current_app

from .web.analysis import report_for
from .certs.model import BLOCKED, READY
from .certs.reading import CertificateInputError
from .certs.serialize import report_to_dict
from .extensions import db
from .store import purge_expired
from .translate import plain

EXIT_CODES = {READY: 0, BLOCKED: 2}  # anything else (needs attention): 1


def register(app: Flask) -> None:
    @app.cli.command("init-db")
    def init_db() -> None:
        """Create the tables (safe to run again)."""
        db.create_all()
        click.echo("Database ready.")

    @app.cli.command("purge-cases")
    @click.option("--days", type=int, default=None, help="Retention in days (default: CASE_RETENTION_DAYS).")
    def purge_cases(days: int | None) -> None:
        """Delete cases unchanged for longer than the retention period."""
        removed = purge_expired(days if days is not None else current_app.config["CASE_RETENTION_DAYS"])
        click.echo(f"Removed {removed} expired case(s).")

    @app.cli.command("check-cert")
    @click.argument("file", type=click.File("rb"))
    @click.option("--domain", "domains", multiple=True, required=True, help="An accepted domain (repeat for more).")
    @click.option("--password-stdin", is_flag=True, help="Read the PFX password from standard input.")
    @click.option("--json", "as_json", is_flag=True, help="Print the API's JSON instead of text.")
    def check_cert(file, domains: tuple[str, ...], password_stdin: bool, as_json: bool) -> None:
        """Check a certificate file against accepted domains. Exit 0 ready, 1 needs attention, 2 blocked or unusable."""
        password = sys.stdin.readline().rstrip("\r\n") if password_stdin else None
        try:
            report = report_for(file.read(), list(domains), password=password, _=plain)
        except CertificateInputError as error:
            if as_json:
                click.echo(json.dumps({"error": {"code": error.code, "message": error.message(plain)}}))
            else:
                click.echo(f"Cannot use this file: {error.message(plain)}", err=True)
            sys.exit(2)
        data = report_to_dict(report)
        click.echo(json.dumps(data, indent=2) if as_json else _text_report(data))
        sys.exit(EXIT_CODES.get(report.verdict, 1))


    @app.cli.command("audit-config")
    @click.argument("file", type=click.File("rb"))
    @click.option("--domain", "domains", multiple=True, help="An accepted domain (repeat for more).")
    @click.option("--json", "as_json", is_flag=True, help="Print the API's JSON instead of text.")
    def audit_config(file, domains: tuple[str, ...], as_json: bool) -> None:
        """Audit pasted Get-* output (collect.ps1's block). Exit 0 ready, 1 needs attention, 2 blocked or unreadable."""
        from .audit import AuditInputError, run_audit
        from .audit.render import audit_to_dict, render_fix_powershell
        from .web.analysis import trust_store
        try:
            result = run_audit(_decoded(file.read()), list(domains), trust_store=trust_store(), _=plain)
        except AuditInputError as error:
            message = f"Cannot read line {error.line}: {error.text}" if error.line else "Nothing in the file could be read."
            click.echo(json.dumps({"error": {"code": error.code, "message": message}}) if as_json
                       else f"Cannot use this file: {message}", err=not as_json)
            sys.exit(2)
        if as_json:
            click.echo(json.dumps(audit_to_dict(result), indent=2))
        else:
            lines = [f"Verdict: {result.verdict}"]
            for finding in result.findings:
                lines.append(f"[{finding.severity}] {finding.code}: {finding.message}")
                lines += [f"    line {e.line}: {e.text}" for e in finding.evidence if e.line]
            lines += ["", render_fix_powershell(result.plan, "", result.made_at.date().isoformat())]
            click.echo("\n".join(lines))
        sys.exit(EXIT_CODES.get(result.verdict, 1))


def _decoded(data: bytes) -> str:
    """Windows PowerShell 5.1 writes `> file` as UTF-16 with a byte order mark; others write UTF-8."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return data.decode("utf-16", errors="replace")
    return data.decode("utf-8-sig", errors="replace")


def _text_report(data: dict) -> str:
    cert = data["certificate"]
    lines = [
        f"Verdict: {data['verdict']}",
        f"Subject: {cert['subject']}",
        f"Issuer: {cert['issuer']}",
        f"Names: {', '.join(cert['dns_names']) or cert['common_name'] or '-'}",
        f"Thumbprint: {cert['thumbprint_sha1']}",
        f"Valid until: {cert['not_after']} ({cert['days_remaining']} days left)",
        f"TlsCertificateName: {data['exchange_tls_certificate_name']}",
        f"Connector domain (TlsSenderCertificateName): {data['recommended_connector_domain'] or '-'}",
    ]
    lines += [f"  candidate: {c['connector_domain']} ({c['kind']}, relies on {c['accepted_domain']})"
              for c in data["candidates"]]
    lines += [f"[{f['severity']}] {f['code']}: {f['message']}" for f in data["findings"]]
    return "\n".join(lines)
