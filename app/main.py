"""Pages outside the wizard: the start page and the health check."""
from flask import Blueprint, render_template

from .store import database_ok
from .wizard.session import current_case
from .wizard.steps import continue_url

bp = Blueprint("main", __name__)


@bp.get("/")
def index():
    case = current_case()
    return render_template("index.html", case=case, continue_url=continue_url(case) if case else None)


@bp.get("/healthz")
def healthz():
    """200 only after a real database round trip."""
    try:
        ok = database_ok()
    except Exception:  # noqa: BLE001  any database failure means unhealthy
        ok = False
    return ({"status": "ok"}, 200) if ok else ({"status": "database unavailable"}, 503)
