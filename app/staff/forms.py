"""Forms of the staff pages."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, PasswordField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from app.store import _organization_key as organization_key
from app.store import normalize_reference
from app.wizard.forms.fields import options
from app.wizard.forms.server import SERVER_CHOICES
from app.wizard.forms.start import StartForm

from .cases import MIN_SEARCH

VERDICT_CHOICES = options(
    ("", _l("Any")),
    ("in_progress", _l("In progress")),
    ("ready", _l("Ready")),
    ("needs_attention", _l("Needs attention")),
    ("blocked", _l("Blocked")),
)
RESOLVED_CHOICES = options(("", _l("Any")), ("open", _l("Open")), ("resolved", _l("Resolved")))


class SignInForm(FlaskForm):
    email = EmailField(_l("Email address"), validators=[
        InputRequired(_l("Enter your email address")), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[
        InputRequired(_l("Enter your password")), Length(max=1024)])


class SearchForm(FlaskForm):
    """The case list's search and filters: a GET form, so no CSRF token."""

    class Meta:
        csrf = False

    q = StringField(_l("Reference, organization or domain"), validators=[Optional(), Length(max=200)])

    def validate_q(self, field) -> None:
        text = (field.data or "").strip()
        if text and len(text) < MIN_SEARCH and not normalize_reference(text):
            raise ValidationError(_l("Enter at least %(num)d characters of a reference, organization or domain", num=MIN_SEARCH))
    verdict = SelectField(_l("Verdict"), choices=VERDICT_CHOICES, validators=[Optional()])
    server = SelectField(_l("Server"), choices=[options(("", _l("Any")))[0], *SERVER_CHOICES], validators=[Optional()])
    resolved = SelectField(_l("Status"), choices=RESOLVED_CHOICES, validators=[Optional()])


class ActionForm(FlaskForm):
    """A button that changes something: only its CSRF token."""


class NoteForm(FlaskForm):
    text = TextAreaField(
        _l("Add an internal note"),
        description=_l("Only staff see notes. The customer never does."),
        validators=[DataRequired(_l("Enter the note's text")),
                    Length(max=4000, message=_l("Enter a note of 4,000 characters or fewer"))])


CUSTOMER_NOTE_MAX = 500


class CustomerNoteForm(FlaskForm):
    """A short word from the agent, shown once at the top of the customer's next page."""

    message = TextAreaField(
        _l("Note for the customer"),
        description=_l("Shown once, at the top of the customer's next page, and kept with the case's notes."),
        validators=[DataRequired(_l("Enter the note for the customer")),
                    Length(max=CUSTOMER_NOTE_MAX, message=_l("Enter a note of 500 characters or fewer"))])


class NewCaseForm(FlaskForm):
    """The wizard's first step, answered by the agent: organization and ticket (StartForm's fields)."""

    organization = StartForm.organization
    ticket = StartForm.ticket


class OrganizationForm(FlaskForm):
    """Which organization to export or erase: a GET form, so no CSRF token."""

    class Meta:
        csrf = False

    name = StringField(_l("Organization"), description=_l("As on its cases. Case and spaces do not count."),
                       validators=[InputRequired(_l("Enter the organization's name")), Length(max=200)])


class ExportForm(FlaskForm):
    name = HiddenField(validators=[InputRequired(), Length(max=200)])


class EraseForm(FlaskForm):
    name = HiddenField(validators=[InputRequired(), Length(max=200)])
    confirm = StringField(_l("Type the organization's name to confirm"),
                          validators=[InputRequired(_l("Type the organization's name to confirm the erasure")),
                                      Length(max=200)])

    def validate_confirm(self, field) -> None:
        if organization_key(field.data or "") != organization_key(self.name.data or ""):
            raise ValidationError(_l("Type the organization's name as shown above to confirm the erasure"))
