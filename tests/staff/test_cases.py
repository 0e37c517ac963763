"""The case list and one case: search, filters, notes, hand-off, ownership, audit; customers never see notes."""
from __future__ import annotations

from app.extensions import db
from app.staff.models import AuditEvent
from app.store import Case, create_case, save_step
from tests.certfactory import DAY, NOW, make_hierarchy, to_pem
from tests.conftest import page, submit
from tests.staff.conftest import make_case
from tests.web.test_wizard import walk_to

NOTE = "Customer called: firewall team owes us the MX change (internal only)"


def rows(response) -> list[str]:
    return [th.get_text(" ", strip=True).split()[0] for th in page(response).select("tbody th[scope=row]")]


def audit_actions(app, reference: str) -> list[str]:
    with app.app_context():
        return [e.action for e in db.session.scalars(
            db.select(AuditEvent).where(AuditEvent.case_reference == reference).order_by(AuditEvent.id))]


def test_the_list_shows_each_case_with_its_verdict(app, agent, contoso):
    with app.app_context():
        started = make_case("Fabrikam", ["fabrikam.com"], "postfix", completed=False).reference
        self_signed = make_hierarchy("mail.tailspin.com", sans=["mail.tailspin.com"])
        blocked = make_case("Tailspin", ["tailspintoys.com"], pem=to_pem(self_signed.leaf.cert)).reference
    soup = page(agent.get("/staff/cases"))
    table = {tr.th.get_text(" ", strip=True).split()[0]: [td.get_text(" ", strip=True) for td in tr.find_all("td")]
             for tr in soup.select("tbody tr")}
    assert table[contoso][:4] == ["Contoso Ltd", "contoso.com", "Exchange Server 2019", "Ready"]
    assert table[started][3] == "In progress" and table[started][2] == "Postfix"
    assert table[blocked][3] == "Blocked"
    assert table[contoso][4] == "Nobody"


def test_the_list_shows_every_accepted_domain_in_the_order_given(app, agent, contoso):
    with app.app_context():
        several = make_case("Northwind", ["northwind.com", "mail.northwind.net", "a.northwind.org"]).reference
        first_step_only = create_case("Woodgrove")
        save_step(first_step_only, "start", {"role": "agent", "organization": "Woodgrove", "ticket": ""})
        db.session.commit()
        woodgrove = first_step_only.reference
    soup = page(agent.get("/staff/cases"))
    domains = {tr.th.get_text(" ", strip=True).split()[0]: tr.find_all("td")[1].get_text(" ", strip=True)
               for tr in soup.select("tbody tr")}
    assert domains == {several: "northwind.com, mail.northwind.net, a.northwind.org", woodgrove: "–",
                       contoso: "contoso.com"}
    opened = page(agent.get(f"/staff/cases/{several}")).get_text(" ", strip=True)
    assert "northwind.com, mail.northwind.net, a.northwind.org" in opened


def test_search_by_reference_organization_or_domain(app, agent, contoso):
    with app.app_context():
        fabrikam = make_case("Fabrikam", ["fabrikam.com", "northwind.example"]).reference
    assert rows(agent.get(f"/staff/cases?q={contoso}")) == [contoso]
    assert rows(agent.get(f"/staff/cases?q={contoso.lower().replace('-', ' ')}")) == [contoso]
    assert rows(agent.get("/staff/cases?q=fabri")) == [fabrikam]
    assert rows(agent.get("/staff/cases?q=northwind")) == [fabrikam]
    assert rows(agent.get("/staff/cases?q=100%25")) == []
    assert "No cases match" in page(agent.get("/staff/cases?q=nothing-like-this")).get_text()


def test_filters_by_verdict_server_and_status(app, agent, contoso):
    with app.app_context():
        started = make_case("Fabrikam", ["fabrikam.com"], "postfix", completed=False).reference
        case = db.session.scalar(db.select(Case).where(Case.reference == started))
        case.resolved_at = case.created_at
        db.session.commit()
    assert rows(agent.get("/staff/cases?verdict=ready")) == [contoso]
    assert rows(agent.get("/staff/cases?verdict=in_progress")) == [started]
    assert rows(agent.get("/staff/cases?verdict=blocked")) == []
    assert rows(agent.get("/staff/cases?server=postfix")) == [started]
    assert rows(agent.get("/staff/cases?resolved=resolved")) == [started]
    assert rows(agent.get("/staff/cases?resolved=open")) == [contoso]


