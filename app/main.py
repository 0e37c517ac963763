"""Pages outside the wizard: the start page and the health check."""
from flask import Blueprint, render_template

from .store import database_ok

bp = Blueprint("main", __name__)


@bp.get("/")
def index():
    return render_template("index.html")


@bp.get("/healthz")
def healthz():
    """200 only after a real database round trip."""
    try:
        ok = database_ok()
    except Exception:  # noqa: BLE001  any database failure means unhealthy
        ok = False
    return ({"status": "ok"}, 200) if ok else ({"status": "database unavailable"}, 503)
