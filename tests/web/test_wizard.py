"""The wizard through the test client: every step valid and invalid, navigation, resume."""
from __future__ import annotations

import io
import re

import pytest

from app.extensions import db
from bench.client import wizard_answers
from app.store import Case
from tests.certfactory import make_leaf, to_pem, to_pkcs12
from tests.conftest import page, submit

START = {"role": "agent", "organization": "Contoso Ltd", "ticket": "INC-42"}


def walk_to(client, hierarchy, stop: str | None = None):
    """Answer the steps in order up to (not including) ``stop``."""
    steps = wizard_answers("Contoso Ltd", to_pem(hierarchy.leaf.cert, hierarchy.intermediate.cert).decode())
    for url, data in steps:
        if stop and url.endswith(stop):
            return
        response = submit(client, url, data)
        assert response.status_code == 302, (url, page(response).select(".error-message"))


def errors_of(response) -> list[str]:
    soup = page(response)
    return [li.get_text(strip=True) for li in soup.select(".error-summary-list li")]


def test_start_requires_role_and_organization(client):
    response = submit(client, "/wizard/start", {})
    assert response.status_code == 200
    soup = page(response)
    assert soup.title.get_text().startswith("Error: ")
    assert errors_of(response) == ["Select who is working on this case", "Enter the organization's name"]
    # The summary links to the fields.
    assert [a["href"] for a in soup.select(".error-summary-list a")] == ["#role-0", "#organization"]
    assert soup.find(id="role-0") is not None and soup.find(id="organization") is not None


def test_start_creates_a_case_and_keeps_only_its_id_in_the_cookie(client, app):
    response = submit(client, "/wizard/start", START)
    assert response.headers["Location"].endswith("/wizard/scenarios")
    with app.app_context():
        case = db.session.scalars(db.select(Case)).one()
        assert case.organization == "Contoso Ltd"
        assert case.answers["start"]["ticket"] == "INC-42"
        assert case.reference.startswith("KB-") and len(case.reference) == 12
    with client.session_transaction() as session:
        # Only the case id and framework bookkeeping: no answers in the cookie.
        assert session["case_id"] == case.id
        assert set(session) - {"_permanent", "_fresh", "csrf_token"} == {"case_id"}
        assert "Contoso" not in repr(dict(session))


def test_steps_show_progress_and_back_link(client, hierarchy):
    walk_to(client, hierarchy, stop="connector")
    soup = page(client.get("/wizard/connector"))
    assert "Step 4 of" in soup.select_one(".caption").get_text()
    assert soup.select_one(".back-link")["href"].endswith("/wizard/domains")


def test_scenarios_none_ends_at_not_affected_which_offers_to_continue_anyway(client):
    submit(client, "/wizard/start", START)
    response = submit(client, "/wizard/scenarios", {"scenarios": ["none"]})
    assert response.headers["Location"].endswith("/wizard/not-affected")
    soup = page(client.get("/wizard/not-affected"))
    assert soup.h1.get_text() == "You don't need to change anything"
    assert "does not depend on the rule in KB 3169958" in soup.get_text()  # the reason
    assert "Step" not in soup.select_one(".caption").get_text()  # an end, not a numbered step
    assert soup.select_one(".caption").get_text().startswith("Case KB-")
    assert soup.find("a", string="Change your answer")["href"].endswith("/wizard/scenarios")
    response = submit(client, "/wizard/not-affected", {})
    assert response.headers["Location"].endswith("/wizard/domains")
    assert "Step 3 of 10" in page(client.get("/wizard/domains")).select_one(".caption").get_text()


def test_scenarios_none_with_others_is_refused(client):
    submit(client, "/wizard/start", START)
    response = submit(client, "/wizard/scenarios", {"scenarios": ["none", "ndr"]})
    assert errors_of(response) == ["Select 'None of these' on its own, or clear it"]


def test_domains_report_bad_lines_by_number_and_keep_the_text(client):
    submit(client, "/wizard/start", START)
    response = submit(client, "/wizard/domains", {"accepted_domains": "contoso.com\nnot a domain\nfabrikam.com"})
    assert response.status_code == 200
    assert "Line 2" in errors_of(response)[0]
    assert "not a domain" in page(response).find("textarea").get_text()


def test_domains_accept_get_accepted_domain_output(client, app):
    submit(client, "/wizard/start", START)
    table = ("Name          DomainName     DomainType     Default\n"
             "----          ----------     ----------     -------\n"
             "contoso.com   Contoso.COM    Authoritative  True\n"
             "fabrikam.com  fabrikam.com.  Authoritative  False\n")
    assert submit(client, "/wizard/domains", {"accepted_domains": table}).status_code == 302
    with app.app_context():
        case = db.session.scalars(db.select(Case)).one()
        assert case.answers["domains"]["domains"] == ["contoso.com", "fabrikam.com"]


