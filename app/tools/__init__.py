"""Public tools beside the wizard, no account needed: the error decoder, the renewal check
and the customer's read-only report link."""
from flask import Blueprint

bp = Blueprint("tools", __name__)

from . import audit, diagnose, probe, read_only, renewal  # noqa: E402,F401  (routes register on import)
