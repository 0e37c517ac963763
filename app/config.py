"""Settings read from the environment, with safe defaults."""
from __future__ import annotations

import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

DEFAULT_MAX_UPLOAD = 1024 * 1024  # 1 MiB: a certificate chain or PFX is a few KiB


def _flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def load_config(instance_path: str) -> dict:
    """Build the configuration from the environment.

    SECRET_KEY: in production (APP_ENV=production) it must be set; in
    development a random key is generated once into the instance folder so
    sessions survive restarts.
    """
    production = os.environ.get("APP_ENV", "development") == "production"
    return {
        "APP_ENV": "production" if production else "development",
        "SECRET_KEY": os.environ.get("SECRET_KEY") or (None if production else _development_key(instance_path)),
        "SQLALCHEMY_DATABASE_URI": os.environ.get("DATABASE_URL")
        or "sqlite:///" + str(Path(instance_path) / "cases.sqlite3"),
        "MAX_CONTENT_LENGTH": int(os.environ.get("MAX_CONTENT_LENGTH", DEFAULT_MAX_UPLOAD)),
        "CASE_RETENTION_DAYS": int(os.environ.get("CASE_RETENTION_DAYS", 30)),
        "TRUSTED_ROOTS_FILE": os.environ.get("TRUSTED_ROOTS_FILE") or None,
        "HTTPS": _flag("HTTPS"),
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_HTTPONLY": True,
        # The cookie holds only a case id: re-signing it on every response buys nothing.
        "SESSION_REFRESH_EACH_REQUEST": False,
        "WTF_CSRF_TIME_LIMIT": int(os.environ.get("CSRF_TIME_LIMIT", 4 * 3600)),
        "BABEL_DEFAULT_LOCALE": "en",
        "LANGUAGES": ("en", "sv"),
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        # Per visitor's address (Flask-Limiter's notation): new cases feed the expiry watch, the webhook and
        # the CSV report; the largest PDF costs about 3.5 s of CPU. A load test from one address raises them.
        "NEW_CASE_LIMIT": os.environ.get("NEW_CASE_LIMIT", "10 per minute;60 per hour"),
        "PDF_LIMIT": os.environ.get("PDF_LIMIT", "10 per minute"),
        # Rendered plan PDFs kept in the database for a second download or the e-mail (app/reports/pdf_store.py):
        # each for at most a day (a plan shows its date, so a new day makes a new PDF anyway), at most 64 MiB in all.
        "PDF_STORE_SECONDS": int(os.environ.get("PDF_STORE_SECONDS", 24 * 3600)),
        "PDF_STORE_BYTES": int(os.environ.get("PDF_STORE_MIB", 64)) * 1024 * 1024,
        "STAFF_IDLE_MINUTES": int(os.environ.get("STAFF_IDLE_MINUTES", 30)),
        # The certificate probe connects only to public addresses unless this is set (tests, private networks).
        "PROBE_ALLOW_PRIVATE": _flag("PROBE_ALLOW_PRIVATE"),
        # The name the probe says EHLO with: never the address of this machine (behind NAT, a private one).
        "PROBE_EHLO_NAME": _ehlo_name(os.environ.get("PROBE_EHLO_NAME") or urlsplit(
            os.environ.get("PUBLIC_URL", "")).hostname or "localhost"),
        # Probes running at once on this machine, all workers together: the others stay free for pages.
        "PROBE_CONCURRENCY": max(1, int(os.environ.get("PROBE_CONCURRENCY", 1))),
        # Links in what leaves the app without a request (webhook, expiry report): https://wizard.example.com
        "PUBLIC_URL": os.environ.get("PUBLIC_URL", "").rstrip("/"),
        "EXPIRY_WEBHOOK_URL": os.environ.get("EXPIRY_WEBHOOK_URL") or None,
        "EXPIRY_WEBHOOK_SECRET": os.environ.get("EXPIRY_WEBHOOK_SECRET") or None,
        # Staff sign-in with OpenID Connect (Microsoft Entra ID or any OpenID provider): on when OIDC_ISSUER
        # is set. Read and checked once at start by app/staff/oidc_settings.py; README, Staff sign-in with Microsoft Entra ID.
        "OIDC_ISSUER": os.environ.get("OIDC_ISSUER", "").strip().rstrip("/"),
        "OIDC_CLIENT_ID": os.environ.get("OIDC_CLIENT_ID", "").strip(),
        "OIDC_CLIENT_SECRET": os.environ.get("OIDC_CLIENT_SECRET", ""),
        "OIDC_ALLOWED_TENANTS": os.environ.get("OIDC_ALLOWED_TENANTS", ""),
        "OIDC_ROLE_MAP": os.environ.get("OIDC_ROLE_MAP", ""),
        "OIDC_ROLE_CLAIM": os.environ.get("OIDC_ROLE_CLAIM", "roles").strip() or "roles",
        "OIDC_PROVIDER_NAME": os.environ.get("OIDC_PROVIDER_NAME", "Microsoft").strip() or "Microsoft",
        # Metrics (issue 26, app/web/metrics.py): who may read GET /metrics. Addresses or networks, comma-separated,
        # compared with the client's address as the app believes it (app/web/proxy.py); or this bearer token.
        "METRICS_ALLOW": os.environ.get("METRICS_ALLOW", "127.0.0.1,::1"),
        "METRICS_TOKEN": os.environ.get("METRICS_TOKEN") or None,
        # Issue 28 (mail from the case page): the help desk's SMTP server. MAIL_USE_TLS: STARTTLS;
        # MAIL_USE_SSL: TLS from the first byte (port 465). The server's certificate is always verified,
        # against MAIL_CA_FILE's roots when set. MAIL_LIMIT: messages per staff user (Flask-Limiter's notation).
        "MAIL_SERVER": os.environ.get("MAIL_SERVER") or None,
        "MAIL_PORT": int(os.environ.get("MAIL_PORT") or (465 if _flag("MAIL_USE_SSL") else 587)),
        "MAIL_USE_TLS": _flag("MAIL_USE_TLS", default=True),
        "MAIL_USE_SSL": _flag("MAIL_USE_SSL"),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME") or None,
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD") or None,
        "MAIL_DEFAULT_SENDER": os.environ.get("MAIL_DEFAULT_SENDER") or None,
        "MAIL_CA_FILE": os.environ.get("MAIL_CA_FILE") or None,
        "MAIL_LIMIT": os.environ.get("MAIL_LIMIT", "5 per minute;50 per day"),
        # Faults (issue 26): a database or Redis that goes away makes requests fail fast, never hang.
        "DATABASE_CONNECT_TIMEOUT": int(os.environ.get("DATABASE_CONNECT_TIMEOUT", 2)),
        "DATABASE_STATEMENT_TIMEOUT": int(os.environ.get("DATABASE_STATEMENT_TIMEOUT", 30)),
        # While Redis is away each worker counts the limits in its own memory (so sign-in stays limited),
        # logs a warning, and goes back to Redis when it answers again (README, Faults).
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": _flag("RATELIMIT_IN_MEMORY_FALLBACK", True),
        "RATELIMIT_STORAGE_OPTIONS": _redis_timeouts(os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
                                                     float(os.environ.get("REDIS_TIMEOUT", 0.5))),
        # Local staff accounts and their second factor (issue 27, app/staff/mfa.py): local sign-in can be
        # turned off; admins always need TOTP, agents when STAFF_MFA_AGENTS is on.
        "STAFF_LOCAL_SIGN_IN": _flag("STAFF_LOCAL_SIGN_IN", True),
        "STAFF_MFA_AGENTS": _flag("STAFF_MFA_AGENTS"),
        # Following a case live (issue 28): the help desk's name on the customer's pages ("Anna from
        # <HELP_DESK_NAME> is following this case"), and how long after an agent's last poll it still says so.
        "HELP_DESK_NAME": os.environ.get("HELP_DESK_NAME", "").strip() or None,
        "FOLLOW_WINDOW_SECONDS": int(os.environ.get("FOLLOW_WINDOW_SECONDS", 10)),
    }


