"""The configuration audit: pasted Get-* output of both sides -> findings and a targeted plan. No Flask.

Like HealthChecker (microsoft/CSS-Exchange, Diagnostics/HealthChecker), reading,
analysis and output are kept apart: ``reading`` turns the paste into plain
objects, one module per concern under ``checks`` finds what is wrong, the
``catalog`` words it with its sources, ``fixes`` turns it into commands.
"""
from app.audit.catalog import RULES, RULESET_VERSION
from app.audit.engine import run_audit
from app.audit.reading import AuditInputError

__all__ = ["RULES", "RULESET_VERSION", "AuditInputError", "run_audit"]
