"""Pages outside the wizard: the start page, the icon, the health check, and the errors of an unusable database."""
from flask import Blueprint, current_app, render_template, request, send_from_directory, session
from flask_babel import gettext as _
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from .errors import render_error
from .extensions import db, login_manager
from .store import HealthCheck, utcnow
from .web.analysis import AnalysisTimeout
from .web.budget import AUDIT, DECODER, HEADERS, RENEWAL, TooSlow
from .web.templating import current_locale
from .wizard.session import current_case
from .wizard.steps import continue_url

bp = Blueprint("main", __name__)


def _same_for_everyone(case) -> bool:
    return (case is None and "_user_id" not in session and not current_app.jinja_env.auto_reload
            and all(key == "lang" for key in request.args))


@bp.get("/")
def index():
    """The start page of a visitor without a case reads the same for everyone in one language: it is
    rendered once per language and worker. A case (its continue block and CSRF token), a staff
    sign-in (the workspace link) or a query besides ?lang= (the language links keep it) gets a
    page of its own; so does every request while templates reload (development)."""
    case = current_case()
    if not _same_for_everyone(case):
        return render_template("index.html", case=case, continue_url=continue_url(case) if case else None)
    pages = current_app.extensions.setdefault("start_pages", {})
    language = current_locale()
    if language not in pages:
        pages[language] = render_template("index.html", case=None, continue_url=None)
    return pages[language]


def database_writes() -> bool:
    """Rewrite the health row and commit: the write must reach the disk. An insert rolled back never did
    (SQLite's WAL is written at commit), so a database whose files could not be written still passed."""
    try:
        updated = db.session.execute(update(HealthCheck).where(HealthCheck.id == 1).values(checked_at=utcnow()))
        if not updated.rowcount:
            db.session.add(HealthCheck(id=1, checked_at=utcnow()))
        db.session.commit()
        return True
    except IntegrityError:  # another worker inserted the row first: its commit wrote
        db.session.rollback()
        return True
    except SQLAlchemyError:
        db.session.rollback()
        raise


@bp.get("/favicon.ico")
def favicon():
    """Browsers ask for it at the root when they show a PDF, JSON or anything else without a page's icon link."""
    return send_from_directory(current_app.static_folder, "favicon.ico", mimetype="image/vnd.microsoft.icon")


@bp.get("/healthz")
def healthz():
    """200 only when the database takes a write; a read-only database cannot save a single answer."""
    try:
        ok = database_writes()
    except SQLAlchemyError:
        current_app.logger.exception("Health check: the database does not take writes")
        ok = False
    return ({"status": "ok"}, 200) if ok else ({"status": "database unavailable"}, 503)


def typed_answer() -> list[tuple[str, str]] | None:
    """What the refused form held, to submit again from the error page; None when it cannot all be kept:
    a file (a page cannot put one back into a form) or a password (never written into a page)."""
    if any(upload.filename for upload in request.files.values()) or any("password" in name for name in request.form):
        return None
    return [(name, value) for name, value in request.form.items(multi=True) if name != "csrf_token"]


@bp.app_errorhandler(SQLAlchemyError)
def database_error(_error: SQLAlchemyError):
    """A failed save says so: the answer on this page was not kept; the page holds it, to submit again."""
    db.session.rollback()
    # The page is drawn as for a visitor: reading the staff account (or a loaded one's expired fields) would
    # need the database again, and an error inside this handler would end as a 500.
    login_manager._update_request_context_with_user()
    current_app.logger.exception("Database error on %s %s", request.method, request.endpoint)  # paths hold tokens
    if request.method == "GET":
        return render_error(503, "database_unavailable", _("Sorry, the service is unavailable"),
                            _("We cannot reach our database. Try again in a few minutes."))
    resend = typed_answer()
    if resend is not None:
        return render_error(503, "not_saved", _("Your answer was not saved"), _(
            "We could not write to our database, so what you entered on this page was NOT saved. This page "
            "keeps it: submit it again in a few minutes with the button below. If it still fails, write your "
            "answers down and try again later."), resend=resend)
    return render_error(503, "not_saved", _("Your answer was not saved"), _(
        "We could not write to our database, so what you entered on this page was NOT saved. "
        "Go back, keep the page open, and submit it again in a few minutes. If it still fails, "
        "write your answers down and try again later."))


@bp.app_errorhandler(AnalysisTimeout)
def analysis_timeout(_error: AnalysisTimeout):
    current_app.logger.warning("Analysis stopped after its time limit on %s", request.endpoint)
    return render_error(503, "too_slow", _("Checking this certificate took too long"), _(
        "Upload only the server certificate and its intermediate certificates, with your tenant's "
        "accepted domains, and try again."))


def _too_slow_messages() -> dict[str, tuple[str, str]]:
    return {
        AUDIT: (_("Reading this configuration took too long"), _(
            "Paste only the block the collection script printed, or the Format-List output of the Get- commands, "
            "and try again.")),
        HEADERS: (_("Reading these headers took too long"), _(
            "Paste only the headers of the test message, from the first Received: line to the last header.")),
        DECODER: (_("Reading this message took too long"), _(
            "Paste only the error: the non-delivery report's text or the log line, and try again.")),
        RENEWAL: (_("Comparing these certificates took too long"), _(
            "Upload only the server certificates and their intermediate certificates, and try again.")),
    }


@bp.app_errorhandler(TooSlow)
def too_slow(error: TooSlow):
    """A reader stopped at its time budget (app.web.budget): the worker is free again, and the page says why."""
    current_app.logger.warning("The %s reader stopped after its time limit on %s", error.reader, request.endpoint)
    title, advice = _too_slow_messages().get(error.reader, _too_slow_messages()[AUDIT])
    return render_error(503, "too_slow", title, advice)
