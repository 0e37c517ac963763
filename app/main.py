"""Pages outside the wizard: the start page, the icon and the health check."""
from flask import Blueprint, current_app, render_template, send_from_directory

from .store import database_ok
from .wizard.session import current_case
from .wizard.steps import continue_url

bp = Blueprint("main", __name__)


@bp.get("/")
def index():
    case = current_case()
    return render_template("index.html", case=case, continue_url=continue_url(case) if case else None)


@bp.get("/favicon.ico")
def favicon():
    """Browsers ask for it at the root when they show a PDF, JSON or anything else without a page's icon link."""
    return send_from_directory(current_app.static_folder, "favicon.ico", mimetype="image/vnd.microsoft.icon")


@bp.get("/healthz")
def healthz():
    """200 only after a real database round trip."""
    try:
        ok = database_ok()
    except Exception:  # noqa: BLE001  any database failure means unhealthy
        ok = False
    return ({"status": "ok"}, 200) if ok else ({"status": "database unavailable"}, 503)