def test_the_list_pages_through_many_cases(app, agent):
    with app.app_context():
        for number in range(23):
            make_case(f"Org {number:02d}", [f"org{number}.example"], completed=False)
    first = agent.get("/staff/cases?server=exchange-2019")
    assert len(rows(first)) == 20 and "23 cases" in page(first).select_one("#case-count").get_text()
    assert page(first).select_one("a[rel=prev]") is None
    next_link = page(first).select_one("a[rel=next]")["href"]
    assert "server=exchange-2019" in next_link and "older=" in next_link
    second = agent.get(next_link)
    assert len(rows(second)) == 3 and not set(rows(second)) & set(rows(first))
    assert page(second).select_one("a[rel=next]") is None
    back = agent.get(page(second).select_one("a[rel=prev]")["href"])
    assert rows(back) == rows(first)


def test_notes_are_added_listed_and_audited(app, agent, contoso):
    response = submit(agent, f"/staff/cases/{contoso}", {"text": NOTE})
    assert response.status_code == 404 or response.status_code == 405  # the form posts to /notes
    response = post_form(agent, f"/staff/cases/{contoso}", f"/staff/cases/{contoso}/notes", {"text": NOTE})
    assert response.status_code == 302
    soup = page(agent.get(f"/staff/cases/{contoso}"))
    assert NOTE in soup.select_one(".notes").get_text()
    assert "agent@helpdesk.example" in soup.select_one(".notes").get_text()
    assert audit_actions(app, contoso) == ["opened", "note_added"]


def test_an_empty_note_shows_the_error_summary(agent, contoso):
    response = post_form(agent, f"/staff/cases/{contoso}", f"/staff/cases/{contoso}/notes", {"text": "  "})
    soup = page(response)
    assert response.status_code == 200 and soup.title.get_text().startswith("Error: ")
    assert soup.select_one(".error-summary-list a")["href"] == "#text"


def post_form(client, page_url: str, action: str, data: dict | None = None):
    """Post the form on ``page_url`` whose action is ``action``, with that form's CSRF token."""
    form = page(client.get(page_url)).find("form", action=lambda a: a and a.split("#")[0] == action)
    assert form is not None, action
    return client.post(action, data={"csrf_token": form.find("input", attrs={"name": "csrf_token"})["value"],
                                     **(data or {})})


def test_pick_up_resolve_and_reopen(app, agent, contoso):
    url = f"/staff/cases/{contoso}"
    post_form(agent, url, f"{url}/pick-up")
    assert "agent@helpdesk.example" in page(agent.get(url)).select_one(".summary-list").get_text()
    assert page(agent.get(url)).find("form", action=f"{url}/pick-up") is None  # already mine
    post_form(agent, url, f"{url}/resolve")
    assert "Resolved on" in page(agent.get(url)).get_text()
    post_form(agent, url, f"{url}/resolve")
    assert "Resolved on" not in page(agent.get(url)).get_text()
    assert audit_actions(app, contoso) == ["opened", "picked_up", "resolved", "reopened"]


def test_action_buttons_need_the_csrf_token(agent, contoso):
    assert agent.post(f"/staff/cases/{contoso}/resolve").status_code == 400


def test_staff_start_a_case_and_get_its_secret_link(app, agent, client):
    response = submit(agent, "/staff/cases/new", {"organization": "Woodgrove Bank"})
    assert response.status_code == 302
    soup = page(agent.get(response.headers["Location"]))
    link = soup.select_one(".code-block code").get_text()
    assert "/resume/" in link
    with app.app_context():
        case = db.session.scalar(db.select(Case).where(Case.organization == "Woodgrove Bank"))
        assert link.endswith(case.secret_token) and case.owner_id is not None
        reference = case.reference
    assert audit_actions(app, reference)[:1] == ["created"]
    # The customer opens the link and carries on in the wizard.
    response = submit(client, link.split("localhost", 1)[1])  # the link asks first
    assert response.headers["Location"].endswith("/wizard/scenarios")
    # The link is shown once; reloading does not show it again.
    assert page(agent.get(f"/staff/cases/{reference}")).select_one("#link ~ .code-block") is None


