"""Staff accounts of people who sign in with OpenID Connect, keyed on (issuer, subject), never on the e-mail."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.store import utcnow

from .models import User, find_user, normalize_email

NO_PASSWORD = "!"  # not a werkzeug hash: check_password_hash says no to every password


class OidcIdentity(db.Model):
    """One person at one OpenID provider: the provider's issuer and its subject for that person."""

    __tablename__ = "staff_oidc_identities"
    __table_args__ = (UniqueConstraint("issuer", "subject", name="uq_staff_oidc_identities_issuer_subject"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    issuer: Mapped[str] = mapped_column(String(512))
    subject: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_sign_in_at: Mapped[datetime | None] = mapped_column(nullable=True)

    user: Mapped[User] = relationship(lazy="joined")


class EmailTaken(Exception):
    """Another account (a local one, or another identity's) already has the address."""


def display_email(claims: dict, issuer: str, subject: str) -> str:
    """What the account shows as its address: the token's e-mail, else its user name, else subject@issuer."""
    for name in ("email", "preferred_username", "upn"):
        value = claims.get(name)
        if isinstance(value, str) and "@" in value and len(value) <= 254:
            return normalize_email(value)
    host = issuer.split("://", 1)[-1].split("/", 1)[0]
    return normalize_email(f"{subject}@{host}")[:254]


def account_for(issuer: str, subject: str, claims: dict, role: str) -> User:
    """The account of (issuer, subject), made on the first sign-in; its role follows the provider's claims.

    A local account with the same address is never taken over: EmailTaken. The caller commits.
    """
    identity = db.session.scalar(select(OidcIdentity).where(
        OidcIdentity.issuer == issuer, OidcIdentity.subject == subject))
    if identity is None:
        email = display_email(claims, issuer, subject)
        if find_user(email) is not None:
            raise EmailTaken(email)
        user = User(email=email, password_hash=NO_PASSWORD, role=role, active=True, session_version=0)
        identity = OidcIdentity(issuer=issuer, subject=subject, user=user)
        db.session.add(identity)
    user = identity.user
    if user.role != role:
        user.role = role
        user.end_sessions()  # a new role: sessions made under the old one end
    identity.last_sign_in_at = utcnow()
    return user
