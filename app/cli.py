"""Command-line tools: database set-up, clean-up and the daily refresh."""
from __future__ import annotations

import csv
import json
import sys

import click
from flask import Flask, current_app
from flask_migrate import upgrade

from .web.analysis import report_for
from .certs.model import BLOCKED, READY
from .certs.reading import CertificateInputError
from .certs.serialize import report_to_dict
from .store import purge_expired
from .translate import plain

EXIT_CODES = {READY: 0, BLOCKED: 2}  # anything else (needs attention): 1
# A cell that starts with one of these is a formula to Excel, LibreOffice and Google Sheets
# (OWASP, CSV injection): an organization named =HYPERLINK(...) would run when the report is opened.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def spreadsheet_safe(value):
    """A text cell that a spreadsheet shows as text, on one line: line breaks become spaces (the writer
    quotes only its own line ending, so a carriage return would start a new row), and a formula's first
    character, after any spaces, gets a leading apostrophe."""
    if not isinstance(value, str):
        return value
    text = value.replace("\r", " ").replace("\n", " ")
    return "'" + text if text.lstrip(" ").startswith(FORMULA_STARTS) else text


EXPIRY_COLUMNS = ("reference", "organization", "certificate", "expires_at", "days_left", "accepted_domains",
                  "owner", "verdict", "case_url", "renewal_url")


def register(app: Flask) -> None:
    @app.cli.command("init-db")
    def init_db() -> None:
        """Create or upgrade the tables: the same as `flask db upgrade` (safe to run again)."""
        upgrade()
        click.echo("Database ready.")

    @app.cli.command("purge-cases")
    @click.option("--days", type=int, default=None, help="Retention in days (default: CASE_RETENTION_DAYS).")
    def purge_cases(days: int | None) -> None:
        """Delete cases unchanged for longer than the retention period."""
        removed = purge_expired(days if days is not None else current_app.config["CASE_RETENTION_DAYS"])
        click.echo(f"Removed {removed} expired case(s).")

    @app.cli.command("refresh-cases")
    @click.option("--all", "everything", is_flag=True, help="Every case, not only those whose verdict the clock can move.")
    def refresh_cases(everything: bool) -> None:
        """Daily: recompute stored verdicts and expiries as certificates age; announce expiries to EXPIRY_WEBHOOK_URL."""
        from .staff.expiry import notify
        from .staff.facts import refresh_cases as refresh

        click.echo(f"Updated {refresh(everything)} case(s).")
        url = current_app.config["EXPIRY_WEBHOOK_URL"]
        if url:
            try:
                click.echo(f"Sent {notify(url, current_app.config['EXPIRY_WEBHOOK_SECRET'])} expiry notice(s).")
            except OSError as error:
                raise click.ClickException(f"The expiry webhook failed: {error}") from error

    @app.cli.command("expiry-report")
    @click.option("--days", type=click.IntRange(0, 3650), default=30, show_default=True,
                  help="Certificates expiring within this many days.")
    @click.option("--format", "output", type=click.Choice(["csv", "json"]), default="csv", show_default=True)
    def expiry_report(days: int, output: str) -> None:
        """Certificates of live cases expiring within --days, soonest first (for cron and mail)."""
        from .staff.expiry import report

        rows = [item.as_dict() for item in report(days)]
        if output == "json":
            click.echo(json.dumps(rows, indent=2))
            return
        writer = csv.DictWriter(sys.stdout, fieldnames=EXPIRY_COLUMNS, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        writer.writerows({name: spreadsheet_safe(value) for name, value in
                          {**row, "accepted_domains": " ".join(row["accepted_domains"])}.items()} for row in rows)

    @app.cli.command("rules")
    @click.option("--dated", is_flag=True, help="Only the rules whose truth depends on a date.")
    def rules(dated: bool) -> None:
        """Every rule with its sources, as_of and checked dates, oldest check first (what to re-check)."""
        from .remediation.registry import all_rules, oldest_check_first
        from .remediation.rules import RULESET_VERSION

        entries = oldest_check_first([e for e in all_rules() if e.dated or not dated])
        click.echo(f"Ruleset {RULESET_VERSION}: {len(entries)} rule(s); '-' means none recorded.")
        click.echo("checked\tas_of\tkind\trule\tsources")
        for e in entries:
            click.echo("\t".join([e.checked.isoformat() if e.checked else "-", e.as_of.isoformat() if e.as_of else "-",
                                  e.kind, e.id, ", ".join(e.sources) or "-"]))

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
