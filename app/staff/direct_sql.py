"""The staff poll's statements run straight on a pooled DBAPI connection (the early 304, live_poll.py).

Core's execution of a statement (its execution context, the compiled-cache lookup, the result and
row objects) cost the poll twice what the driver's own execute does, and under gunicorn, with the
worker idle between polls, each such step costs several times more again (bench/README.md). Here a
statement is compiled once per dialect by SQLAlchemy's own compiler, and its parameters and rows go
through the type's own bind and result processors, as Core would send and read them (SQLite keeps
datetimes as text). A connection comes from the engine's pool (pre-ping included) and goes back to it.

The driver's errors pass as they are (a disconnect invalidates the pooled connection first): the
caller then leaves the request to the view, which runs the same statements through Core (errors
wrapped, counted by app/web/metrics.py, shown as the error page).
"""
from __future__ import annotations

import functools
from collections import namedtuple

from sqlalchemy import Engine
from sqlalchemy.engine import Dialect


class Prepared:
    """A statement compiled for one dialect, with its processors."""

    def __init__(self, statement, dialect: Dialect):
        compiled = statement.compile(dialect=dialect)
        self.compiled = compiled
        self.sql = compiled.string
        self.order = list(compiled.positiontup) if dialect.positional else None
        self.binds = {name: processor for name, bind in compiled.binds.items()
                      if (processor := bind.type.dialect_impl(dialect).bind_processor(dialect)) is not None}
        self.row = None
        if getattr(statement, "is_select", False):
            columns = statement.selected_columns
            self.row = namedtuple("Row", columns.keys(), rename=True)
            self.results = [column.type.dialect_impl(dialect).result_processor(dialect, None) for column in columns]

    def parameters(self, values: dict):
        params = self.compiled.construct_params(values)
        for name, processor in self.binds.items():
            params[name] = processor(params[name])
        return [params[name] for name in self.order] if self.order is not None else params

    def read(self, raw: tuple):
        return self.row(*(process(value) if process else value for process, value in zip(self.results, raw)))


@functools.lru_cache(maxsize=32)  # a few statements per engine; tests make many engines
def prepared(statement, dialect: Dialect) -> Prepared:
    return Prepared(statement, dialect)


class Rows(list):
    def one_or_none(self):
        if len(self) > 1:
            raise LookupError("more than one row")
        return self[0] if self else None


class DirectConnection:
    """``with DirectConnection(engine) as connection: connection.execute(statement, params).one_or_none()``

    Each statement is its own transaction: autocommit on PostgreSQL (no BEGIN and no ROLLBACK round trip
    around a read, as presence.poll_connection); elsewhere ``commit()`` ends a write's transaction (SQLite's
    driver opens none for a read).
    """

    def __init__(self, engine: Engine):
        self.engine = engine
        self.dialect = engine.dialect
        self.autocommit = self.dialect.name == "postgresql"

    def __enter__(self) -> "DirectConnection":
        self.pooled = self.engine.raw_connection()
        if self.autocommit:
            self.dialect.set_isolation_level(self.pooled.dbapi_connection, "AUTOCOMMIT")
        return self

    def __exit__(self, _kind, error, _traceback) -> None:
        driver_error = self.dialect.loaded_dbapi.Error
        try:
            if isinstance(error, driver_error) and self.dialect.is_disconnect(error, self.pooled.dbapi_connection, None):
                self.pooled.invalidate(error)
            elif self.autocommit:
                self.dialect.reset_isolation_level(self.pooled.dbapi_connection)
        except driver_error as reset_error:  # never back to the pool in autocommit: the ORM's transactions need it off
            self.pooled.invalidate(reset_error)
        finally:
            self.pooled.close()

    def execute(self, statement, values: dict) -> Rows:
        statement = prepared(statement, self.dialect)
        cursor = self.pooled.cursor()
        try:
            cursor.execute(statement.sql, statement.parameters(values))
            rows = Rows(statement.read(raw) for raw in cursor.fetchall()) if statement.row else Rows()
        finally:
            cursor.close()
        return rows

    def commit(self) -> None:
        if not self.autocommit:
            self.pooled.commit()

    def rollback(self) -> None:
        if not self.autocommit:
            self.pooled.rollback()