def test_staff_pick_up_a_case_the_customer_started(app, agent, client, hierarchy):
    walk_to(client, hierarchy)
    with app.app_context():
        reference = db.session.scalar(db.select(Case.reference))
    url = f"/staff/cases/{reference}"
    post_form(agent, url, f"{url}/pick-up")
    assert audit_actions(app, reference) == ["opened", "picked_up"]


def test_staff_resume_keeps_them_signed_in(app, agent, contoso):
    response = post_form(agent, f"/staff/cases/{contoso}", f"/staff/cases/{contoso}/resume")
    assert response.status_code == 302
    assert agent.get("/staff/cases").status_code == 200
    with agent.session_transaction() as session:
        assert session["case_id"]
    assert "resumed" in audit_actions(app, contoso)


def test_staff_open_any_case_plan_but_customers_only_their_own(app, agent, client, contoso, hierarchy):
    assert agent.get(f"/cases/{contoso}").status_code == 200
    response = agent.get(f"/staff/cases/{contoso}/plan")
    assert response.headers["Location"] == f"/cases/{contoso}"
    assert "plan_viewed" in audit_actions(app, contoso)
    walk_to(client, hierarchy)  # the customer has a case of their own, not Contoso's
    assert client.get(f"/cases/{contoso}").status_code == 404
    assert client.get(f"/staff/cases/{contoso}").status_code == 302


def read_only_link(agent, reference: str) -> str:
    url = f"/staff/cases/{reference}"
    response = post_form(agent, url, f"{url}/read-only-link")
    link = page(agent.get(response.headers["Location"])).select_one(".code-block code").get_text()
    return link.split("localhost", 1)[1]


def test_read_only_link_shows_the_plan_and_nothing_else(app, agent, client, contoso):
    with app.app_context():
        other = make_case("Fabrikam", ["fabrikam.com"]).reference
    link = read_only_link(agent, contoso)
    assert link.startswith(f"/cases/{contoso}/view/")
    response = client.get(link)
    assert response.status_code == 200
    soup = page(response)
    assert contoso in soup.get_text() and other not in soup.get_text()
    assert not soup.find("a", href=lambda h: h and "/wizard/" in h)
    assert not soup.find("form")
    with app.app_context():
        secret = db.session.scalar(db.select(Case.secret_token).where(Case.reference == contoso))
    assert secret not in response.get_data(as_text=True)  # read-only must not leak the editing link
    with client.session_transaction() as session:
        assert "case_id" not in session  # reading the plan does not open the case
    token = link.rsplit("/", 1)[1]
    assert client.get(f"/cases/{other}/view/{token}").status_code == 404
    forged = token[:-1] + ("y" if token.endswith("x") else "x")  # one character off
    assert client.get(f"/cases/{contoso}/view/{forged}").status_code == 404
    assert read_only_link(agent, contoso) == link  # made once, then reused
    assert audit_actions(app, contoso).count("read_link_shown") == 2


def test_one_cases_links_never_open_another(app, agent, client, contoso):
    with app.app_context():
        other = make_case("Fabrikam", ["fabrikam.com"])
        other_token, other_reference = other.secret_token, other.reference
    submit(client, f"/resume/{other_token}")
    assert client.get(f"/cases/{contoso}").status_code == 404
    assert client.get(f"/cases/{other_reference}").status_code == 200
    assert contoso not in page(client.get(f"/cases/{other_reference}")).get_text()


def test_notes_never_reach_customer_pages(app, agent, client, contoso, hierarchy):
    walk_to(client, hierarchy)
    submit(client, "/wizard/check", {})
    with app.app_context():
        customer = db.session.scalar(db.select(Case).where(Case.reference != contoso))
        reference = customer.reference
    post_form(agent, f"/staff/cases/{reference}", f"/staff/cases/{reference}/notes", {"text": NOTE})
    link = read_only_link(agent, reference)
    customer_pages = [f"/cases/{reference}", link, "/wizard/check",
                      f"/cases/{reference}/plan.json", f"/cases/{reference}/remediation.ps1"]
    checked = 0
    for url in customer_pages:
        response = client.get(url)
        if response.status_code == 404 and url.endswith((".json", ".ps1")):
            continue
        assert response.status_code == 200, url
        assert NOTE not in response.get_data(as_text=True), url
        assert "internal only" not in response.get_data(as_text=True), url
        checked += 1
    assert checked >= 3


