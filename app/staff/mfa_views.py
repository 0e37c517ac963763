"""The code step of sign-in, enrolment in TOTP and recovery codes (pages of app/staff/mfa.py).

After the right password an account with a second factor (or one that must have one) is only
half signed in: the session holds who it is and where they were going, not Flask-Login's user, so
no staff page opens. These pages live on a blueprint of their own because the staff blueprint
sends anyone not signed in to the sign-in page.
"""
from __future__ import annotations

import time

from flask import Blueprint, g, make_response, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_limiter.errors import RateLimitExceeded
from flask_login import current_user, login_user
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import InputRequired, Length

from app.extensions import db, limiter, login_manager
from app.wizard.session import STAFF_ACTIVITY_KEY as LAST_SEEN
from app.wizard.session import STAFF_METHOD_KEY as METHOD

from . import bp, mfa
from .audit import MFA_ENROLLED, RECOVERY_CODES_NEW, REFUSED_BECAUSE, SIGNED_IN_BY, record_account
from .auth import account_limit, address_limit, is_staff, too_many_attempts
from .models import User

mfa_bp = Blueprint("staff_mfa", __name__, url_prefix="/staff")
mfa_bp.register_error_handler(RateLimitExceeded, too_many_attempts)

PENDING = "staff_pending"            # session key: the half-signed-in account
PENDING_SECONDS = 10 * 60            # time to find the phone and, the first time, to set up the app


class CodeForm(FlaskForm):
    code = StringField(_l("Code"), description=_l(
        "The 6-digit code your authenticator app shows now, or one of your recovery codes."), validators=[
        InputRequired(_l("Enter the code from your authenticator app")), Length(max=64)],
        render_kw={"autocomplete": "one-time-code", "autocapitalize": "none", "spellcheck": "false"})


class EnrolForm(FlaskForm):
    code = StringField(_l("Code from the app"), description=_l("The 6 digits the app shows for this account."),
                       validators=[InputRequired(_l("Enter the code from your authenticator app")), Length(max=16)],
                       render_kw={"autocomplete": "one-time-code", "inputmode": "numeric"})


REFUSALS = {
    mfa.WRONG: _l("The code is not right. Enter the code your authenticator app shows now, or a recovery code"),
    mfa.REUSED: _l("That code has been used already. Wait for the next code in your authenticator app and enter it"),
    mfa.LOCKED: _l("Too many wrong codes. Wait %(minutes)d minutes, or ask an administrator to reset your "
                   "two-step verification", minutes=mfa.LOCK_MINUTES),
    mfa.UNREADABLE: _l("Your two-step verification cannot be checked. Ask an administrator to reset it"),
}


def _refused(_response) -> bool:
    return bool(g.get("code_refused"))


def _pending_account() -> str:
    return f"staff-mfa:{(session.get(PENDING) or {}).get('user')}"


def code_limits(view):
    """The password's limits (auth.py), counted for the code step on their own: only refused codes count."""
    view = limiter.limit(account_limit, key_func=_pending_account, methods=["POST"], deduct_when=_refused)(view)
    return limiter.limit(address_limit, methods=["POST"], deduct_when=_refused)(view)


def after_password(user: User, next_url: str):
    """The password was right: sign in, or first ask for the code (or for enrolment)."""
    enrolled = mfa.is_enrolled(user)
    if not enrolled and not mfa.is_required(user):
        return finish_sign_in(user, "password", next_url)
    session.clear()
    session[PENDING] = {"user": user.id, "version": user.session_version, "next": next_url, "at": int(time.time())}
    return redirect(url_for("staff_mfa.code" if enrolled else "staff_mfa.set_up"))


def pending_user() -> User | None:
    pending = session.get(PENDING)
    if not isinstance(pending, dict) or int(time.time()) - int(pending.get("at", 0)) > PENDING_SECONDS:
        session.pop(PENDING, None)
        return None
    user = db.session.get(User, pending.get("user"))
    if user is None or not user.active or user.session_version != pending.get("version"):
        return None
    return user


def _half_signed_in():
    """(the account between its password and its code, None), or (None, where to send the visitor)."""
    if is_staff():
        return None, redirect(url_for("staff.cases"))
    user = pending_user()
    return (user, None) if user is not None else (None, login_manager.unauthorized())


def finish_sign_in(user: User, method: str, next_url: str | None = None):
    """A new session for the account; ``next_url`` None: the caller shows a page itself."""
    session.clear()
    login_user(user)
    session[LAST_SEEN] = int(time.time())
    session[METHOD] = method
    record_account(SIGNED_IN_BY[method], user)
    db.session.commit()
    return redirect(next_url) if next_url else None


