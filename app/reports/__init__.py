"""The remediation plan's faces: result page, PDF, PowerShell and JSON."""
from flask import Blueprint

bp = Blueprint("reports", __name__)

from . import views  # noqa: E402,F401
