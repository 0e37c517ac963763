"""Rows of the "Check your answers" page, built from each step's form and answers."""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from wtforms import RadioField, SelectMultipleField

from app.store import Case

from .forms.domains import domains_as_read
from .steps import BY_NAME, NO_CERTIFICATE, applicable, step_url


@dataclass(frozen=True)
class Row:
    step: str
    label: str
    value: str | list[str]

    @property
    def change_url(self) -> str:
        return step_url(BY_NAME[self.step], returning=True)


def _display(field) -> str | list[str]:
    if isinstance(field, (SelectMultipleField, RadioField)):
        chosen = [str(option.label.text) for option in field if option.checked]
        return chosen if isinstance(field, SelectMultipleField) else (chosen[0] if chosen else "")
    return field.data or _("Not given")


def check_rows(case: Case) -> list[Row]:
    answers = case.answers
    rows: list[Row] = []
    for step in applicable(answers):
        if not step.on_check_page:
            continue
        data = answers.get(step.name) or {}
        if step.name == "domains":
            rows.append(Row(step.name, _("Accepted domains"), domains_as_read(data)))
        elif step.name == "certificate" and data.get("source") == NO_CERTIFICATE:
            rows.append(Row(step.name, _("Certificate"),
                            _("None yet: the plan starts with getting a certificate that fits")))
        elif step.name == "certificate":
            rows.append(Row(step.name, _("Certificate"), _("%(name)s (thumbprint %(thumbprint)s)",
                            name=data.get("common_name") or _("no common name"), thumbprint=data.get("thumbprint", ""))))
        elif step.name == "connector-domain":
            rows.append(Row(step.name, _("Domain for the connector"),
                            data.get("connector_domain") or _("None fits yet: see the findings")))
        else:
            form = step.form(data=data, meta={"csrf": False})
            for field in form:
                if field.type not in {"CSRFTokenField", "HiddenField", "SubmitField", "PasswordField", "FileField"}:
                    rows.append(Row(step.name, str(field.label.text), _display(field)))
    return rows