def test_the_audit_log_lists_actions_for_admins(app, agent, admin, contoso):
    post_form(agent, f"/staff/cases/{contoso}", f"/staff/cases/{contoso}/notes", {"text": NOTE})
    soup = page(admin.get("/staff/audit"))
    text = soup.select_one("tbody").get_text(" ")
    assert "agent@helpdesk.example" in text and "Added a note" in text and contoso in text
    assert NOTE not in soup.get_text()  # the log says what happened, not the note itself
    assert "Audit log" in page(admin.get("/staff/cases")).select_one(".staff-nav").get_text()
    assert "Audit log" not in page(agent.get("/staff/cases")).select_one(".staff-nav").get_text()


def test_a_reference_finds_that_case_alone_and_a_reference_like_word_still_finds_organizations(app, agent, contoso):
    with app.app_context():
        # "contoso1" reads as the reference KB-C0NT-0S01, which no case has: the words are searched.
        lookalike = make_case("Contoso1 Holding", ["contoso1.example"]).reference
        mentions = make_case(f"Mentions {contoso}", ["other.example"]).reference
    assert rows(agent.get(f"/staff/cases?q={contoso}")) == [contoso]  # not the case whose name holds it
    assert rows(agent.get("/staff/cases?q=contoso1")) == [lookalike]
    assert mentions in rows(agent.get("/staff/cases?q=mentions"))


def test_search_text_is_taken_literally(app, agent, contoso):
    for text in ('con"toso', "contoso OR x", "conto*", "%_%", "NEAR(contoso)", "'; DROP TABLE cases; --"):
        response = agent.get("/staff/cases", query_string={"q": text})
        assert response.status_code == 200 and rows(response) == [], text
    assert rows(agent.get("/staff/cases?q=CONTOSO.COM")) == [contoso]


def test_a_search_shorter_than_three_characters_asks_for_more(agent, contoso):
    response = agent.get("/staff/cases?q=co")
    soup = page(response)
    assert soup.title.get_text().startswith("Error: ")
    assert "Enter at least 3 characters" in soup.select_one(".error-summary").get_text()
    assert rows(response) == [contoso]  # the list stays, unfiltered


def test_a_domain_search_finds_the_domain_and_names_that_contain_it(app, agent, contoso):
    with app.app_context():
        lookalike = make_case("Not Contoso", ["notcontoso.com"]).reference
    assert set(rows(agent.get("/staff/cases?q=contoso.com"))) == {contoso, lookalike}
    assert rows(agent.get("/staff/cases?q=notcontoso.com")) == [lookalike]


def test_the_count_stops_at_its_cap(app, agent, monkeypatch):
    from app.staff import cases

    monkeypatch.setattr(cases, "COUNT_CAP", 5)
    with app.app_context():
        for number in range(6):
            make_case(f"Capped {number}", [f"capped{number}.example"], completed=False)
    assert "5 or more cases" in page(agent.get("/staff/cases")).select_one("#case-count").get_text()
    assert "1 case" in page(agent.get("/staff/cases?q=capped3")).select_one("#case-count").get_text()


def test_the_case_page_says_why_a_case_is_blocked(app, agent, hierarchy):
    """Issue 24, item 7: the staff case page showed BLOCKED and nothing more."""
    expired = make_hierarchy("mail.contoso.com", sans=["mail.contoso.com", "contoso.com"], not_after=NOW - DAY)
    with app.app_context():
        reference = make_case("Contoso Ltd", ["contoso.com"],
                              pem=to_pem(expired.leaf.cert, expired.intermediate.cert)).reference
    row = page(agent.get(f"/staff/cases/{reference}")).select_one("#verdict")
    assert "Blocked" in row.get_text() and "The certificate has expired" in row.get_text()
