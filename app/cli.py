"""Command-line tools: database set-up and clean-up."""
from __future__ import annotations

import click
from flask import Flask, current_app

from .extensions import db
from .store import purge_expired


def register(app: Flask) -> None:
    @app.cli.command("init-db")
    def init_db() -> None:
        """Create the tables (safe to run again)."""
        db.create_all()
        click.echo("Database ready.")

    @app.cli.command("purge-cases")
    @click.option("--days", type=int, default=None, help="Retention in days (default: CASE_RETENTION_DAYS).")
    def purge_cases(days: int | None) -> None:
        """Delete cases unchanged for longer than the retention period."""
        removed = purge_expired(days if days is not None else current_app.config["CASE_RETENTION_DAYS"])
        click.echo(f"Removed {removed} expired case(s).")
