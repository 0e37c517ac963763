"""Issue 24: a plan an admin can scan. The verdict and the blocker come first, each reason is said once,
the checks read as pass / fail lines, and the dry run is never copied with the change."""
from __future__ import annotations

import re
import subprocess
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import hashes

from app.reports.outline import BLOCKER_HEADLINES
from app.web.templating import code_parts
from tests.certfactory import make_intermediate, make_key, make_leaf, make_root, to_pem
from tests.conftest import page, submit
from tests.web.test_wizard import walk_to

NOW = datetime.now(timezone.utc)
CERTS = Path(__file__).resolve().parents[2] / "app" / "certs"


def error_codes_the_analysis_raises() -> set[str]:
    """Every finding code app/certs raises as an error, read from its source: a new one must get a headline."""
    found = set()
    for module in CERTS.glob("*.py"):
        if module.name == "request.py":  # a signing request's findings (issue 25) never reach a plan
            continue
        found |= set(re.findall(r'Finding\(\s*"([a-z_]+)",\s*ERROR\b', module.read_text()))
    return found


def test_every_error_the_analysis_raises_has_a_headline():
    codes = error_codes_the_analysis_raises()
    assert len(codes) >= 9
    assert codes <= set(BLOCKER_HEADLINES), codes - set(BLOCKER_HEADLINES)


def _private_ca_leaf(hierarchy):
    root = make_root("Contoso Private Root")
    issuing = make_intermediate(root, "Contoso Issuing CA")
    return [make_leaf(issuing, "mail.contoso.com", sans=["mail.contoso.com", "contoso.com"]).cert, issuing.cert]


def _leaf(hierarchy, cn="mail.contoso.com", **options):
    options.setdefault("sans", [cn, "contoso.com"] if cn.endswith("contoso.com") else [cn])
    return [make_leaf(hierarchy.intermediate, cn, **options).cert, hierarchy.intermediate.cert]


def _rsa_signed_leaf(hierarchy, **options):
    """SHA-1 needs an RSA issuer: one under the trusted test root, so that only the signature blocks."""
    issuing = make_intermediate(hierarchy.root, "RSA Issuing CA", key=make_key("rsa", 2048))
    return [make_leaf(issuing, "mail.contoso.com", sans=["mail.contoso.com", "contoso.com"], **options).cert,
            issuing.cert]


# One real certificate per blocker the analysis raises.
BLOCKED_BY = {
    "self_signed": lambda h: [make_leaf(None, "mail.contoso.com", sans=["mail.contoso.com", "contoso.com"]).cert],
    "untrusted_root": _private_ca_leaf,
    "ca_certificate_only": lambda h: [h.intermediate.cert],
    "expired": lambda h: _leaf(h, not_before=NOW - timedelta(days=400), not_after=NOW - timedelta(days=1)),
    "not_yet_valid": lambda h: _leaf(h, not_before=NOW + timedelta(days=10), not_after=NOW + timedelta(days=300)),
    "weak_key": lambda h: _leaf(h, key_type="rsa", key_size=1024),
    "weak_signature": lambda h: _rsa_signed_leaf(h, hash_alg=hashes.SHA1()),
    "name_not_accepted": lambda h: _leaf(h, "mail.fabrikam.net"),
    "internal_name": lambda h: _leaf(h, "mail.contoso.local"),
}


def plan_for(client, hierarchy, certs) -> tuple:
    walk_to(client, hierarchy, stop="certificate")
    response = submit(client, "/wizard/certificate", {"certificate_text": to_pem(*certs).decode()})
    if response.headers.get("Location", "").endswith("/wizard/connector-domain"):
        offered = [i["value"] for i in page(client.get("/wizard/connector-domain")).select("input[name=connector_domain]")]
        submit(client, "/wizard/connector-domain", {"connector_domain": offered[0]} if offered else {})
    result = submit(client, "/wizard/check", {}).headers["Location"]
    return page(client.get(result)), client.get(result + "/plan.json").json


