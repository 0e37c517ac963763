"""Staff sign-in: Flask-Login set-up, idle timeout, sign-in limits, access checks."""
from __future__ import annotations

import functools
import math
import secrets
import time

from flask import Flask, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_limiter.errors import RateLimitExceeded
from flask_login import current_user, logout_user
from werkzeug.security import check_password_hash, generate_password_hash

from app.errors import render_error
from app.extensions import db, limiter, login_manager
from app.web.i18n import safe_next
from app.wizard.session import STAFF_ACTIVITY_KEY as LAST_SEEN  # epoch seconds of the last staff request
from app.wizard.session import STAFF_METHOD_KEY

from . import bp
from .forms import SignInForm
from .models import User, find_user

IDLE_EXPIRED = "staff_idle"     # session key: tell the sign-in page why the user is there
SIGN_OUT, NOTE_ACTIVITY = "sign out", "note activity"  # idle_action's answers
NOTE_ACTIVITY_EVERY = 15  # seconds: the session's activity time is rewritten (and its cookie set) at most this often
# Only failed attempts count. Per address tightly; per account loosely, above
# what one address may try in any window, so that one address cannot lock a
# person out while many addresses guessing one account are still slowed down.
SIGN_IN_LIMIT_PER_ADDRESS = "5 per minute;20 per hour"
SIGN_IN_LIMIT_PER_ACCOUNT = "100 per hour"
PUBLIC_ENDPOINTS = {"staff.sign_in", "staff.oidc_start", "staff.oidc_callback", "staff.oidc_signed_out"}
# Session key: how this session signed in ("password", "password+totp", "recovery-code" in mfa_views.py; "oidc"
# in oidc.py). It survives switching cases with the rest of the staff keys (app/wizard/session.py).
SIGN_IN_METHOD = STAFF_METHOD_KEY