def test_connector_name_is_skipped_without_a_connector(client):
    submit(client, "/wizard/start", START)
    submit(client, "/wizard/scenarios", {"scenarios": ["ndr"]})
    submit(client, "/wizard/domains", {"accepted_domains": "contoso.com"})
    response = submit(client, "/wizard/connector", {"kind": "none"})
    assert response.headers["Location"].endswith("/wizard/server")


def test_server_details_reject_smtp_office365(client, hierarchy):
    walk_to(client, hierarchy, stop="server-details")
    response = submit(client, "/wizard/server-details", {"fqdn": "mail.contoso.com", "mx_endpoint": "smtp.office365.com"})
    assert response.status_code == 200
    [message] = errors_of(response)
    assert "SMTP AUTH" in message and "5.7.57" in message


def test_certificate_errors_name_the_problem(client, hierarchy):
    walk_to(client, hierarchy, stop="certificate")
    empty = submit(client, "/wizard/certificate", {})
    assert errors_of(empty) == ["Upload the certificate file, or paste the certificate"]
    # Issue 24, item 9: an empty file is not "no file chosen".
    zero = submit(client, "/wizard/certificate", {"certificate_file": (io.BytesIO(b""), "server.cer")},
                  content_type="multipart/form-data")
    assert errors_of(zero) == ["The file server.cer is empty: choose the file that holds the certificate"]
    pfx = to_pkcs12(hierarchy.leaf, hierarchy.intermediate.cert, password="s3cret")
    needs_password = submit(client, "/wizard/certificate",
                            {"certificate_file": (io.BytesIO(pfx), "server.pfx")},
                            content_type="multipart/form-data")
    assert "password" in errors_of(needs_password)[0].lower()
    csr_like = submit(client, "/wizard/certificate", {"certificate_text": "hello, not a certificate"})
    assert errors_of(csr_like) and "certificate" in errors_of(csr_like)[0].lower()


def test_pfx_upload_keeps_certificates_but_never_the_key(client, hierarchy, app):
    walk_to(client, hierarchy, stop="certificate")
    pfx = to_pkcs12(hierarchy.leaf, hierarchy.intermediate.cert, password="s3cret")
    response = submit(client, "/wizard/certificate",
                      {"certificate_file": (io.BytesIO(pfx), "server.pfx"), "password": "s3cret"},
                      content_type="multipart/form-data")
    assert response.headers["Location"].endswith("/wizard/connector-domain")
    with app.app_context():
        case = db.session.scalars(db.select(Case)).one()
        assert "BEGIN CERTIFICATE" in case.certificate_pem
        assert "PRIVATE KEY" not in case.certificate_pem
        assert "s3cret" not in repr(case.answers)


def test_connector_domain_offers_the_candidates(client, hierarchy):
    walk_to(client, hierarchy, stop="connector-domain")
    soup = page(client.get("/wizard/connector-domain"))
    values = [i["value"] for i in soup.select("input[name=connector_domain]")]
    # contoso.com is on the certificate and accepted; mail.contoso.com only lies under it.
    assert values == ["contoso.com", "*.contoso.com"]
    assert soup.select_one("input[name=connector_domain][checked]")["value"] == "contoso.com"


def test_check_page_lists_answers_with_change_links_that_return(client, hierarchy):
    walk_to(client, hierarchy)
    soup = page(client.get("/wizard/check"))
    assert soup.h1.get_text() == "Check your answers"
    text = soup.get_text(" ")
    assert "Contoso Ltd" in text and "fabrikam.com" in text and "Exchange Server 2019" in text
    change = next(a["href"] for a in soup.select(".summary-actions a") if "/wizard/server?" in a["href"])
    response = submit(client, change, {"kind": "postfix"})
    # Postfix needs no Exchange question: straight back to the check page.
    assert response.headers["Location"].endswith("/wizard/check")
    assert "Postfix" in page(client.get("/wizard/check")).get_text()


def test_changing_to_a_connector_asks_its_name_then_returns(client, hierarchy):
    walk_to(client, hierarchy)
    submit(client, "/wizard/connector?return=check", {"kind": "none"})
    response = submit(client, "/wizard/connector?return=check", {"kind": "certificate"})
    assert response.headers["Location"].endswith("/wizard/check")  # the name was kept from before


