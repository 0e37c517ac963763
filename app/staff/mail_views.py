"""The case page's "Send the link by e-mail": the customer's secret link, and the plan as PDF when it exists."""
from __future__ import annotations

from flask import current_app, redirect, session, url_for
from flask_babel import force_locale, get_locale, gettext as _, lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import EmailField, RadioField
from wtforms.validators import Email, InputRequired, Length

from app.extensions import db, limiter
from app.store import Case
from app.web.analysis import StoredCertificateUnreadable
from app.web.i18n import LANGUAGE_NAMES
from app.web.templating import as_customer

from . import audit, bp
from .forms import NoteForm
from .mail import MailError, check_configured, link_message, mail_configured, send
from .models import CaseNote
from .views import _case, _link_url, _render_case

MAIL_SENT = "staff_mail_sent"  # session: (case id, what was sent) to say once beside the form after the POST


class SendLinkForm(FlaskForm):
    recipient = EmailField(_l("The customer's e-mail address"), validators=[
        InputRequired(_l("Enter the customer's e-mail address")), Length(max=254),
        Email(_l("Enter an e-mail address in the form name@example.com"))])
    language = RadioField(_l("Language of the message"), validators=[InputRequired(_l("Choose the language"))])

    def __init__(self, *args, **kwargs):
        # The case keeps no language of its own: the page's is the best guess, and the agent can change it.
        kwargs.setdefault("language", str(get_locale()))
        super().__init__(*args, prefix="mail", **kwargs)
        self.language.choices = [(code, LANGUAGE_NAMES[code]) for code in current_app.config["LANGUAGES"]]


@bp.app_template_global()
def send_link_form() -> SendLinkForm:
    """A fresh form for the case page (a failed send passes its own, with what was typed)."""
    return SendLinkForm(formdata=None)


@bp.app_template_global()
def mail_is_set_up() -> bool:
    return mail_configured()


@bp.app_template_global()
def mail_sent(case: Case) -> str | None:
    """What the last send of this case said, once: shown beside the form, where the agent is."""
    sent = session.get(MAIL_SENT)
    if not sent or sent[0] != case.id:
        return None
    session.pop(MAIL_SENT)
    return sent[1]


def mail_limit() -> str:
    return current_app.config["MAIL_LIMIT"]


def _per_staff_user() -> str:
    return f"staff-mail:{current_user.id}"


def _attachment(case: Case, language: str) -> bytes | None:
    """The plan as PDF as the customer reads it, in their language, once the wizard is complete (else there
    is no plan yet)."""
    if case.completed_at is None:
        return None
    from app.reports.views import plan_pdf  # here: the reports import the staff's notice for their cache key
    try:
        with force_locale(language), as_customer():
            return plan_pdf(case)
    except StoredCertificateUnreadable:  # the case page says so; the link still lets the customer add it again
        return None


@bp.post("/cases/<reference>/send-link")
@limiter.limit(mail_limit, key_func=_per_staff_user)
def send_link(reference: str):
    case = _case(reference)
    form = SendLinkForm()
    if not form.validate_on_submit():
        return _render_case(case, NoteForm(formdata=None), form=form, mail_form=form)
    language, recipient = form.language.data, form.recipient.data.strip()
    try:
        check_configured()
        pdf = _attachment(case, language)
        send(link_message(case, recipient, language, _link_url(case, "secret", lang=language), pdf))
    except MailError as error:
        return _render_case(case, NoteForm(formdata=None), mail_form=form, mail_error=str(error))
    # The note says to whom and how, never the link: its token opens the case.
    text = (_("Sent the customer's link by e-mail to %(address)s in %(language)s, with the plan as PDF.",
              address=recipient, language=LANGUAGE_NAMES[language]) if pdf else
            _("Sent the customer's link by e-mail to %(address)s in %(language)s.",
              address=recipient, language=LANGUAGE_NAMES[language]))
    db.session.add(CaseNote(case_id=case.id, author_id=current_user.id, text=text))
    audit.record(audit.LINK_MAILED, case)
    db.session.commit()
    session[MAIL_SENT] = (case.id, text)
    return redirect(url_for("staff.case", reference=case.reference, _anchor="mail-sent"))
