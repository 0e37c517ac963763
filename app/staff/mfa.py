"""The second factor of local staff accounts: TOTP (pyotp) and one-time recovery codes.

The TOTP secret is stored encrypted (Fernet) under a key derived from SECRET_KEY with HKDF, so a
copy of the database alone does not give anyone the codes; changing SECRET_KEY makes every stored
secret unreadable (those people ask an admin for `flask reset-mfa` and enrol again). Recovery codes
are stored as scrypt hashes, as passwords are. A code of a time-step is accepted once: the last
step used is kept per account, and only later steps pass. Wrong codes in a row lock the second step
of the account for a while; the password limits of auth.py apply to the code step as well.
"""
from __future__ import annotations

import base64
import io
import secrets
import time
from dataclasses import dataclass
from datetime import timedelta

import pyotp
import segno
from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app
from sqlalchemy import delete, select
from werkzeug.security import check_password_hash, generate_password_hash

from app.extensions import db
from app.store import utcnow

from .models import ADMIN, RecoveryCode, SecondFactor, User

ISSUER = "Connector certificate wizard"
VALID_WINDOW = 1          # the code of the previous and of the next 30-second period pass too
RECOVERY_CODES = 10
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: read off paper without doubt
RECOVERY_LENGTH = 10      # about 49 bits each
MAX_FAILURES = 5          # wrong codes in a row before the lock
LOCK_MINUTES = 15

# Outcomes of a code: the audit log's words for them (app/staff/audit.py).
ACCEPTED_TOTP, ACCEPTED_RECOVERY = "password+totp", "recovery-code"
WRONG, REUSED, LOCKED, UNREADABLE = "wrong-code", "reused-code", "locked", "unreadable-secret"


def _fernet() -> Fernet:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"staff second factor: totp secret").derive(
        current_app.config["SECRET_KEY"].encode())
    return Fernet(base64.urlsafe_b64encode(key))


def seal_secret(secret: str) -> str:
    return _fernet().encrypt(secret.encode()).decode()


def _open(sealed: str) -> str | None:
    try:
        return _fernet().decrypt(sealed.encode()).decode()
    except InvalidToken:
        return None


def factor_of(user: User) -> SecondFactor | None:
    return db.session.get(SecondFactor, user.id)


def is_enrolled(user: User) -> bool:
    factor = factor_of(user)
    return factor is not None and factor.confirmed_at is not None


def is_required(user: User) -> bool:
    """Admins always; agents when STAFF_MFA_AGENTS is on."""
    return user.role == ADMIN or bool(current_app.config.get("STAFF_MFA_AGENTS"))


def pending_secret(user: User) -> str:
    """The secret being enrolled: made once and kept until confirmed (a reload shows the same QR code)."""
    factor = factor_of(user)
    if factor is not None and factor.confirmed_at is None:
        secret = _open(factor.secret)
        if secret is not None:
            return secret
    if factor is not None:
        db.session.delete(factor)
        db.session.flush()
    secret = pyotp.random_base32()
    db.session.add(SecondFactor(user_id=user.id, secret=seal_secret(secret), last_step=-1, failures=0))
    db.session.commit()
    return secret


def provisioning_uri(user: User, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=ISSUER)


def qr_svg(uri: str) -> str:
    """The otpauth URI as an SVG QR code, made here: nothing leaves the server."""
    out = io.BytesIO()
    segno.make(uri, error="m").save(out, kind="svg", scale=4, border=4, dark="#000", light="#fff", xmldecl=False)
    return out.getvalue().decode()


def qr_data_uri(uri: str) -> str:
    """For an <img src>: the CSP allows data: images, and an image has alt text."""
    return "data:image/svg+xml;base64," + base64.b64encode(qr_svg(uri).encode()).decode()


def format_secret(secret: str) -> str:
    """The secret in groups of four, as authenticator apps show it for typing."""
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


def _digits(code: str) -> str:
    return "".join(code.split())


@dataclass
class Outcome:
    accepted: bool
    reason: str  # ACCEPTED_TOTP, ACCEPTED_RECOVERY, WRONG, REUSED, LOCKED or UNREADABLE


