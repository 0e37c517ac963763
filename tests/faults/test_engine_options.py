"""PostgreSQL connections carry the fault settings: a statement time limit, and migrations run without it."""
from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from app import create_app
from app.extensions import db


@pytest.mark.postgres_pass
def test_each_connection_has_the_statement_time_limit(app):
    with app.app_context():
        assert db.session.execute(text("SHOW statement_timeout")).scalar() == "30s"
        with pytest.raises(OperationalError, match="statement timeout"):
            limited = create_app({**{k: app.config[k] for k in ("SECRET_KEY", "SQLALCHEMY_DATABASE_URI")},
                                  "DATABASE_STATEMENT_TIMEOUT": 1})
            with limited.app_context():
                try:
                    db.session.execute(text("SELECT pg_sleep(3)"))
                finally:
                    db.session.rollback()
                    db.engine.dispose()
