"""Issue 26 item 5: a backup taken with README's commands while clients save holds every save
acknowledged before it began, and restores into a new database that upgrades and reads back."""
from __future__ import annotations

import secrets
import threading
import time

import pytest
from sqlalchemy import create_engine, make_url, select, text

from app import create_app
from app.extensions import db
from app.store import Case, create_case, save_step
from tests.database import ON_POSTGRES

from .readme_commands import operations_blocks, run_block

WRITERS = 4
SEEDED = 300  # enough pages that SQLite's .backup copies in several steps while writers commit


class Writers:
    """Threads that save cases through the store as the wizard does; each commit that returned is acknowledged."""

    def __init__(self, app):
        self.app = app
        self.acknowledged: list[tuple[str, str, dict]] = []
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.errors: list[BaseException] = []
        self.threads = [threading.Thread(target=self._run, args=(n,)) for n in range(WRITERS)]

    def save_one(self, writer: int, number: int) -> None:
        with self.app.app_context():
            case = create_case(f"Org {writer}-{number}")
            self._ack(case.reference, "created", {})
            for step, data in (
                ("domains", {"accepted_domains": f"w{writer}n{number}.example",
                             "domains": [f"w{writer}n{number}.example", f"mail{number}.example"]}),
                ("server", {"kind": "exchange-2019" if number % 2 else "postfix"}),
            ):
                save_step(case, step, data)
                self._ack(case.reference, step, data)
            db.session.remove()

    def _ack(self, reference: str, step: str, data: dict) -> None:
        with self.lock:
            self.acknowledged.append((reference, step, data))

    def _run(self, writer: int) -> None:
        number = 0
        try:
            while not self.stop.is_set():
                self.save_one(writer, number)
                number += 1
        except BaseException as error:  # noqa: BLE001  reported by the test
            self.errors.append(error)

    def count(self) -> int:
        with self.lock:
            return len(self.acknowledged)

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *_exc):
        self.stop.set()
        for thread in self.threads:
            thread.join(60)


def read_back(database_url: str) -> dict[str, dict[str, dict]]:
    """Every case of a database, reference -> answers, read through the app."""
    app = create_app({"TESTING": True, "SECRET_KEY": "read-back", "SQLALCHEMY_DATABASE_URI": database_url})
    with app.app_context():
        cases = {case.reference: case.answers for case in db.session.scalars(select(Case))}
        version = db.session.execute(text("SELECT version_num FROM alembic_version")).scalar()
        db.engine.dispose()
    assert version, "the restored database has no schema version"
    return cases


def backup_while_writing(app, back_up) -> tuple[int, int, list]:
    """Seed, then back up while the writers save; returns (acknowledged before, during, all acknowledged)."""
    seeding = Writers(app)
    for number in range(SEEDED):
        seeding.save_one(99, number)
    with Writers(app) as writers:
        while writers.count() < 20 and not writers.errors:
            time.sleep(0.01)
        before = writers.count()
        back_up()
        during = writers.count() - before
        time.sleep(0.2)  # writers carry on after the backup, as the app does
    assert not writers.errors, writers.errors
    return len(seeding.acknowledged) + before, during, seeding.acknowledged + writers.acknowledged


def check_restore(restored: dict, acknowledged: list, before: int) -> None:
    missing = [(ref, step) for ref, step, data in acknowledged[:before]
               if ref not in restored or (step != "created" and restored[ref].get(step) != data)]
    assert missing == [], f"{len(missing)} acknowledged save(s) missing from the restore: {missing[:5]}"
    written = {(ref, step): data for ref, step, data in acknowledged}
    for ref, answers in restored.items():  # whatever else made it in is whole, never altered
        for step, data in answers.items():
            assert written.get((ref, step), data) == data, (ref, step)


def test_readme_has_the_operations_blocks():
    assert set(operations_blocks()) >= {"SQLite: back up", "SQLite: restore",
                                         "PostgreSQL: back up", "PostgreSQL: restore"}


@pytest.mark.skipif(ON_POSTGRES, reason="the SQLite backup runs in the SQLite pass")
def test_sqlite_backup_while_clients_write_restores_every_acknowledged_case(app, database_url, tmp_path):
    source = make_url(database_url).database
    backup, new_db = tmp_path / "backup.sqlite3", tmp_path / "restored.sqlite3"
    before, during, acknowledged = backup_while_writing(
        app, lambda: run_block("SQLite: back up", {"DB": source, "BACKUP": str(backup)}))
    run_block("SQLite: restore", {"BACKUP": str(backup), "NEW_DB": str(new_db)})
    restored = read_back(f"sqlite:///{new_db}")
    check_restore(restored, acknowledged, before)
    print(f"SQLite: {before} saves acknowledged before the backup, {during} during it; "
          f"{len(restored)} cases restored")


@pytest.mark.skipif(not ON_POSTGRES, reason="the PostgreSQL backup runs in the PostgreSQL pass")
def test_postgres_backup_while_clients_write_restores_every_acknowledged_case(app, database_url, tmp_path):
    source = make_url(database_url)
    libpq = source.set(drivername="postgresql").render_as_string(hide_password=False)
    new_name = f"{source.database}_restored_{secrets.token_hex(4)}"
    new_url = source.set(drivername="postgresql", database=new_name).render_as_string(hide_password=False)
    backup = tmp_path / "wizard.dump"
    admin = create_engine(source, isolation_level="AUTOCOMMIT")
    try:
        before, during, acknowledged = backup_while_writing(
            app, lambda: run_block("PostgreSQL: back up", {"PGURL": libpq, "BACKUP": str(backup)}))
        run_block("PostgreSQL: restore", {"PGURL": libpq, "BACKUP": str(backup), "NEW_NAME": new_name,
                                          "NEW_PGURL": new_url})
        restored = read_back(source.set(database=new_name).render_as_string(hide_password=False))
        check_restore(restored, acknowledged, before)
        print(f"PostgreSQL: {before} saves acknowledged before the backup, {during} during it; "
              f"{len(restored)} cases restored")
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{new_name}" WITH (FORCE)'))
        admin.dispose()