def refuse(user: User, outcome: mfa.Outcome, form: FlaskForm) -> None:
    record_account(REFUSED_BECAUSE[outcome.reason], user)
    db.session.commit()
    g.code_refused = True
    form.code.errors.append(REFUSALS[outcome.reason])


def _no_store(body: str, status: int = 200):
    response = make_response(body, status)
    response.headers["Cache-Control"] = "no-store"
    return response


@mfa_bp.route("/sign-in/code", methods=["GET", "POST"])
@code_limits
def code():
    user, elsewhere = _half_signed_in()
    if user is None:
        return elsewhere
    if not mfa.is_enrolled(user):
        return redirect(url_for(".set_up"))
    form = CodeForm()
    if form.validate_on_submit():
        outcome = mfa.check_code(user, form.code.data)
        if outcome.accepted:
            return finish_sign_in(user, outcome.reason, session[PENDING]["next"])
        refuse(user, outcome, form)
    return render_template("staff/mfa_code.html", form=form)


@mfa_bp.route("/sign-in/set-up", methods=["GET", "POST"])
@code_limits
def set_up():
    """Enrolment before the first sign-in of an account that needs a second factor."""
    user, elsewhere = _half_signed_in()
    if user is None:
        return elsewhere
    if mfa.is_enrolled(user):
        return redirect(url_for(".code"))
    next_url = session[PENDING]["next"]
    codes, page = _enrol(user, "base.html")
    if codes is None:
        return page
    finish_sign_in(user, mfa.ACCEPTED_TOTP)
    return _show_codes(codes, next_url, enrolled=True)


@mfa_bp.route("/account/two-step", methods=["GET", "POST"])
@code_limits
def account():
    """A signed-in person's second factor: set it up, or see it and make new recovery codes."""
    if not is_staff():
        return login_manager.unauthorized()
    if mfa.is_enrolled(current_user):
        return _account_page(EnrolForm())
    codes, page = _enrol(current_user, "staff/layout.html")
    return page if codes is None else _show_codes(codes, url_for("staff.cases"), enrolled=True)


def _account_page(form: FlaskForm):
    return render_template("staff/mfa_account.html", form=form, codes_left=mfa.recovery_codes_left(current_user))


@mfa_bp.post("/account/recovery-codes")
@code_limits
def new_recovery_codes():
    """New recovery codes for a current code from the app: a borrowed session alone cannot make them."""
    if not is_staff():
        return login_manager.unauthorized()
    if not mfa.is_enrolled(current_user):
        return redirect(url_for(".account"))
    form = EnrolForm()
    if not form.validate_on_submit():
        return _account_page(form)
    outcome = mfa.check_code(current_user, form.code.data)
    if not outcome.accepted:
        refuse(current_user, outcome, form)
        return _account_page(form)
    codes = mfa.new_recovery_codes(current_user)
    record_account(RECOVERY_CODES_NEW, current_user)
    db.session.commit()
    return _show_codes(codes, url_for("staff.cases"), enrolled=False)


def _enrol(user: User, layout: str):
    """(codes, None) once the first code is right; else (None, the enrolment page)."""
    secret = mfa.pending_secret(user)
    form = EnrolForm()
    if form.validate_on_submit():
        outcome = mfa.check_code(user, form.code.data, enrolling=True)
        if outcome.accepted:
            record_account(MFA_ENROLLED, user)
            codes = mfa.new_recovery_codes(user)
            db.session.commit()
            return codes, None
        refuse(user, outcome, form)
    uri = mfa.provisioning_uri(user, secret)
    body = render_template("staff/mfa_enrol.html", layout=layout, form=form, qr=mfa.qr_data_uri(uri),
                           secret=mfa.format_secret(secret), required=mfa.is_required(user))
    return None, _no_store(body)


def _show_codes(codes: list[str], next_url: str, *, enrolled: bool):
    """The recovery codes, this once: they exist nowhere else (only hashes are kept)."""
    return _no_store(render_template("staff/mfa_codes.html", codes=codes, next_url=next_url, enrolled=enrolled))


@bp.before_request
def require_second_factor():
    """A password-only session of an account that now needs a second factor goes to set one up first."""
    if (is_staff() and session.get(METHOD) == "password" and request.endpoint != "staff.sign_out"
            and mfa.is_required(current_user) and not mfa.is_enrolled(current_user)):
        return redirect(url_for("staff_mfa.account"))
    return None
