"""Field helpers shared by the step forms."""
from flask import g, has_request_context
from flask_wtf import FlaskForm
from wtforms import SelectMultipleField, widgets
from wtforms.fields.choices import SelectChoice

from app.web.templating import viewer_is_staff
from app.wizard.session import current_case

AGENT = "agent"  # the start step's role for a help-desk agent working for a customer


def options(*pairs) -> list[SelectChoice]:
    """(value, label) pairs as WTForms choices."""
    return [SelectChoice(value, label) for value, label in pairs]


def case_role(answers: dict) -> str | None:
    return (answers.get("start") or {}).get("role")


def viewer_role(case) -> str | None:
    """Whom a case's pages address: its role, except that a customer who opens a case the help desk
    started (it has a staff owner) is addressed as the customer ("your server"), not as a third party.
    Staff keep the agent's voice."""
    role = case_role(case.answers)
    if role == AGENT and case.owner_id is not None and not viewer_is_staff():
        return None
    return role


def wording_role() -> str | None:
    """Whom the questions address: the viewer of the case being shown (set by its view) or of the visitor's case."""
    if not has_request_context():
        return None
    if "wording_role" not in g:
        case = current_case()
        g.wording_role = viewer_role(case) if case else None
    return g.wording_role


class RoleText:
    """A label worded for who answers: the customer's admin ("our server") or an agent ("the customer's server").

    Chosen when the label is shown, so the same form class serves both.
    """

    def __init__(self, admin, agent):
        self.admin, self.agent = admin, agent

    def __str__(self) -> str:
        return str(self.agent if wording_role() == AGENT else self.admin)


class CheckboxesField(SelectMultipleField):
    """Several choices as check boxes (rendered by the checkboxes macro)."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class ContinueForm(FlaskForm):
    """A page with nothing to answer: only the Continue button (and its CSRF token)."""