def test_resume_by_reference_needs_the_organization(client, hierarchy, app):
    walk_to(client, hierarchy, stop="server")
    with app.app_context():
        case = db.session.scalars(db.select(Case)).one()
        reference, token = case.reference, case.secret_token
    other = app.test_client()
    wrong = submit(other, "/resume", {"reference": reference, "organization": "Someone Else"})
    assert wrong.status_code == 200 and "No saved case matches" in errors_of(wrong)[0]
    right = submit(other, "/resume", {"reference": reference.lower().replace("-", " "), "organization": "contoso ltd"})
    assert right.headers["Location"].endswith("/wizard/server")
    third = app.test_client()
    assert submit(third, f"/resume/{token}").headers["Location"].endswith("/wizard/server")
    assert app.test_client().get("/resume/not-the-token").status_code == 404


@pytest.mark.parametrize("typed", ["Contoso Ltd.", "Contoso  Ltd", " contoso ltd. "])
def test_resume_forgives_a_final_full_stop_and_extra_spaces(client, hierarchy, app, typed):
    """Issue 24, item 10: saved as "Contoso Ltd", typed again as "Contoso Ltd." or with a double space."""
    walk_to(client, hierarchy, stop="server")
    with app.app_context():
        reference = db.session.scalars(db.select(Case)).one().reference
    response = submit(app.test_client(), "/resume", {"reference": reference, "organization": typed})
    assert response.status_code == 302 and response.headers["Location"].endswith("/wizard/server")


def test_steps_without_a_case_go_to_start(client):
    assert client.get("/wizard/domains").headers["Location"].endswith("/wizard/start")


def test_start_page_offers_to_continue_or_start_a_new_case(client, app):
    submit(client, "/wizard/start", START)
    soup = page(client.get("/"))
    assert soup.find("a", string=lambda s: s and s.startswith("Continue case KB-"))["href"].endswith("/wizard/scenarios")
    token = soup.find("input", attrs={"name": "csrf_token"})["value"]
    response = client.post("/wizard/new", data={"csrf_token": token})
    assert response.headers["Location"].endswith("/wizard/start")
    assert page(client.get("/wizard/start")).find(id="organization").get("value") == ""
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Case.id))) == 1  # the first case stays saved


def caption(client, url) -> str:
    return page(client.get(url)).select_one(".caption").get_text()


def test_the_step_total_never_shrinks_mid_journey(client, hierarchy):
    """Issue 24, item 8: "Step 5 of 10", then "of 9", then "Step 6 of 8" read as going back. A skipped step moves
    the number on; the total stays."""
    submit(client, "/wizard/start", START)
    assert caption(client, "/wizard/start") == "Step 1 of 10"
    submit(client, "/wizard/scenarios", {"scenarios": ["ndr"]})
    submit(client, "/wizard/domains", {"accepted_domains": "contoso.com"})
    assert caption(client, "/wizard/connector") == "Step 4 of 10"
    submit(client, "/wizard/connector", {"kind": "none"})  # no connector: no question about its name
    assert caption(client, "/wizard/server") == "Step 6 of 10"
    submit(client, "/wizard/server", {"kind": "postfix"})  # not Exchange: no Hybrid wizard question
    assert caption(client, "/wizard/server-details") == "Step 8 of 10"


def upload_text(client, hierarchy, *certs):
    walk_to(client, hierarchy, stop="certificate")
    return submit(client, "/wizard/certificate", {"certificate_text": to_pem(*certs).decode()})


def test_no_name_fits_continues_to_a_plan_that_leads_with_the_fix(client, hierarchy):
    """Issue 10, item 1: mail.fabrikam.net against contoso.com and fabrikam.com used to dead-end."""
    leaf = make_leaf(hierarchy.intermediate, "mail.fabrikam.net")
    upload_text(client, hierarchy, leaf.cert, hierarchy.intermediate.cert)
    soup = page(client.get("/wizard/connector-domain"))
    assert "No name on this certificate works yet" in soup.get_text()
    assert [i["value"] for i in soup.select("input[name=connector_domain]")] == ["mail.fabrikam.net"]
    response = submit(client, "/wizard/connector-domain", {"connector_domain": "mail.fabrikam.net"})
    assert response.headers["Location"].endswith("/wizard/check")
    result = submit(client, "/wizard/check", {})
    plan = page(client.get(result.headers["Location"]))
    first = plan.select_one(".checklist-item h3").get_text(" ", strip=True)
    assert first.startswith("Before step 1: Add mail.fabrikam.net to Microsoft 365 as a domain")
    waiting = plan.select(".checklist-item .waits-for")
    assert waiting and all(p.a["href"] == "#step-register-domain" for p in waiting)  # the step that fixes it


