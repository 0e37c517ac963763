"""Help-desk accounts, internal notes on cases and the audit log of staff actions."""
from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String, Text, false, func, select
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from app.extensions import db
from app.store import JSON_DOCUMENT, Case, utcnow

AGENT, ADMIN = "agent", "admin"
ROLES = (AGENT, ADMIN)


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True, index=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16), default=AGENT)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Part of every session's user id (get_id): raising it ends every session of
    # the account at its next request (sign-out, a new password, a new role).
    session_version: Mapped[int] = mapped_column(default=0, server_default="0")
    # The name customers see while the agent follows their case ("Anna from ..."): `flask set-name`.
    display_name: Mapped[str | None] = mapped_column(String(100), nullable=True)

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    def end_sessions(self) -> None:
        self.session_version = (self.session_version or 0) + 1

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive accounts
        return self.active

    @property
    def is_admin(self) -> bool:
        return self.role == ADMIN

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password, method="scrypt")
        self.end_sessions()

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)


class CaseNote(db.Model):
    """A note on a case: internal (staff pages only), or ``for_customer``: shown once at the top of the
    customer's next page, then marked read (app/staff/presence.py)."""

    __tablename__ = "case_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    for_customer: Mapped[bool] = mapped_column(default=False, server_default=false())
    read_at: Mapped[datetime | None] = mapped_column(nullable=True)

    author: Mapped[User | None] = relationship(lazy="joined")


class AuditEvent(db.Model):
    """Who did what to which case, and when. Outlives the case (and the account)."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    user_email: Mapped[str] = mapped_column(String(254))
    action: Mapped[str] = mapped_column(String(32))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id", ondelete="SET NULL"), nullable=True, index=True)
    case_reference: Mapped[str] = mapped_column(String(16), default="")
    # What an action on a whole organization covered (counts, an opaque erasure id): never its name or domains.
    detail: Mapped[dict | None] = mapped_column(JSON_DOCUMENT, nullable=True)


def normalize_email(email: str) -> str:
    return email.strip().casefold()


def find_user(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalize_email(email)))


def notes_for(case: Case) -> list[CaseNote]:
    return list(db.session.scalars(
        select(CaseNote).where(CaseNote.case_id == case.id).order_by(CaseNote.created_at.desc(), CaseNote.id.desc())))


def user_emails(ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    return {row.id: row.email for row in db.session.execute(select(User.id, User.email).where(User.id.in_(ids)))}


def count_users() -> int:
    return db.session.scalar(select(func.count(User.id))) or 0


class CalendarFeed(db.Model):
    """A secret calendar (.ics) address: an agent's owned cases, or one case. Only its hash is kept."""

    __tablename__ = "calendar_feeds"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=True, index=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), nullable=True, index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ExpiryNotice(db.Model):
    """A threshold of a certificate's expiry already announced to EXPIRY_WEBHOOK_URL."""

    __tablename__ = "expiry_notices"

    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True)
    expires_at: Mapped[datetime] = mapped_column(primary_key=True)  # a renewed certificate starts afresh
    threshold_days: Mapped[int] = mapped_column(primary_key=True)
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)


class SecondFactor(db.Model):
    """An account's TOTP second factor (app/staff/mfa.py): the secret encrypted, the last time-step used."""

    __tablename__ = "second_factors"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    secret: Mapped[str] = mapped_column(String(255))  # a Fernet token under a key derived from SECRET_KEY
    confirmed_at: Mapped[datetime | None] = mapped_column(nullable=True)  # None: shown, not yet confirmed
    last_step: Mapped[int] = mapped_column(default=-1)  # a code of this time-step or earlier is spent
    failures: Mapped[int] = mapped_column(default=0)  # wrong codes in a row
    locked_until: Mapped[datetime | None] = mapped_column(nullable=True)


class RecoveryCode(db.Model):
    """A one-time recovery code: only its hash is kept."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(255))
    used_at: Mapped[datetime | None] = mapped_column(nullable=True)
