"""The help-desk workspace (/staff, behind sign-in) and the public tools beside it.

``bp``: staff pages. ``public_bp``: the error decoder, the renewal check and the
customer's read-only report link, which need no account.
"""
from flask import Blueprint, Flask
from flask_babel import format_datetime

bp = Blueprint("staff", __name__, url_prefix="/staff")
public_bp = Blueprint("tools", __name__)

from . import auth, cli, public, shared, views  # noqa: E402  (routes register on import)


def init_staff(app: Flask) -> None:
    auth.init_login(app)
    app.register_blueprint(bp)
    app.register_blueprint(public_bp)
    cli.register(app)
    app.add_template_global(format_datetime)
