"""Renewal check: the certificate in use against its replacement, and what must follow. No Flask."""
from .compare import Change, RenewalPlan, RenewalStep, compare_certificates, connector_matches

__all__ = ["Change", "RenewalPlan", "RenewalStep", "compare_certificates", "connector_matches"]
