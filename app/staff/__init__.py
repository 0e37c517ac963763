"""The help-desk workspace (/staff, behind sign-in)."""
from flask import Blueprint, Flask

bp = Blueprint("staff", __name__, url_prefix="/staff")

from . import auth, cli, views  # noqa: E402,F401  (routes register on import)


def init_staff(app: Flask) -> None:
    auth.init_login(app)
    app.register_blueprint(bp)
    cli.register(app)