def server_steps(hierarchy, kind: str = "exchange-2019") -> list[tuple[str, dict]]:
    """The wizard's steps from the server question to the certificate's name, for an Exchange server."""
    return [("/wizard/server", {"kind": kind}),
            ("/wizard/exchange-setup", {"hybrid_wizard": "no", "egress": "mailbox"}),
            ("/wizard/server-details", {"fqdn": "mail.contoso.com", "mx_endpoint": "contoso-com.mail.protection.outlook.com"}),
            ("/wizard/certificate", {"certificate_text": to_pem(hierarchy.leaf.cert, hierarchy.intermediate.cert).decode()}),
            ("/wizard/connector-domain", {"connector_domain": "contoso.com"})]


def first_words_after_the_h1(soup) -> str:
    """The headings and first paragraph a person reads under the page's title, before anything else."""
    section = soup.find("h1").find_next(["section", "div", "p", "h2", "dl", "ul", "ol"])
    assert "plan-answer" in section.get("class", []), section
    words = [h.get_text(" ", strip=True) for h in section.find_all(["h2", "h3"])] + [section.p.get_text(" ", strip=True)]
    return " ".join(" ".join(words).split())


def visible_text(soup) -> str:
    return " ".join(soup.select_one("main").get_text(" ").split())


@pytest.mark.parametrize("code", sorted(BLOCKED_BY))
def test_a_blocked_plan_opens_with_its_blocker_and_says_its_reason_once(client, hierarchy, code):
    soup, plan = plan_for(client, hierarchy, BLOCKED_BY[code](hierarchy))
    assert plan["verdict"] == "blocked"
    assert code in {f["code"] for f in plan["findings"] if f["severity"] == "error"}
    assert BLOCKER_HEADLINES[code] in first_words_after_the_h1(soup)
    text = visible_text(soup)
    for finding in plan["findings"]:
        if finding["severity"] == "error":
            assert text.count(" ".join(finding["message"].split())) == 1, finding["code"]
    # The steps that wait say so by pointing to the blocker, not by repeating it.
    waiting = soup.select(".checklist-item .waits-for a")
    assert waiting and all(soup.select_one(a["href"]) is not None for a in waiting)
    assert "Blocked until this is fixed" not in text


def test_a_plan_without_a_certificate_opens_with_getting_one(client, hierarchy):
    walk_to(client, hierarchy, stop="certificate")
    token = page(client.get("/wizard/certificate")).find("input", attrs={"name": "skip-csrf_token"})["value"]
    assert client.post("/wizard/certificate/skip", data={"skip-csrf_token": token}).status_code == 302
    result = submit(client, "/wizard/check", {}).headers["Location"]
    soup = page(client.get(result))
    first = first_words_after_the_h1(soup)
    assert "No certificate yet" in first and "Get a certificate" in first
    opened = soup.select("details.step[open]")
    assert [d.find_parent("li")["id"] for d in opened] == ["step-register-domain"]


def test_a_ready_plan_opens_with_its_verdict_and_first_step_and_lists_the_checks_as_lines(client, hierarchy):
    soup, plan = plan_for(client, hierarchy, [hierarchy.leaf.cert, hierarchy.intermediate.cert])
    first = first_words_after_the_h1(soup)
    assert first.startswith("Ready Nothing blocks the relay") and "First: Step 1: Create the connector" in first
    lines = [" ".join(li.get_text(" ", strip=True).split()) for li in soup.select("#check-issuer, #check-dates")]
    assert lines == ["Pass Issued by a public CA", "Pass Valid today and not about to expire"]
    # Only the first step to do is open; the rest open on demand (and print open).
    assert len(soup.select("details.step[open]")) == 1
    assert soup.select_one("details.step[open]").find_parent("li")["id"] == "step-exchange-online-connector"


