"""The remediation wizard for KB 3169958: application factory."""
from __future__ import annotations

import os

from flask import current_app, request

from . import store  # noqa: F401  (registers the models with the metadata the migrations check)
from .config import database_engine_options, load_config, shared_state_warning
from .extensions import HookCheckingOnceFlask, SigningOnceSessionInterface, babel, csrf, db, limiter, migrate, talisman
from .web.i18n import install_template_translations, select_locale

CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
    "base-uri": "'none'",
    "object-src": "'none'",
}


def check_csrf_on_writes() -> None:
    if request.method in current_app.config["WTF_CSRF_METHODS"] and current_app.config["WTF_CSRF_ENABLED"]:
        csrf.protect(apply_exemptions=True)


def create_app(test_config: dict | None = None) -> HookCheckingOnceFlask:
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    app = HookCheckingOnceFlask(
        __name__,
        instance_relative_config=True,
        template_folder=os.path.join(root, "templates"),
        static_folder=os.path.join(root, "static"),
    )
    os.makedirs(app.instance_path, exist_ok=True)
    app.config.from_mapping(load_config(app.instance_path))
    if test_config:
        app.config.from_mapping(test_config)
    if not app.config.get("SECRET_KEY"):
        raise RuntimeError("SECRET_KEY must be set when APP_ENV=production")
    app.config["SESSION_COOKIE_SECURE"] = app.config["HTTPS"]
    warning = shared_state_warning(app.config)
    if warning:
        app.logger.warning("!" * 72 + "\n%s\n" + "!" * 72, warning)

    app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", database_engine_options(app.config))
    app.session_interface = SigningOnceSessionInterface()
    db.init_app(app)
    migrate.init_app(app, db, directory=os.path.join(root, "migrations"))
    csrf.init_app(app)
    # Flask-WTF's own hook looks up the view's exemptions on every request; only writes carry a token.
    app.config["WTF_CSRF_CHECK_DEFAULT"] = False
    app.before_request(check_csrf_on_writes)
    babel.init_app(app, locale_selector=select_locale)
    install_template_translations(app)
    limiter.init_app(app)
    talisman.init_app(
        app,
        force_https=app.config["HTTPS"],
        strict_transport_security=app.config["HTTPS"],
        session_cookie_secure=app.config["HTTPS"],
        frame_options="DENY",
        content_security_policy=CSP,
        referrer_policy="same-origin",
        permissions_policy={"camera": "()", "microphone": "()", "geolocation": "()"},
    )

    from . import cli, errors, main
    from .web import assets, i18n, request_log, start_page, templating
    from .api import bp as api_bp
    from .reports import bp as reports_bp
    from .staff import init_staff
    from .tools import bp as tools_bp
    from .wizard import bp as wizard_bp

    app.register_blueprint(main.bp)
    app.register_blueprint(i18n.bp)
    app.register_blueprint(wizard_bp)
    app.register_blueprint(reports_bp)
    app.register_blueprint(api_bp)
    init_staff(app)  # Flask-Login and the staff workspace
    app.register_blueprint(tools_bp)
    templating.register(app)
    errors.register(app)

    @app.after_request
    def no_store(response):
        """Case data must not linger in shared or back-button caches; static files may."""
        if request.endpoint != "static":
            response.headers["Cache-Control"] = "no-store"
        return response

    cli.register(app)
    start_page.serve_start_page_early(app)  # the start page of a visitor without cookie or query
    request_log.observe(app)  # it logs, counts and tags every answer of the app, the start page's too
    assets.serve_static(app)  # last, outside the log: static files cost least (nginx serves them in production)
    return app
