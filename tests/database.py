"""The database the tests run on: a SQLite file each, or PostgreSQL when TEST_DATABASE_URL names one.

Either way the schema comes from the migrations (`flask db upgrade`), as in production.
SQLite: the schema is made once per session into a template file that each test copies.
PostgreSQL: TEST_DATABASE_URL names a database the role may connect to and whose role
may create databases (deploy/services.sh makes one); the session creates its own
database beside it, upgrades it once, empties every table after each test and drops
the database at the end.

Tests that need a server the run does not have are skipped with the reason; under CI
(CI=true) a missing server fails the run instead, since CI always starts them.
"""
from __future__ import annotations

import os
import re
import shutil
import socket
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from sqlalchemy import create_engine, text

from bench.server import postgres_database

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "")
TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "")
ON_POSTGRES = TEST_DATABASE_URL.startswith("postgresql")


def reachable(url: str) -> bool:
    """A TCP connection to the URL's host and port opens within a second."""
    parts = urlsplit(url)
    default = 5432 if parts.scheme.startswith("postgresql") else 6379
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or default), timeout=1):
            return True
    except OSError:
        return False


def require_server(url: str, what: str, how: str = "deploy/services.sh starts it") -> None:
    """Skip (fail under CI) unless ``url`` is set and answers."""
    if url and reachable(url):
        return
    shown = re.sub(r":[^:@/]*@", ":***@", url)  # no password in the report
    reason = f"{what}: {'not reachable at ' + shown if url else 'not configured'} ({how})"
    if os.environ.get("CI"):
        pytest.fail(f"CI must run this test: {reason}")
    pytest.skip(reason)


def upgrade_to_head(database_url: str) -> None:
    """`flask db upgrade` on ``database_url``, in this process."""
    from flask_migrate import upgrade

    from app import create_app
    from app.extensions import db

    app = create_app({"SECRET_KEY": "schema", "SQLALCHEMY_DATABASE_URI": database_url})
    with app.app_context():
        upgrade()
        db.engine.dispose()


def empty_tables(database_url: str) -> None:
    """Delete every row but the schema version, and restart the ids (PostgreSQL)."""
    engine = create_engine(database_url)
    try:
        with engine.begin() as connection:
            tables = connection.execute(text(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'alembic_version'"))
            names = ", ".join(f'"{name}"' for (name,) in tables)
            if names:
                connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    finally:
        engine.dispose()


class SchemaTemplate:
    """Hands each test a database at the head revision, cheaply."""

    def __init__(self, folder: Path):
        self.folder = folder
        self._postgres = None
        if ON_POSTGRES:
            require_server(TEST_DATABASE_URL, "PostgreSQL (TEST_DATABASE_URL)")
            self._postgres = postgres_database(TEST_DATABASE_URL, "session")
            self.url = self._postgres.__enter__()
        else:
            self.template = folder / "template.sqlite3"
            self.url = f"sqlite:///{self.template}"
        upgrade_to_head(self.url)

    def fresh(self, folder: Path) -> str:
        """The URL of a database for one test."""
        if self._postgres is not None:
            return self.url
        copy = folder / "test.sqlite3"
        shutil.copyfile(self.template, copy)
        return f"sqlite:///{copy}"

    def after_test(self) -> None:
        if self._postgres is not None:
            empty_tables(self.url)

    def close(self) -> None:
        if self._postgres is not None:
            self._postgres.__exit__(None, None, None)