def _matching_step(secret: str, code: str, now: float) -> int | None:
    """The time-step whose code ``code`` is, within the window; every candidate compared in constant time."""
    totp = pyotp.TOTP(secret)
    current = totp.timecode(now)
    found = None
    for step in range(current - VALID_WINDOW, current + VALID_WINDOW + 1):
        if pyotp.utils.strings_equal(code, totp.generate_otp(step)) and found is None:
            found = step
    return found


def is_locked(factor: SecondFactor) -> bool:
    return factor.locked_until is not None and factor.locked_until > utcnow()


def _count_failure(factor: SecondFactor, reason: str) -> Outcome:
    factor.failures = (factor.failures or 0) + 1
    if factor.failures >= MAX_FAILURES:
        factor.locked_until = utcnow() + timedelta(minutes=LOCK_MINUTES)
        factor.failures = 0
        return Outcome(False, LOCKED)
    return Outcome(False, reason)


def check_code(user: User, code: str, *, enrolling: bool = False) -> Outcome:
    """Check a TOTP code (or, once enrolled, a recovery code) and note its use; the caller commits."""
    factor = factor_of(user)
    if factor is None or (factor.confirmed_at is None) != enrolling:
        return Outcome(False, WRONG)
    if is_locked(factor):
        return Outcome(False, LOCKED)
    code = _digits(code)
    if not (code.isdigit() and len(code) == 6):
        if not enrolling and use_recovery_code(user, code):
            factor.failures = 0
            return Outcome(True, ACCEPTED_RECOVERY)
        return _count_failure(factor, WRONG)
    secret = _open(factor.secret)
    if secret is None:
        return Outcome(False, UNREADABLE)
    step = _matching_step(secret, code, time.time())
    if step is None:
        return _count_failure(factor, WRONG)
    if step <= factor.last_step:
        return _count_failure(factor, REUSED)
    factor.last_step, factor.failures = step, 0
    if enrolling:
        factor.confirmed_at = utcnow()
    return Outcome(True, ACCEPTED_TOTP)


def _normal_recovery(code: str) -> str:
    return "".join(ch for ch in code.casefold() if ch.isalnum())


def new_recovery_codes(user: User) -> list[str]:
    """Ten new codes, replacing any earlier ones; shown once, kept only as hashes. The caller commits."""
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = ["".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_LENGTH)) for _ in range(RECOVERY_CODES)]
    db.session.add_all(RecoveryCode(user_id=user.id, code_hash=generate_password_hash(code, method="scrypt"))
                       for code in codes)
    half = RECOVERY_LENGTH // 2
    return [f"{code[:half]}-{code[half:]}" for code in codes]


def use_recovery_code(user: User, code: str) -> bool:
    code = _normal_recovery(code)
    if len(code) != RECOVERY_LENGTH:
        return False
    for stored in db.session.scalars(select(RecoveryCode).where(
            RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))):
        if check_password_hash(stored.code_hash, code):
            stored.used_at = utcnow()
            return True
    return False


def recovery_codes_left(user: User) -> int:
    return len(db.session.scalars(select(RecoveryCode.id).where(
        RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))).all())


def reset(user: User) -> bool:
    """Forget the account's second factor and recovery codes (it enrols again); whether it had one."""
    had = factor_of(user) is not None
    db.session.execute(delete(SecondFactor).where(SecondFactor.user_id == user.id))
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    return had


def register_cli(app) -> None:
    import click

    from .audit import MFA_RESET, record_account
    from .cli import existing_user

    @app.cli.command("reset-mfa")
    @click.argument("email")
    def reset_mfa(email: str) -> None:
        """Clear an account's second factor and recovery codes: it sets them up again at its next sign-in."""
        user = existing_user(email)
        had = reset(user)
        user.end_sessions()
        record_account(MFA_RESET, user)
        db.session.commit()
        click.echo(f"Two-step verification of {user.email} reset; its sessions have ended. It sets up a new "
                   "authenticator app at its next sign-in." if had else
                   f"{user.email} had no two-step verification; nothing to reset (its sessions have ended).")
        click.echo("If the password may be known to someone else too, set a new one first: flask set-password EMAIL")
