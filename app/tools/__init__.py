"""Public tools beside the wizard, no account needed: the error decoder, the renewal check,
the chooser for devices that cannot present a certificate, and the customer's read-only report link."""
from flask import Blueprint

bp = Blueprint("tools", __name__)

from . import audit, devices, diagnose, probe, read_only, renewal  # noqa: E402,F401  (routes register on import)
