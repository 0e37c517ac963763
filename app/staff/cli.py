"""Staff accounts from the command line: create-user, set-password, set-role, set-name; an organization's
export and erasure: export-org, erase-org.

Passwords come from a prompt or stdin, never an argument. A new password or
role ends every session of the account: it signs in again with what it now is.
"""
from __future__ import annotations

import getpass
import json
import sys

import click
from flask import Flask

from app.extensions import db

from . import organizations
from .calendar import stop_feeds
from .models import ROLES, User, find_user, normalize_email

MIN_PASSWORD = 12


def _stdin_is_tty() -> bool:
    return sys.stdin.isatty()


def read_password() -> str:
    """Typed twice at a terminal; piped in otherwise (first line), so it never shows in `ps` or history."""
    if _stdin_is_tty():
        return click.prompt("Password", hide_input=True, confirmation_prompt=True)
    return sys.stdin.readline().rstrip("\r\n")


def register(app: Flask) -> None:
    @app.cli.command("create-user")
    @click.argument("email")
    @click.option("--role", type=click.Choice(ROLES), default="agent", show_default=True)
    @click.option("--name", default=None, help="The name customers see while the account follows their case.")
    def create_user(email: str, role: str, name: str | None) -> None:
        """Create a help-desk account (password from a prompt, or from stdin when piped)."""
        email = normalize_email(email)
        if "@" not in email or len(email) > 254:
            raise click.UsageError(f"{email!r} is not an email address.")
        if find_user(email) is not None:
            raise click.ClickException(f"An account for {email} already exists.")
        user = User(email=email, role=role, active=True, display_name=checked_name(name) if name else None)
        user.set_password(checked_password())
        db.session.add(user)
        db.session.commit()
        click.echo(f"Created {role} {email}.")

    @app.cli.command("set-password")
    @click.argument("email")
    def set_password(email: str) -> None:
        """Give an account a new password (prompt, or stdin when piped); its sessions end."""
        user = existing_user(email)
        user.set_password(checked_password())
        stopped = stop_feeds(user=user)  # whoever had the old password may have made one
        db.session.commit()
        click.echo(f"New password set for {user.email}; its sessions have ended"
                   + (" and its calendar address stopped." if stopped else "."))

    @app.cli.command("set-role")
    @click.argument("email")
    @click.argument("role", type=click.Choice(ROLES))
    def set_role(email: str, role: str) -> None:
        """Make an account an agent or an admin; its sessions end."""
        user = existing_user(email)
        user.role = role
        user.end_sessions()
        stop_feeds(user=user)
        db.session.commit()
        click.echo(f"{user.email} is now {role}; its sessions have ended and its calendar address stopped.")

    @app.cli.command("export-org")
    @click.argument("name")
    def export_org(name: str) -> None:
        """Print every case of the organization NAME, with all that hangs off them, as one JSON document."""
        document = organizations.export(name)
        if document is None:
            raise click.ClickException(f"No case has the organization {name!r}.")
        organizations.record(organizations.EXPORTED, _operator(), None, {"cases": len(document["cases"])})
        db.session.commit()
        click.echo(json.dumps(document, indent=2, ensure_ascii=False))

    @app.cli.command("erase-org")
    @click.argument("name")
    @click.option("--yes", is_flag=True, help="Erase without asking (scripts).")
    def erase_org(name: str, yes: bool) -> None:
        """Erase every case of the organization NAME and all that hangs off them; the audit log keeps who and when."""
        count = len(organizations.case_ids(name))
        if not count:
            raise click.ClickException(f"No case has the organization {name!r}.")
        if not yes:
            click.confirm(f"Erase {count} case(s) of {name!r} and everything recorded about them?", abort=True)
        erasure = organizations.erase(name, _operator())
        click.echo(f"Erased {erasure.cases} case(s) and {erasure.rows} linked record(s). Erasure id "
                   f"{erasure.erasure_id}: the audit log keeps it with who and when, never the organization.")

    @app.cli.command("set-name")
    @click.argument("email")
    @click.argument("name")
    def set_name(email: str, name: str) -> None:
        """The name customers see while the account follows their case ("Anna from <HELP_DESK_NAME>")."""
        user = existing_user(email)
        user.display_name = checked_name(name)
        db.session.commit()
        click.echo(f"{user.email} is shown to customers as {user.display_name}.")


def checked_name(name: str) -> str:
    name = " ".join(name.split())
    if not name or len(name) > 100:
        raise click.UsageError("Give a name of 1 to 100 characters.")
    return name


def _operator() -> str:
    """Who ran a command, for the audit log: the account on this machine."""
    return f"command line: {getpass.getuser()}"


def checked_password() -> str:
    password = read_password()
    if len(password) < MIN_PASSWORD:
        raise click.ClickException(f"Use a password of at least {MIN_PASSWORD} characters.")
    return password


def existing_user(email: str) -> User:
    user = find_user(email)
    if user is None:
        raise click.ClickException(f"There is no account for {normalize_email(email)}.")
    return user
