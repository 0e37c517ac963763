"""/healthz writes to disk (issue 23, finding 14).

On SQLite an insert rolled back never reaches the disk (WAL frames are written at commit), so a
database whose files had been made immutable still answered 200 and every save then failed. The
files are made immutable here with chattr +i (root, as in CI): the health check must say 503.
"""
from __future__ import annotations

import subprocess  # nosec B404
from contextlib import contextmanager
from pathlib import Path

import pytest

from app.extensions import db
from app.store import HealthCheck


@contextmanager
def immutable(paths: list[Path]):
    done = []
    try:
        for path in paths:
            result = subprocess.run(["chattr", "+i", str(path)], capture_output=True, text=True)  # nosec
            if result.returncode:
                pytest.skip(f"chattr +i is not allowed here: {result.stderr.strip()}")
            done.append(path)
        yield
    finally:
        for path in done:
            subprocess.run(["chattr", "-i", str(path)], check=True)  # nosec


def test_healthz_says_503_when_the_database_files_cannot_be_written(app, client):
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///"):
        pytest.skip("SQLite files")
    assert client.get("/healthz").status_code == 200  # the pool's connection is open, its files exist
    database = Path(app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///"))
    # Not the -shm file: SQLite maps it into memory, and a write to it would be a bus error, not an error.
    files = [p for p in (database, Path(f"{database}-wal")) if p.exists()]
    with immutable(files):
        response = client.get("/healthz")
        assert response.status_code == 503 and response.json == {"status": "database unavailable"}
    assert client.get("/healthz").status_code == 200


def test_healthz_keeps_one_row_however_often_it_is_asked(app, client):
    for _ in range(5):
        assert client.get("/healthz").status_code == 200
    with app.app_context():
        assert db.session.query(HealthCheck).count() == 1
