"""The wizard's reachable paths, enumerated from the step registry (app/wizard/steps.py).

A branch is an answer that changes which steps apply. They are found by trying
every choice of every step's form against the registry's skip rules, plus the
one answer no form field gives: going on without a certificate.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

from flask import Flask
from wtforms import RadioField, SelectMultipleField

from app.wizard.steps import NO_CERTIFICATE, STEPS, applicable

Branch = tuple[str, str, frozenset[str]]  # (step, field, the steps that then apply)


def applying(answers: dict) -> frozenset[str]:
    return frozenset(step.name for step in applicable(answers))


def step_choices(app: Flask) -> dict[tuple[str, str], list]:
    """Every choice field of every step: (step, field) -> the answers it can store."""
    found = {}
    with app.test_request_context():
        for step in STEPS:
            for form_field in step.form(meta={"csrf": False}):
                if isinstance(form_field, (RadioField, SelectMultipleField)) and form_field.choices:
                    multiple = isinstance(form_field, SelectMultipleField)
                    found[(step.name, form_field.name)] = [[value] if multiple else value
                                                           for value, *_rest in form_field.iter_choices()]
    return found


def registry_branches(app: Flask) -> set[Branch]:
    """Each distinct outcome of each choice that changes the route, and of the certificate's source."""
    branches = set()
    for (step, name), values in step_choices(app).items():
        outcomes = {applying({step: {name: value}}) for value in values}
        if len(outcomes) > 1:
            branches |= {(step, name, outcome) for outcome in outcomes}
    return branches | {("certificate", "source", applying({"certificate": {"source": source}}))
                       for source in ("file", NO_CERTIFICATE)}


def branches_taken(answers: dict, app: Flask) -> set[Branch]:
    """The branches that a path's saved answers took."""
    taken = {(step, name, applying({step: {name: answers[step][name]}}))
             for step, name in step_choices(app) if name in answers.get(step, {})}
    if "certificate" in answers:
        taken.add(("certificate", "source", applying({"certificate": answers["certificate"]})))
    return taken


@dataclass(frozen=True)
class Path:
    """One walk: the answers that choose the route, and the certificate case."""
    number: int
    role: str
    scenarios: list[str]
    connector: str
    server: str
    hybrid: str | None     # the Hybrid wizard answer on Exchange, None elsewhere
    certificate: object    # a tests.paths.certificates.CertificateCase

    @property
    def label(self) -> str:
        hybrid = f"-hybrid-{self.hybrid}" if self.hybrid else ""
        return (f"{self.number:02d}-{self.server}{hybrid}-connector-{self.connector}-"
                f"{'+'.join(self.scenarios)}-{self.certificate.name.replace(' ', '-')}")


def enumerate_paths(app: Flask, certificate_cases) -> list[Path]:
    """A representative cross product rather than all combinations: every server kind with each
    Hybrid wizard answer, every existing-connector kind, every scenario (so every branch) and every
    certificate case, the certificate cases twice, each time with another server."""
    choices = step_choices(app)
    servers = [(kind, hybrid) for kind in choices[("server", "kind")]
               for hybrid in (choices[("exchange-setup", "hybrid_wizard")]
                              if "exchange-setup" in applying({"server": {"kind": kind}}) else [None])]
    columns = [choices[("start", "role")], choices[("scenarios", "scenarios")], choices[("connector", "kind")]]
    count = max(len(servers), len(certificate_cases)) + len(certificate_cases)
    paths = [Path(i, *(column[i % len(column)] for column in columns), *servers[i % len(servers)],
                  certificate_cases[i % len(certificate_cases)])
             for i in range(count)]
    # The Hybrid Configuration Wizard always leaves a connector: "none" with "yes" is refused as a contradiction
    # (tests/web/test_wizard.py), so such a path answers that it found the wizard's certificate connector.
    return [replace(p, connector="certificate") if p.hybrid == "yes" and p.connector == "none" else p for p in paths]