def init_login(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "staff.sign_in"
    login_manager.login_message = _l("Sign in to use the staff pages.")
    login_manager.login_message_category = "info"
    app.before_request(enforce_idle_timeout)


def session_account(session_user_id: str | None) -> tuple[int, str] | None:
    """(account id, session version) as a session names them ("id:version"), or None."""
    user_id, _sep, version = (session_user_id or "").partition(":")
    return (int(user_id), version) if user_id.isdigit() else None


def ended(user: User | None, version: str) -> bool:
    """Whether the session of this version no longer signs the account in (gone, inactive, or ended)."""
    return user is None or not user.active or version != str(user.session_version)


@login_manager.user_loader
def load_user(session_user_id: str) -> User | None:
    """The account of a session ("id:version"), unless the account has ended its sessions since."""
    account = session_account(session_user_id)
    user = db.session.get(User, account[0]) if account else None
    return None if account is None or ended(user, account[1]) else user


def idle_action(seen, now: int) -> str | None:
    """What a request of a signed-in session must do about its activity time ``seen`` (epoch seconds):
    SIGN_OUT (idle for longer than STAFF_IDLE_MINUTES), NOTE_ACTIVITY (note ``now``), or nothing."""
    if isinstance(seen, int) and now - seen > current_app.config["STAFF_IDLE_MINUTES"] * 60:
        return SIGN_OUT
    if not isinstance(seen, int) or now - seen >= NOTE_ACTIVITY_EVERY:
        return NOTE_ACTIVITY
    return None


def enforce_idle_timeout() -> None:
    """Sign out a staff user idle for longer than STAFF_IDLE_MINUTES; else note the activity."""
    if "_user_id" not in session or request.endpoint == "static":
        return
    now = int(time.time())
    action = idle_action(session.get(LAST_SEEN), now)
    if action == SIGN_OUT:
        logout_user()
        session.pop(LAST_SEEN, None)
        session[IDLE_EXPIRED] = True
    elif action == NOTE_ACTIVITY:
        session[LAST_SEEN] = now


def is_staff() -> bool:
    return bool(current_user and current_user.is_authenticated)


@bp.before_request
def require_sign_in():
    """Every staff URL but the sign-in page needs a signed-in account."""
    if request.endpoint not in PUBLIC_ENDPOINTS and not is_staff():
        return login_manager.unauthorized()
    return None


def admin_required(view):
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        if not current_user.is_admin:
            abort(403)
        return view(*args, **kwargs)
    return wrapper


def address_limit() -> str:
    """Sign-in attempts allowed per address (local, TOTP and OpenID sign-in share it)."""
    return current_app.config.get("STAFF_SIGN_IN_LIMIT", SIGN_IN_LIMIT_PER_ADDRESS)


def account_limit() -> str:
    """Sign-in attempts allowed per account."""
    return current_app.config.get("STAFF_ACCOUNT_SIGN_IN_LIMIT", SIGN_IN_LIMIT_PER_ACCOUNT)


def _submitted_email() -> str:
    return "staff-email:" + (request.form.get("email") or "").strip().casefold()


def failed_attempt(response) -> bool:
    """A sign-in answer that is not the redirect of a success: it counts against the limits."""
    return response.status_code != 302


@bp.route("/sign-in", methods=["GET", "POST"])
@limiter.limit(address_limit, methods=["POST"], deduct_when=failed_attempt)
@limiter.limit(account_limit, key_func=_submitted_email, methods=["POST"], deduct_when=failed_attempt)
def sign_in():
    if is_staff():
        return redirect(url_for("staff.cases"))
    if request.method == "POST" and not local_sign_in():
        abort(403)  # STAFF_LOCAL_SIGN_IN=0: no password is checked at all
    form = SignInForm()
    if form.validate_on_submit():
        user = find_user(form.email.data)
        password_ok = user.check_password(form.password.data) if user else _check_dummy(form.password.data)
        if user is not None and password_ok and user.active:
            from .mfa_views import after_password  # the code step, when the account has or needs one

            return after_password(user, safe_next(request.args.get("next")) if request.args.get("next") else url_for("staff.cases"))
        form.email.errors.append(_("The email address or password is not right. Check both and try again"))
    expired = session.pop(IDLE_EXPIRED, False)
    return render_template("staff/sign_in.html", form=form, expired=expired,
                           idle_minutes=current_app.config["STAFF_IDLE_MINUTES"],
                           local_sign_in=local_sign_in(), other_sign_in=other_sign_in())


def local_sign_in() -> bool:
    """Local accounts (email and password): off with STAFF_LOCAL_SIGN_IN=0."""
    return current_app.config.get("STAFF_LOCAL_SIGN_IN", True)


def other_sign_in() -> bool:
    """Whether a sign-in other than the local password is configured (OpenID Connect: OIDC_ISSUER)."""
    return bool(current_app.config.get("OIDC_ISSUER"))


@functools.cache
def _dummy_hash() -> str:
    return generate_password_hash(secrets.token_hex(16), method="scrypt")


def _check_dummy(password: str) -> bool:
    """An unknown email costs the same time as a wrong password: no account probing by timing."""
    check_password_hash(_dummy_hash(), password)
    return False


@bp.post("/sign-out")
def sign_out():
    """End the session on the server too: a copy of the cookie no longer signs anyone in."""
    current_user.end_sessions()
    db.session.commit()
    signed_in_with = session.get(SIGN_IN_METHOD)
    logout_user()
    session.clear()
    flash(_("You have signed out."), "info")
    if signed_in_with == "oidc":  # the provider's own session may end too: a page offers it
        return redirect(url_for("staff.oidc_signed_out"))
    return redirect(url_for("staff.sign_in"))


@bp.errorhandler(RateLimitExceeded)
def too_many_attempts(_error):
    reset_at = limiter.current_limit.reset_at if limiter.current_limit else time.time() + 60
    seconds = max(1, math.ceil(reset_at - time.time()))
    minutes = math.ceil(max(seconds - 2, 1) / 60)  # storages round the window's end up by a second or two
    body, status = render_error(429, "rate_limited", _("Too many sign-in attempts"), ngettext(
        "Wait %(num)d minute, then try again. If you have forgotten your password, ask an administrator to reset it.",
        "Wait %(num)d minutes, then try again. If you have forgotten your password, ask an administrator to reset it.",
        minutes))
    return body, status, {"Retry-After": str(seconds)}
