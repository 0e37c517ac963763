"""The plan leads with the fix for the certificate's name (issue 10 items 1 and 4, issue 11 item 8).

Real certificates through app.certs, so the candidates and findings are the ones users get.
"""
from __future__ import annotations

import json

import pytest

from app.certs.analysis import analyze
from app.certs.model import NEEDS_ATTENTION, READY
from app.remediation import build_plan, plan_to_dict, render_powershell
from app.remediation.rules import BLOCKED, DONE, EXCHANGE_ONLINE, IN_PROGRESS, REGISTER_DOMAIN, TODO
from tests.certfactory import NOW, make_hierarchy
from tests.certs.conftest import store_knowing
from tests.remediation import factories as f
from tests.remediation.cases import TODAY
from tests.remediation.pwsh import errors, parse

STORE = store_knowing()


def plan_for(names, accepted, *, kind="exchange-2019", connector_domain=None):
    h = make_hierarchy(names[0], sans=names)
    report = analyze([h.leaf.cert, h.intermediate.cert], accepted, now=NOW, trust_store=STORE)
    return build_plan(f.answers(kind, "none", accepted_domains=accepted, connector_domain=connector_domain),
                      report, today=TODAY)


def item(plan, item_id):
    return next(i for i in plan.checklist if i.id == item_id)


def everything_said(plan) -> str:
    return json.dumps(plan_to_dict(plan)) + render_powershell(plan)


def test_host_name_under_an_accepted_domain_adds_the_host_name_with_the_wildcard_as_fallback():
    plan = plan_for(["mail.contoso.com"], ["contoso.com"])
    register = plan.checklist[0]
    assert (register.id, register.status, register.title) == (
        REGISTER_DOMAIN, TODO, "Add mail.contoso.com to Microsoft 365 as a domain")
    assert any("verifies mail.contoso.com at once" in d for d in register.details)
    fallback = next(d for d in register.details if "*.contoso.com" in d)
    assert "any other certificate under contoso.com" in fallback and "does not recommend" in fallback
    assert plan.connector_domain == "mail.contoso.com"
    assert plan.exchange_online.tls_sender_certificate_name == "mail.contoso.com"
    assert item(plan, EXCHANGE_ONLINE).status == TODO
    assert plan.verdict == NEEDS_ATTENTION  # not ready while mail.contoso.com is not accepted
    assert render_powershell(plan).index("# First: Add mail.contoso.com") < render_powershell(plan).index("# Step 1:")


def test_choosing_the_wildcard_fallback_needs_no_domain():
    plan = plan_for(["mail.contoso.com"], ["contoso.com"], connector_domain="*.contoso.com")
    assert plan.checklist[0].status == DONE
    assert "host_name_not_accepted_domain" in {w.code for w in plan.warnings}  # the risk stays stated
    assert plan.verdict == NEEDS_ATTENTION


def test_no_name_fits_leads_with_adding_the_domain_or_another_certificate():
    plan = plan_for(["mail.fabrikam.net"], ["contoso.com", "fabrikam.com"])
    register = plan.checklist[0]
    assert register.title == "Add mail.fabrikam.net to Microsoft 365 as a domain" and register.status == TODO
    assert any(d.startswith("Or get a certificate whose CN or SAN holds one of your accepted domains, "
                            "like contoso.com") for d in register.details)
    blocked = [i for i in plan.checklist if i.status == BLOCKED]
    assert blocked and {i.reason.code for i in blocked} == {"name_not_accepted"}
    assert all(i.details or i.code for i in blocked)  # blocked steps stay visible with their content
    script = render_powershell(plan)
    assert errors(parse(script)) == [] and "Not yet:" in script


@pytest.mark.parametrize("name", ["mail.contoso.local", "exch01.contoso.corp", "smtp.contoso.lan",
                                  "relay.contoso.internal"])
def test_internal_name_is_never_to_be_added_or_bought(name):
    plan = plan_for([name], ["contoso.com", "fabrikam.com"])
    register = plan.checklist[0]
    assert register.title == "Get a certificate whose name is one of your accepted domains"
    assert plan.connector_domain is None
    said = everything_said(plan)
    for advice in (f"Add {name}", f"enter {name}", f"{name} as an accepted domain", f"{name} as a domain",
                   f"certificate for {name}"):
        assert advice not in said
    assert item(plan, EXCHANGE_ONLINE).reason.code == "internal_name"
    assert "like mail.contoso.com" in " ".join(register.details)


def test_ready_certificate_with_a_connector_value_still_to_add_is_not_ready():
    h = make_hierarchy("mail.contoso.com", sans=["mail.contoso.com", "contoso.com"])
    report = analyze([h.leaf.cert, h.intermediate.cert], ["contoso.com"], now=NOW, trust_store=STORE)
    assert report.verdict == READY
    answers = f.answers(accepted_domains=["contoso.com"], connector_domain="mail.contoso.com")
    plan = build_plan(answers, report, today=TODAY)
    assert plan.checklist[0].status == TODO and plan.verdict == NEEDS_ATTENTION
    assert build_plan(f.answers(accepted_domains=["contoso.com"]), report, today=TODAY).verdict == READY


def test_without_a_certificate_the_plan_starts_with_getting_one():
    plan = build_plan(f.answers("postfix", "none", accepted_domains=["contoso.com"]), None, today=TODAY)
    register = plan.checklist[0]
    assert register.title == "Get a certificate whose name is one of your accepted domains"
    assert register.details[0] == "No certificate was added to this case yet."
    assert plan.verdict == IN_PROGRESS
    assert all(i.status == BLOCKED for i in plan.checklist[1:])



def test_an_internal_connector_value_given_through_the_api_is_refused_with_a_reason():
    plan = plan_for(["mail.contoso.local"], ["contoso.com"], connector_domain="mail.contoso.local")
    assert plan.connector_domain is None and plan.exchange_online.powershell == ""
    assert "connector_domain_internal" in {w.code for w in plan.warnings}
    assert plan.checklist[0].title == "Get a certificate whose name is one of your accepted domains"
