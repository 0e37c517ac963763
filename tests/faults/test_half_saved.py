"""A new case is saved with its first answer or not at all (issue 26, item 3).

The database refuses the first answer's row (a trigger raising, as a full disk or a lost connection would
in the middle of the request): the page says the answer was not saved and keeps it, and no case without
its first step is left behind, nor a browser pointing at a case that was never saved. Runs on SQLite and,
in the PostgreSQL pass, on PostgreSQL.
"""
from __future__ import annotations

from contextlib import contextmanager

from sqlalchemy import text

from app.extensions import db
from tests.conftest import page, submit
from tests.faults.writers import resend_form

REFUSE = {
    "sqlite": ["CREATE TRIGGER refuse_start BEFORE INSERT ON case_steps WHEN NEW.step = 'start' "
               "BEGIN SELECT RAISE(ABORT, 'refused by the fault test'); END"],
    "postgresql": ["CREATE FUNCTION refuse_start() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                   "IF NEW.step = 'start' THEN RAISE EXCEPTION 'refused by the fault test'; END IF; "
                   "RETURN NEW; END $$",
                   "CREATE TRIGGER refuse_start BEFORE INSERT ON case_steps FOR EACH ROW EXECUTE FUNCTION refuse_start()"],
}
ALLOW = {
    "sqlite": ["DROP TRIGGER IF EXISTS refuse_start"],
    "postgresql": ["DROP TRIGGER IF EXISTS refuse_start ON case_steps", "DROP FUNCTION IF EXISTS refuse_start()"],
}


@contextmanager
def first_answers_refused(app):
    with app.app_context():
        dialect = db.engine.dialect.name
        run = lambda statements: [db.session.execute(text(s)) for s in statements] and db.session.commit()  # noqa: E731
        run(REFUSE[dialect])
        try:
            yield
        finally:
            run(ALLOW[dialect])


def counts(app) -> tuple[int, int]:
    with app.app_context():
        return (db.session.execute(text("SELECT count(*) FROM cases")).scalar(),
                db.session.execute(text("SELECT count(*) FROM case_steps")).scalar())


def test_a_new_case_whose_first_answer_is_refused_is_not_saved_at_all(app, client):
    answer = {"role": "agent", "organization": "Half Saved Ltd", "ticket": "INC-7"}
    with first_answers_refused(app):
        refused = submit(client, "/wizard/start", answer)
    assert refused.status_code == 503
    assert page(refused).h1.get_text() == "Your answer was not saved"
    assert counts(app) == (0, 0), "no case without its first answer"
    assert "Continue case" not in client.get("/").get_data(as_text=True)

    token, fields = resend_form(refused.get_data(as_text=True))
    assert dict(fields) == answer  # the page kept what was typed
    again = client.post("/wizard/start", data={"csrf_token": token, **dict(fields)})
    assert again.status_code == 302 and again.location.endswith("/wizard/scenarios")
    assert counts(app) == (1, 1)
