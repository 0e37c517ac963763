"""The help-desk workspace (/staff, behind sign-in)."""
from flask import Blueprint, Flask
from flask_babel import format_number

bp = Blueprint("staff", __name__, url_prefix="/staff")

from . import auth, cli, expiry_views, facts, follow, views  # noqa: E402,F401  (routes and the facts hook register on import)
from .calendar import feeds  # noqa: E402
from .customer_notice import init_customer_notice  # noqa: E402


def init_staff(app: Flask) -> None:
    auth.init_login(app)
    app.register_blueprint(bp)
    app.register_blueprint(feeds)  # /calendar/<token>.ics: the address is the key, no sign-in
    cli.register(app)
    app.add_template_global(format_number)
    follow.init_follow(app)
    init_customer_notice(app)
