"""The help-desk workspace (/staff, behind sign-in)."""
from flask import Blueprint, Flask
from flask_babel import format_number

bp = Blueprint("staff", __name__, url_prefix="/staff")

from . import auth, cli, expiry_views, facts, follow, handoff, mail_views, oidc, organization_views, views  # noqa: E402,F401  (routes and the facts hook register on import)
from . import mfa, mfa_views  # noqa: E402  (after auth: its before_request runs after the sign-in check)
from .calendar import feeds  # noqa: E402
from .customer_notice import init_customer_notice  # noqa: E402


def init_staff(app: Flask) -> None:
    auth.init_login(app)
    oidc.init_oidc(app)  # OpenID Connect sign-in, when OIDC_ISSUER is set
    app.register_blueprint(bp)
    app.register_blueprint(feeds)  # /calendar/<token>.ics: the address is the key, no sign-in
    cli.register(app)
    app.register_blueprint(mfa_views.mfa_bp)  # the code step: for the half signed in
    mfa.register_cli(app)
    app.add_template_global(format_number)
    follow.init_follow(app)
    init_customer_notice(app)
