"""The remediation plan's faces: result page, PDF, PowerShell and JSON."""
from flask import Blueprint

from .kept import init_kept

bp = Blueprint("reports", __name__)
bp.record_once(lambda state: init_kept(state.app))  # each app keeps its own plans and pages

from . import views  # noqa: E402,F401