def _redis_timeouts(storage_uri: str, seconds: float) -> dict:
    """A Redis that stops answering (not only one that refuses) must not hold a page: redis-py waits forever."""
    if not storage_uri.startswith("redis"):
        return {}
    return {"socket_connect_timeout": seconds, "socket_timeout": seconds}


def database_engine_options(config: dict) -> dict:
    """SQLAlchemy engine options for the configured database.

    PostgreSQL: a connection attempt gives up after DATABASE_CONNECT_TIMEOUT seconds (libpq's floor is 2), a
    statement after DATABASE_STATEMENT_TIMEOUT (0: none), and a pooled connection is tested before use, so that
    the first request after a database restart does not fail on a connection the restart closed.
    """
    if not config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        return {}
    connect_args = {"connect_timeout": config["DATABASE_CONNECT_TIMEOUT"]}
    if config["DATABASE_STATEMENT_TIMEOUT"]:
        connect_args["options"] = f"-c statement_timeout={config['DATABASE_STATEMENT_TIMEOUT'] * 1000}"
    return {"pool_pre_ping": True, "connect_args": connect_args}


def _ehlo_name(name: str) -> str:
    from app.probe import checked_ehlo_name

    try:
        return checked_ehlo_name(name)
    except ValueError as error:
        raise RuntimeError(f"PROBE_EHLO_NAME: {error}; give a host name, like wizard.example.com") from None


def shared_state_warning(config: dict, environ=os.environ) -> str | None:
    """Why this production set-up would let limits be dodged, or None.

    memory:// keeps each worker's counts to itself: with several workers (or
    instances) an attacker gets that many times the sign-in and resume attempts.
    """
    workers = int(environ.get("WEB_CONCURRENCY", 1) or 1)
    in_memory = config["RATELIMIT_STORAGE_URI"].startswith("memory://")
    if config["APP_ENV"] != "production" or not in_memory or workers <= 1:
        return None
    return (f"RATELIMIT_STORAGE_URI is memory:// with {workers} workers: every worker counts sign-in and "
            "resume attempts on its own, so the limits are multiplied. Set RATELIMIT_STORAGE_URI to "
            "redis://host:6379/0 (see README, Several instances).")


def _development_key(instance_path: str) -> str:
    path = Path(instance_path) / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()
