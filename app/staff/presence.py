"""Who follows a case and where its customer is: rows in the database, never state in a worker.

Every app instance reads and writes the same rows, so an agent polling one instance and a
customer served by another see each other. A follower is a staff member whose last poll of
the case is within FOLLOW_WINDOW_SECONDS; the customer's position is the wizard page they
last opened.
"""
from __future__ import annotations

import functools
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import (Connection, DateTime, ForeignKey, Integer, Select, String, Text, bindparam, cast, func,
                        literal_column, null, select, union_all, update)
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.store import Case, utcnow

from .models import CaseNote, User

# A follower's row is rewritten at most this often: a poll every two seconds writes every third
# (a write costs as much CPU as the rest of the poll), and the window (10 s by default) still sees
# every follower.
FOLLOW_WRITE_EVERY = timedelta(seconds=5)


class CaseFollower(db.Model):
    __tablename__ = "case_followers"

    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    last_seen: Mapped[datetime] = mapped_column(DateTime)


class CustomerPosition(db.Model):
    """The wizard page the customer last opened (a step's name, "check" or "result")."""

    __tablename__ = "case_positions"

    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True)
    step: Mapped[str] = mapped_column(String(40))
    seen_at: Mapped[datetime] = mapped_column(DateTime)


@dataclass(frozen=True)
class CustomerNote:
    id: int
    text: str
    author: str | None  # the agent's display name, if the account has one


def _refused(what: str, error: SQLAlchemyError) -> None:
    current_app.logger.warning("could not record %s: %s", what, error.__class__.__name__)


@contextmanager
def best_effort(what: str) -> Iterator[None]:
    """A side write of a read (a poll, a page shown): if the database refuses it, the read still answers."""
    try:
        yield
        db.session.commit()
    except SQLAlchemyError as error:
        db.session.rollback()
        _refused(what, error)


@contextmanager
def poll_connection() -> Iterator[Connection]:
    """A pooled connection of its own for a poll's query and its follower write, as Core: no ORM object is
    loaded, so none of the session's transaction bookkeeping is needed (it was a third of a poll's CPU).
    On PostgreSQL each statement is its own transaction (autocommit; each is atomic alone), so a poll costs
    no BEGIN and no ROLLBACK round trip around its one SELECT; SQLite's driver opens none for a read anyway
    (and switching its connection to autocommit and back cost more than the query)."""
    with db.engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            connection.execution_options(isolation_level="AUTOCOMMIT")
        yield connection


def _upsert(model, keys: dict, values: dict) -> None:
    """Insert the row, or update it where one with these keys exists (one statement, any instance)."""
    insert = postgresql_insert if db.engine.dialect.name == "postgresql" else sqlite_insert
    statement = insert(model).values(**keys, **values)
    db.session.execute(statement.on_conflict_do_update(index_elements=list(keys), set_=values))


def window_start(now: datetime | None = None, settings=None) -> datetime:
    """Where the follow window starts; ``settings``: the app's, outside its context (app/reports/early.py)."""
    settings = current_app.config if settings is None else settings
    return (now or utcnow()) - timedelta(seconds=settings["FOLLOW_WINDOW_SECONDS"])


def note_following(connection, case_id: int, user_id: int, last_seen: datetime | None) -> None:
    """Record that ``user_id`` follows the case now, unless their row is recent enough already.

    On the poll's connection (poll_connection, or direct_sql's for the early 304), with statements built
    once: the ORM's bulk-update bookkeeping would cost more than the write. A write the database refuses
    through Core is logged and the poll still answers (as best_effort); the driver's own error, on a
    direct connection, goes to the caller.
    """
    now = utcnow()
    if last_seen is not None and now - last_seen < FOLLOW_WRITE_EVERY:
        return
    statement = _follow_first(connection.dialect.name) if last_seen is None else _follow_again()
    try:
        connection.execute(statement, {"case": case_id, "user": user_id, "now": now})
        connection.commit()
    except SQLAlchemyError as error:
        connection.rollback()
        _refused("a follower", error)


@functools.cache
def _follow_first(dialect: str):
    """The follower's row, inserted, or its time updated where it exists (one statement, any instance)."""
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    statement = insert(CaseFollower).values(case_id=bindparam("case"), user_id=bindparam("user"),
                                            last_seen=bindparam("now"))
    return statement.on_conflict_do_update(index_elements=["case_id", "user_id"],
                                           set_={"last_seen": statement.excluded.last_seen})


@functools.cache
def _follow_again():
    return (update(CaseFollower).where(CaseFollower.case_id == bindparam("case"),
                                       CaseFollower.user_id == bindparam("user")).values(last_seen=bindparam("now")))


def note_position(case_id: int, step: str, known: str | None) -> None:
    """Record the page the customer opened, when it is not the one recorded already (``known``, read
    with the notice): a change of page is always written, the same page again never."""
    if step == known:
        return
    with best_effort("the customer's page"):
        _upsert(CustomerPosition, {"case_id": case_id}, {"step": step, "seen_at": utcnow()})


@dataclass(frozen=True)
class CaseVersion:
    updated_at: datetime  # moved by every change of the case row or its answers
    owner_id: int | None
    reference: str
    completed_at: datetime | None  # with the above, what the result page kept for this version is found by