def test_internal_name_continues_without_a_choice(client, hierarchy):
    leaf = make_leaf(hierarchy.intermediate, "mail.contoso.local")
    upload_text(client, hierarchy, leaf.cert, hierarchy.intermediate.cert)
    soup = page(client.get("/wizard/connector-domain"))
    assert soup.select("input[name=connector_domain]") == []
    assert soup.find("a", string="Upload another certificate")["href"].endswith("/wizard/certificate")
    assert "No public CA issues a certificate for them" in soup.select_one(".findings").get_text()
    assert submit(client, "/wizard/connector-domain", {}).headers["Location"].endswith("/wizard/check")
    assert "None fits yet" in page(client.get("/wizard/check")).get_text()


def test_going_on_without_a_certificate_skips_the_domain_choice(client, hierarchy, app):
    walk_to(client, hierarchy, stop="certificate")
    soup = page(client.get("/wizard/certificate"))
    token = soup.find("input", attrs={"name": "skip-csrf_token"})["value"]
    assert client.post("/wizard/certificate/skip", data={}).status_code == 400  # no token, no change
    response = client.post("/wizard/certificate/skip", data={"skip-csrf_token": token})
    assert response.headers["Location"].endswith("/wizard/check")
    check = page(client.get("/wizard/check"))
    assert "None yet: the plan starts with getting a certificate that fits" in check.get_text()
    assert client.get("/wizard/connector-domain").headers["Location"].endswith("/wizard/check")
    result = submit(client, "/wizard/check", {})
    plan = page(client.get(result.headers["Location"]))
    assert plan.select_one(".checklist-item h3").get_text(" ", strip=True).startswith(
        "Before step 1: Get a certificate whose name is one of your accepted domains")


def test_changing_the_accepted_domains_asks_for_the_connector_domain_again(client, hierarchy):
    walk_to(client, hierarchy)
    response = submit(client, "/wizard/domains?return=check", {"accepted_domains": "mail.contoso.com"})
    assert response.headers["Location"].endswith("/wizard/connector-domain?return=check")
    values = [i["value"] for i in page(client.get("/wizard/connector-domain")).select("input[name=connector_domain]")]
    assert values == ["mail.contoso.com"]  # contoso.com was the choice; it is no longer accepted
    # The same domains again change nothing: straight back to the check page.
    submit(client, "/wizard/connector-domain", {"connector_domain": "mail.contoso.com"})
    again = submit(client, "/wizard/domains?return=check", {"accepted_domains": "mail.contoso.com"})
    assert again.headers["Location"].endswith("/wizard/check")


def test_a_web_address_as_an_accepted_domain_is_asked_about_not_cut_silently(client):
    """Issue 24, item 16: https://www.tailspintoys.com/ became www.tailspintoys.com without a word."""
    submit(client, "/wizard/start", START)
    submit(client, "/wizard/scenarios", {"scenarios": ["ndr"]})
    response = submit(client, "/wizard/domains", {"accepted_domains": "contoso.com\nhttps://www.tailspintoys.com/"})
    assert response.status_code == 200
    assert errors_of(response) == ['Line 2: "https://www.tailspintoys.com/" is a web address; enter the domain itself, '
                                   'like www.tailspintoys.com or tailspintoys.com, whichever is the accepted domain']
    assert submit(client, "/wizard/domains", {"accepted_domains": "contoso.com\ntailspintoys.com"}).status_code == 302


def test_the_hybrid_wizard_with_no_connector_is_questioned(client):
    """Issue 24, item 14: "set up by the HCW" after "no connector exists" went unquestioned, and the plan said both
    "run the Hybrid wizard again" and "add a connector"."""
    submit(client, "/wizard/start", START)
    submit(client, "/wizard/scenarios", {"scenarios": ["ndr"]})
    submit(client, "/wizard/domains", {"accepted_domains": "contoso.com"})
    submit(client, "/wizard/connector", {"kind": "none"})
    submit(client, "/wizard/server", {"kind": "exchange-2019"})
    response = submit(client, "/wizard/exchange-setup", {"hybrid_wizard": "yes", "egress": "mailbox"})
    assert response.status_code == 200
    assert "the answer before says there is no connector yet" in errors_of(response)[0]
    assert submit(client, "/wizard/exchange-setup", {"hybrid_wizard": "no", "egress": "mailbox"}).status_code == 302


def test_the_refusal_of_a_document_lists_the_same_file_types_as_the_hint(client, hierarchy):
    """Issue 24, cosmetic: the .docx error listed 5 types where the hint above the field lists 7."""
    walk_to(client, hierarchy, stop="certificate")
    hint = page(client.get("/wizard/certificate")).select_one("#certificate_file-hint").get_text()
    response = submit(client, "/wizard/certificate", {"certificate_file": (io.BytesIO(b"PK\x03\x04 not a cert"),
                                                                           "notes.docx")},
                      content_type="multipart/form-data")
    types = re.compile(r"\.(?:cer|crt|pem|der|p7b|pfx|p12)\b")
    assert types.findall(errors_of(response)[0]) == types.findall(hint)
