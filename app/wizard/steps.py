"""The step registry: order, skip rules, navigation and the check-page rows."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from flask import url_for
from flask_babel import lazy_gettext as _l

from app.remediation.answers import EXCHANGE_KINDS

from .forms.certificate import CertificateForm, ConnectorDomainForm
from .forms.fields import ContinueForm
from .forms.connector import ConnectorForm, ConnectorNameForm
from .forms.domains import DomainsForm
from .forms.scenarios import ScenariosForm
from .forms.server import ExchangeSetupForm, ServerDetailsForm, ServerForm
from .forms.start import StartForm

Answers = dict[str, dict]
CHECK = "check"  # the ?return= value that brings a changed answer back to the check page
# Steps with a view of their own; the rest share the generic one.
OWN_ENDPOINTS = {"start": "wizard.start", "certificate": "wizard.certificate",
                 "connector-domain": "wizard.connector_domain"}


# The certificate step's answer when the user goes on without a certificate file.
NO_CERTIFICATE = "none"


def _always(_answers: Answers) -> bool:
    return True


def _answer(answers: Answers, step: str, field: str, default=None):
    return (answers.get(step) or {}).get(field, default)


@dataclass(frozen=True)
class Step:
    """One page of the wizard.

    ``applies`` is asked before the answers it depends on exist too (for the
    "Step N of M" total): a step that depends on an unanswered question counts
    as applying, so the total is right from the start for the longest path and
    changes only when an answer removes a step.
    """
    name: str
    form: type
    title: object                     # lazy string: the page's h1 and the check-page group
    applies: Callable[[Answers], bool] = _always
    on_check_page: bool = True
    numbered: bool = True             # counts in "Step N of M"; an end page such as not-affected does not
    template: str = "wizard/step.html"


STEPS: tuple[Step, ...] = (
    Step("start", StartForm, _l("About this case")),
    Step("scenarios", ScenariosForm, _l("Does this affect you?")),
    Step("not-affected", ContinueForm, _l("You don't need to change anything"),
         applies=lambda a: _answer(a, "scenarios", "scenarios", []) == ["none"], on_check_page=False,
         numbered=False, template="wizard/not_affected.html"),
    Step("domains", DomainsForm, _l("Accepted domains")),
    Step("connector", ConnectorForm, _l("Existing connector")),
    Step("connector-name", ConnectorNameForm, _l("Existing connector's name"),
         applies=lambda a: _answer(a, "connector", "kind") != "none"),
    Step("server", ServerForm, _l("On-premises server")),
    Step("exchange-setup", ExchangeSetupForm, _l("How Exchange was connected"),
         applies=lambda a: _answer(a, "server", "kind") in EXCHANGE_KINDS + (None,)),
    Step("server-details", ServerDetailsForm, _l("Server name and MX endpoint")),
    Step("certificate", CertificateForm, _l("Certificate")),
    Step("connector-domain", ConnectorDomainForm, _l("Domain for the connector"),
         applies=lambda a: _answer(a, "certificate", "source") != NO_CERTIFICATE),
)

BY_NAME = {step.name: step for step in STEPS}


def applicable(answers: Answers) -> list[Step]:
    return [step for step in STEPS if step.applies(answers)]


NUMBERED = tuple(step for step in STEPS if step.numbered)


def position(step: Step, answers: Answers) -> tuple[int | None, int]:
    """("Step N of M") over the longest path: M never changes mid-journey, and a step an answer skips
    moves N on rather than M down ("Step 5 of 10", "of 9", then "Step 6 of 8" read as going back).
    N is None on an unnumbered page."""
    return (NUMBERED.index(step) + 1 if step in NUMBERED else None), len(NUMBERED)


def previous_step(step: Step, answers: Answers) -> Step | None:
    steps = applicable(answers)
    index = steps.index(step)
    return steps[index - 1] if index > 0 else None


def next_step(step: Step, answers: Answers, returning_to_check: bool) -> Step | None:
    """Where to go after saving ``step``; None means the check page.

    Coming from the check page, go back there unless the change made a new
    step apply that has no answer yet (say, an IP connector needs its name).
    """
    steps = applicable(answers)
    if returning_to_check:
        return first_unanswered(answers)
    later = steps[steps.index(step) + 1:]
    return later[0] if later else None


def first_unanswered(answers: Answers) -> Step | None:
    return next((step for step in applicable(answers) if step.name not in answers), None)


def step_url(step: Step | None, returning: bool = False) -> str:
    """A step's address (None: the check page); ``returning`` comes back to the check page."""
    if step is None:
        return url_for("wizard.check")
    extra = {"return": CHECK} if returning else {}
    if step.name in OWN_ENDPOINTS:
        return url_for(OWN_ENDPOINTS[step.name], **extra)
    return url_for("wizard.step", name=step.name, **extra)


def continue_url(case) -> str:
    """Where a reopened case picks up: its first unanswered step, the result once completed."""
    missing = first_unanswered(case.answers)
    if case.completed_at and missing is None:
        return url_for("reports.result", reference=case.reference)
    return step_url(missing)
