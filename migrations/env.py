"""Alembic's environment for `flask db ...` (Flask-Migrate): the app's engine and models."""
import logging
from logging.config import fileConfig

from alembic import context
from flask import current_app

config = context.config
# Keep the app's own loggers (and pytest's capture) working when migrations run in-process.
fileConfig(config.config_file_name, disable_existing_loggers=False)
logger = logging.getLogger("alembic.env")

target_db = current_app.extensions["migrate"].db
# Substring search lives outside the models (see 0002): the FTS5 table (and its shadow
# tables) on SQLite, the pg_trgm index on PostgreSQL.
UNMODELLED = ("case_search", "ix_cases_search_trgm")


def include_object(obj, name, type_, reflected, compare_to):
    return not (reflected and compare_to is None and name.startswith(UNMODELLED))


def process_revision_directives(_context, _revision, directives):
    """No empty revision when autogenerate finds nothing to change."""
    if getattr(config.cmd_opts, "autogenerate", False) and directives[0].upgrade_ops.is_empty():
        directives[:] = []
        logger.info("No changes in schema detected.")


def run_migrations_online():
    conf_args = dict(current_app.extensions["migrate"].configure_args)
    conf_args.setdefault("process_revision_directives", process_revision_directives)
    with target_db.engine.connect() as connection:
        if connection.dialect.name == "postgresql":  # an index on a million cases may take longer than a page may
            connection.exec_driver_sql("SET statement_timeout = 0")
            connection.commit()  # the setting outlives this transaction; Alembic's own begins below
        context.configure(connection=connection, target_metadata=target_db.metadata,
                          include_object=include_object, **conf_args)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("Offline (--sql) migrations are not supported: run them against a database.")
run_migrations_online()