def test_a_warning_is_said_once_behind_its_check_line(client, hierarchy):
    soon = _leaf(hierarchy, not_before=NOW - timedelta(days=300), not_after=NOW + timedelta(days=20))
    soup, plan = plan_for(client, hierarchy, soon)
    warning = next(f for f in plan["findings"] if f["code"] == "expires_soon")
    line = soup.select_one("#check-dates")
    assert line.select_one("summary").get_text(" ", strip=True) == "Check Valid today and not about to expire"
    assert " ".join(warning["message"].split()) in " ".join(line.get_text(" ").split())
    assert visible_text(soup).count(" ".join(warning["message"].split())) == 1


DRY_RUN = """# Sign in.
Connect-ExchangeOnline
# Dry run: shows what would change.
New-InboundConnector -Name 'A' -WhatIf
# The change itself.
New-InboundConnector -Name 'A'
Get-InboundConnector -Identity 'A'"""


def test_the_dry_run_and_the_change_are_separate_parts():
    parts = code_parts(DRY_RUN)
    assert [kind for kind, _text in parts] == ["", "dry_run", "change"]
    assert parts[1][1] == "# Dry run: shows what would change.\nNew-InboundConnector -Name 'A' -WhatIf"
    assert "\n".join(text for _kind, text in parts) == DRY_RUN  # nothing lost, nothing added
    assert code_parts("Get-InboundConnector") == [("", "Get-InboundConnector")]


def test_no_copy_on_the_plan_takes_a_dry_run_and_a_change_together(client, hierarchy):
    soup, _plan = plan_for(client, hierarchy, [hierarchy.leaf.cert, hierarchy.intermediate.cert])
    figures = [f for f in soup.select("figure.code-block") if f.select_one("[data-copy]")]
    assert any("-WhatIf" in f.pre.get_text() for f in figures)
    for figure in figures:
        commands = [line.strip() for line in figure.pre.get_text().splitlines()
                    if line.strip() and not line.lstrip().startswith("#")]
        dry_runs = {c.removesuffix(" -WhatIf") for c in commands if c.endswith(" -WhatIf")}
        assert not dry_runs or len(commands) == 1, figure.figcaption.get_text()
        assert not dry_runs & set(commands)


def test_the_pdf_of_a_standard_case_is_tagged_and_at_most_four_pages(client, hierarchy, tmp_path):
    walk_to(client, hierarchy)
    result = submit(client, "/wizard/check", {}).headers["Location"]
    path = tmp_path / "plan.pdf"
    path.write_bytes(client.get(result + "/report.pdf").data)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Tagged:\s+yes$", info, re.M)
    assert int(re.search(r"^Pages:\s+(\d+)$", info, re.M).group(1)) <= 4


def test_a_customer_opening_the_agents_link_is_spoken_to_and_told_who_started_it(app, client, hierarchy):
    """The help desk starts a case; the customer follows its link and answers in their own voice."""
    from app.extensions import db
    from app.store import Case
    from tests.staff.conftest import AGENT_EMAIL, customer_opens_agents_case
    agent = customer_opens_agents_case(app, client)  # a secret link asks before it opens the case
    scenarios = page(client.get("/wizard/scenarios")).get_text()
    assert "your organization" in scenarios.lower() and "the customer's" not in scenarios
    for url, data in [("/wizard/scenarios", {"scenarios": "ndr"}), ("/wizard/domains", {"accepted_domains": "contoso.com"}),
                      ("/wizard/connector", {"kind": "none"}),
                      *server_steps(hierarchy)]:
        assert submit(client, url, data).status_code == 302, url
    result = submit(client, "/wizard/check", {}).headers["Location"]
    customer = page(client.get(result))
    text = visible_text(customer)
    assert "the customer's" not in text.lower()
    assert f"Your help desk started this case for you. With a question, write to {AGENT_EMAIL}" in text
    with app.app_context():
        reference = db.session.scalar(db.select(Case.reference))
    staff_view = visible_text(page(agent.get(f"/cases/{reference}")))
    assert "the customer's" in staff_view.lower() and "Your help desk started" not in staff_view


