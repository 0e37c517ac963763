"""What the customer's pages say of the help desk: who follows the case now, and the agent's note.

base.html asks ``agent_notice()`` on every page. For a customer with a case in this
browser (never for staff) it names the staff following the case (a poll within
FOLLOW_WINDOW_SECONDS, app/staff/presence.py) and shows the notes written for the
customer that no page has shown yet. A note is shown once: the page that showed it marks it
read when it is sent, and the staff case page says when. The wizard pages the customer opens
are recorded as their position, for the staff page to show.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, Response, current_app, g, request, session
from flask_babel import gettext as _
from sqlalchemy.exc import SQLAlchemyError

from app.wizard.session import SESSION_KEY, within_retention

from .presence import CustomerNote, CustomerView, customer_view, mark_read, note_position

# In a request's environ: (case id, view) as app/reports/early.py read them before it left the request to Flask.
READ_EARLY = "wizard.customer_view"

# The customer's pages whose name the staff page shows as where the customer is.
PAGES = {"wizard.start": "start", "wizard.certificate": "certificate",
         "wizard.connector_domain": "connector-domain", "wizard.check": "check", "reports.result": "result"}


@dataclass(frozen=True)
class AgentNotice:
    following: str | None       # "Anna from Contoso IT is following this case"
    notes: list[CustomerNote]
    desk: str


def customer_case_id() -> int | None:
    """The case open in this browser, for a customer; staff (who may resume any case) get None."""
    if "_user_id" in session:
        return None
    case_id = session.get(SESSION_KEY)
    return case_id if isinstance(case_id, int) else None


def help_desk_name() -> str:
    return current_app.config.get("HELP_DESK_NAME") or _("the help desk")


def following_line(names: list[str | None], desk: str) -> str | None:
    if not names:
        return None
    named = list(dict.fromkeys(name for name in names if name))
    if not named:
        return _("An agent from %(desk)s is following this case", desk=desk)
    if len(named) == 1:
        return _("%(agent)s from %(desk)s is following this case", agent=named[0], desk=desk)
    # Two messages, not ngettext: the catalog's extraction keeps singular forms only (babel.cfg).
    agents = _(" and ").join(named) if len(named) == 2 else ", ".join(named)
    return _("%(agents)s from %(desk)s are following this case", agents=agents, desk=desk)


def this_customer_view() -> CustomerView | None:
    """This request's one read for the customer's page: the help desk's notice, the customer's recorded
    page and the case's version (app/staff/presence.py), made once whoever asks first (a kept step page,
    the page's notice, the position's write). None for staff or without a case in this browser. A result
    page that app/reports/early.py left to Flask brings the view it read for this case (READ_EARLY).

    A database that does not answer leaves it out rather than break the page, which may be the very
    page saying "your answer was not saved" (base.html shows the notice on every page).
    """
    if "customer_view" not in g:
        case_id = customer_case_id()
        early = request.environ.pop(READ_EARLY, None)
        try:
            if early is not None and case_id is not None and early[0] == case_id:
                g.customer_view = early[1]
            else:
                g.customer_view = customer_view(case_id) if case_id is not None else None
        except SQLAlchemyError as error:
            current_app.logger.warning("could not read the help desk's notice: %s", error.__class__.__name__)
            g.customer_view = None
    return g.customer_view


def own_case_version(view: CustomerView | None, case_id: int | None, reference: str, settings=None) -> tuple | None:
    """(id, updated_at, completed_at, owner_id) of the customer's own live case ``case_id`` when it is
    ``reference``, from the view read with the notice (one query for both): what finds a kept result page.
    ``settings``: the app's, outside its context (app/reports/early.py)."""
    case = view.case if view is not None else None
    if case is None or case.reference != reference or not within_retention(case.updated_at, settings):
        return None
    return case_id, case.updated_at, case.completed_at, case.owner_id


def agent_notice() -> AgentNotice | None:
    """This request's notice (the page and a cache key may both ask)."""
    if "agent_notice" not in g:
        g.agent_notice = _notice(this_customer_view())
    return g.agent_notice


def _notice(view: CustomerView | None) -> AgentNotice | None:
    if view is None:
        return None
    g.shown_customer_notes = [note.id for note in view.notes]
    if not view.followers and not view.notes:
        return None  # most pages: no desk's name to translate
    desk = help_desk_name()
    return AgentNotice(following_line(view.followers, desk), view.notes, desk)


def notice_key() -> tuple:
    """What the notice shows, for the key of a page kept in a cache (the result page): a page
    cached with one notice is never served with another."""
    notice = agent_notice()
    return (notice.following, tuple(note.id for note in notice.notes)) if notice else ()


def _after_customer_page(response: Response) -> Response:
    """Mark the notes a page showed as read, and record the wizard page the customer opened."""
    shown = g.pop("shown_customer_notes", None)
    if response.status_code != 200 or response.mimetype != "text/html":
        return response
    if shown:
        mark_read(shown)
    step = PAGES.get(request.endpoint) or ((request.view_args or {}).get("name")
                                           if request.endpoint == "wizard.step" else None)
    case_id = customer_case_id()
    if step and case_id is not None and request.method == "GET":
        view = this_customer_view()  # read with the notice (once per request); a page without it reads it here
        if view is not None:  # else the database did not answer the read: nor would it the write
            note_position(case_id, step, view.position)
    return response


def init_customer_notice(app: Flask) -> None:
    app.add_template_global(agent_notice)
    app.after_request(_after_customer_page)