@dataclass(frozen=True)
class CustomerView:
    """What a customer's page reads besides the case's answers: the notes for the customer not shown yet
    (oldest first), the display names of the staff following now (None: an account without one; latest
    poll first), the page recorded as the customer's, and the case's version (None: no such case)."""
    notes: list[CustomerNote]
    followers: list[str | None]
    position: str | None
    case: CaseVersion | None


NOTE, FOLLOWER, POSITION, CASE = 0, 1, 2, 3


def customer_view(case_id: int) -> CustomerView:
    """All of it in one prebuilt query, run as Core on a pooled connection of its own (as ``live_state``):
    three ORM queries built per page cost a third of a wizard step, and a page kept for the case's version
    (app/wizard/kept.py, the result page) needs no other query and no ORM session."""
    with db.engine.connect() as connection:
        return customer_view_on(connection, case_id)


def customer_view_on(connection, case_id: int, settings=None) -> CustomerView:
    """The view read on ``connection``: Core's, or direct_sql's for the result page's early answer
    (app/reports/early.py, outside the app's context: with its ``settings``)."""
    rows = connection.execute(_customer_view_query(), {"case": case_id, "since": window_start(settings=settings)})
    notes, followers, position, case = [], [], None, None
    for kind, number, text, name, at, completed_at in rows:
        if kind == NOTE:
            notes.append(CustomerNote(number, text, name))
        elif kind == FOLLOWER:
            followers.append((at, name))
        elif kind == POSITION:
            position = text
        else:
            case = CaseVersion(at, number, text, completed_at)
    followers.sort(key=lambda follower: follower[0], reverse=True)
    return CustomerView(sorted(notes, key=lambda note: note.id), [name for _at, name in followers], position, case)


@functools.cache
def _customer_view_query():
    """(kind, number, text, name, at, completed_at) rows: up to 5 unread notes for the customer (number: the
    note's id), up to 5 followers within the window (at: their last poll), the customer's page (text), and
    the case (number: its owner, text: its reference, at: its last change, completed_at: its completion)."""
    notes, users, followers, positions = (CaseNote.__table__, User.__table__, CaseFollower.__table__,
                                          CustomerPosition.__table__)
    cases = Case.__table__
    case = bindparam("case")
    # Typed: PostgreSQL takes a bare NULL in a subquery for text, which no integer or timestamp column unites with.
    no_number, no_text, no_time = cast(null(), Integer), cast(null(), Text), cast(null(), DateTime)

    def row(kind: int, number, text, name, at, completed_at=no_time):
        return (literal_column(str(kind)).label("kind"), number.label("number"), text.label("text"),
                name.label("name"), at.label("at"), completed_at.label("completed_at"))

    unread = (select(*row(NOTE, notes.c.id, notes.c.text, users.c.display_name, no_time))
              .select_from(notes.outerjoin(users, users.c.id == notes.c.author_id))
              .where(notes.c.case_id == case, notes.c.for_customer.is_(True), notes.c.read_at.is_(None))
              .order_by(notes.c.id).limit(5))
    following = (select(*row(FOLLOWER, no_number, no_text, users.c.display_name, followers.c.last_seen))
                 .select_from(followers.join(users, users.c.id == followers.c.user_id))
                 .where(followers.c.case_id == case, followers.c.last_seen >= bindparam("since"))
                 .order_by(followers.c.last_seen.desc()).limit(5))
    position = select(*row(POSITION, no_number, positions.c.step, no_text, no_time)).where(positions.c.case_id == case)
    version = (select(*row(CASE, cases.c.owner_id, cases.c.reference, no_text, cases.c.updated_at, cases.c.completed_at))
               .where(cases.c.id == case))
    return union_all(select(unread.subquery()), select(following.subquery()), position, version)


def mark_read(note_ids: list[int]) -> None:
    """The notes a page showed; should the database refuse, the next page shows them again."""
    with best_effort("notes read"):
        db.session.execute(update(CaseNote).where(CaseNote.id.in_(note_ids), CaseNote.read_at.is_(None))
                           .values(read_at=utcnow()))


@functools.cache
def _live_state_query() -> Select:
    """Built once: a poll only binds its reference and account (building it cost as much as running it)."""
    notes = select(CaseNote).where(CaseNote.case_id == Case.id, CaseNote.for_customer.is_(True))
    return (select(User.active, User.session_version, Case.id, Case.updated_at, Case.completed_at, Case.verdict,
                   CustomerPosition.step,
                   notes.with_only_columns(func.max(CaseNote.id)).scalar_subquery().label("note_id"),
                   notes.with_only_columns(func.max(CaseNote.read_at)).scalar_subquery().label("read_at"),
                   CaseFollower.last_seen)
            .select_from(User)
            .outerjoin(Case, Case.reference == bindparam("reference"))
            .outerjoin(CustomerPosition, CustomerPosition.case_id == Case.id)
            .outerjoin(CaseFollower, (CaseFollower.case_id == Case.id) & (CaseFollower.user_id == User.id))
            .where(User.id == bindparam("user_id")))


def live_state(connection, reference: str, user_id: int):
    """What the staff poll compares, in one query: None when there is no such account.

    The account's state (``active``, ``session_version``: is the session still good?); the
    case's id (None: no such case), last change and verdict; the customer's page; the newest
    note for the customer and when one was last read; and this follower's last poll.
    """
    return connection.execute(_live_state_query(), {"reference": reference, "user_id": user_id}).one_or_none()