def test_the_pdf_in_the_other_language_is_named_in_that_language(client, hierarchy):
    """Issue 24, cosmetic: "Download the PDF in Svenska"."""
    soup, _plan = plan_for(client, hierarchy, [hierarchy.leaf.cert, hierarchy.intermediate.cert])
    assert soup.select_one(".plan-actions a[hreflang=sv]").get_text(strip=True) == "PDF på svenska"
    swedish = page(client.get(soup.select_one(".plan-actions a[hreflang=sv]")["href"].split("/report.pdf")[0] + "?lang=sv"))
    assert swedish.select_one(".plan-actions a[hreflang=en]").get_text(strip=True) == "PDF in English"


def test_every_item_of_the_plan_has_its_place_in_the_numbering(client, hierarchy):
    """Issue 24, item 15: the first item, which the KB does not number, had no step number at all."""
    soup, _plan = plan_for(client, hierarchy, [hierarchy.leaf.cert, hierarchy.intermediate.cert])
    titles = [" ".join(h.get_text(" ", strip=True).split()) for h in soup.select(".checklist > li summary > h3")]
    assert titles[0].startswith("Before step 1: The connector's domain contoso.com is covered")
    assert [t.split(":")[0] for t in titles[1:]] == ["Step 1", "Step 2", "Step 3", "Step 4"]


@pytest.mark.parametrize("hostile", ["a-" * 50_000, "Get-" * 25_000 + "!", "-" * 100_000, "Ab-Cd" * 20_000])
def test_the_new_readers_of_prose_take_a_100_kb_line_in_linear_time(hostile):
    """unbroken_cmdlets (hints) and code_parts (every code block) run once over the text: a generous bound."""
    import time
    from app.web.templating import unbroken_cmdlets
    started = time.process_time()
    unbroken_cmdlets(hostile)
    code_parts(hostile + " -WhatIf\n" + hostile)
    assert time.process_time() - started < 2


@pytest.mark.parametrize("kind", ["exchange-2010", "exchange-2013"])
def test_a_version_exchange_online_blocks_opens_with_its_upgrade(client, hierarchy, kind):
    """Issue 21's blocking upgrade step is the blocker the first screen names, never 'nothing blocks'."""
    walk_to(client, hierarchy, stop="server")
    for url, data in server_steps(hierarchy, kind):
        assert submit(client, url, data).status_code == 302, url
    result = submit(client, "/wizard/check", {}).headers["Location"]
    soup, plan = page(client.get(result)), client.get(result + "/plan.json").json
    assert plan["verdict"] == "blocked" and plan["checklist"][0]["id"] == "upgrade_exchange"
    first = first_words_after_the_h1(soup)
    assert plan["checklist"][0]["title"] in first and "Nothing blocks" not in first
    # Said once: the upgrade step, not again as a "check before you start" warning.
    assert "exchange_out_of_support" not in {w["code"] for w in plan["warnings"]}


@pytest.mark.parametrize("code", ["self_signed", "untrusted_root", "expired", "weak_key"])
def test_a_certificate_only_a_new_one_fixes_opens_with_the_request(client, hierarchy, code):
    """Issues 24 and 25: the first screen's blocker leads to the request step, which is shown open,
    never "the steps below wait for this"."""
    soup, plan = plan_for(client, hierarchy, BLOCKED_BY[code](hierarchy))
    assert plan["checklist"][0]["id"] == "request_certificate"
    answer = " ".join(soup.select_one(".plan-answer").get_text(" ").split())
    assert "First: Request a certificate from a public CA" in answer and "wait for this" not in answer
    assert [d.find_parent("li")["id"] for d in soup.select("details.step[open]")] == ["step-request-certificate"]
