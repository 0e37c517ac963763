"""The remediation plan's faces: result page, PDF, PowerShell and JSON."""
from flask import Blueprint

from .kept import init_kept

bp = Blueprint("reports", __name__)
bp.record_once(lambda state: init_kept(state.app))  # each app keeps its own plans and pages


def _answer_kept_pages_early(state) -> None:
    from .early import answer_kept_pages_early  # it builds on the views and the staff's notice

    answer_kept_pages_early(state.app)


bp.record_once(_answer_kept_pages_early)  # a customer's kept result page, before Flask's request cycle

from . import views  # noqa: E402,F401
