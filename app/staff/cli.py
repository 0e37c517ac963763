"""flask create-user EMAIL --role agent|admin: the password comes from a prompt or stdin, never an argument."""
from __future__ import annotations

import sys

import click
from flask import Flask

from app.extensions import db

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
    def create_user(email: str, role: str) -> None:
        """Create a help-desk account (password from a prompt, or from stdin when piped)."""
        email = normalize_email(email)
        if "@" not in email or len(email) > 254:
            raise click.UsageError(f"{email!r} is not an email address.")
        if find_user(email) is not None:
            raise click.ClickException(f"An account for {email} already exists.")
        password = read_password()
        if len(password) < MIN_PASSWORD:
            raise click.ClickException(f"Use a password of at least {MIN_PASSWORD} characters.")
        user = User(email=email, role=role, active=True)
        user.set_password(password)
        db.session.add(user)
        db.session.commit()
        click.echo(f"Created {role} {email}.")
