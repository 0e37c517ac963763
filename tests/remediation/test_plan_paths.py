"""Plans for the paths the golden cases leave out, stated by hand (issue 16)."""
from __future__ import annotations

from dataclasses import replace

from app.certs.model import EXACT, Candidate
from app.remediation import build_plan, render_powershell
from app.remediation.model import ChecklistItem, CodeBlock
from app.remediation.onprem_exchange import send_connector_fqdn
from app.remediation.render import _commented_code
from tests.remediation import factories as f
from tests.remediation.cases import TODAY
from tests.swedish import swedish


def plan(*args, **kwargs):
    return build_plan(*args, today=TODAY, **kwargs)


def test_a_certificate_without_a_usable_name_asks_for_one_under_the_tenants_own_domains():
    register = plan(f.answers("postfix", "ip", accepted_domains=["fabrikam.com"]), f.internal_name_report()).checklist[0]
    assert (register.id, register.status, register.title) == (
        "register_domain", "todo", "Get a certificate whose name is one of your accepted domains")
    assert register.details[:3] + register.details[-1:] == [  # the request's names and commands between (issue 25)
        "No name on the uploaded certificate can identify your server to Exchange Online: see the evidence at the end.",
        "Ask a public CA (one in Microsoft's Trusted Root Program) for a certificate whose CN or SAN holds one of your "
        "accepted domains, like fabrikam.com, or a name under one, like mail.fabrikam.com.",
        "For a name under an accepted domain, Microsoft prefers that you also add the name itself (mail.fabrikam.com) "
        "in Microsoft 365 admin center > Settings > Domains and enter it on the connector; a subdomain of one of your "
        "domains needs no DNS record of its own.",
        "Install the certificate on the server, then upload it to this case to get the exact values and commands."]
    translated = plan(f.answers("postfix", "ip", accepted_domains=["fabrikam.com"]), f.internal_name_report(),
                      _=swedish).checklist[0]
    assert len(translated.details) == len(register.details) and not set(translated.details) & set(register.details)


def test_an_ip_connector_without_a_name_is_still_retired():
    last = plan(f.answers("exchange-2019", "ip", existing_connector_name=" "), f.report()).checklist[-1]
    assert (last.id, last.title) == ("cleanup", "Step 4: Retire the IP-based connector")
    assert plan(f.answers("exchange-2019", "ip", existing_connector_name=" "), f.report(),
                _=swedish).checklist[-1].title != last.title


def test_without_a_certificate_exchange_waits_for_its_thumbprint():
    result = plan(f.answers("exchange-2019", "none", connector_domain="mail.contoso.com"), None)
    assert result.on_premises.kind == "exchange-2019"
    assert result.on_premises.notes == [
        "Add the certificate to the case: the commands for Exchange Server 2019 need its thumbprint and names."]
    assert plan(f.answers("exchange-2019", "none", connector_domain="mail.contoso.com"), None,
                _=swedish).on_premises.notes != result.on_premises.notes


def test_an_upload_without_intermediates_says_where_to_get_them():
    script = plan(f.answers("exchange-2019", "none"), f.report(with_intermediate=False)).on_premises.powershell
    assert "# The uploaded file held no intermediate certificate: download them from your CA." in script.splitlines()
    complete = plan(f.answers("exchange-2019", "none"), f.report()).on_premises.powershell
    assert "no intermediate certificate" not in complete


def test_a_script_without_case_or_organization_says_so():
    result = replace(plan(f.answers("postfix", "none"), f.report()), case_reference="", organization="")
    lines = render_powershell(result).splitlines()
    assert "# Case: -" in lines and "# Organization: -" in lines


def test_a_later_command_of_several_lines_is_commented_line_by_line():
    item = ChecklistItem("verify", "Step 3", "todo", code=[CodeBlock("Check", "shell", "first line\nsecond line")])
    assert _commented_code(item) == "# Check:\n# first line\n# second line"


def test_the_send_connector_fqdn_is_a_name_on_the_certificate_never_a_wildcard():
    only_wildcards = f.report(dns_names=["*.contoso.com"], candidates=[
        Candidate("*.contoso.com", "*.contoso.com", "contoso.com", EXACT)])
    assert send_connector_fqdn(f.answers("exchange-2010", "none", server_fqdn="ex01.contoso.local"),
                               only_wildcards) is None
    wildcard_first = f.report(dns_names=["*.contoso.com", "relay.contoso.com"], candidates=[
        Candidate("*.contoso.com", "*.contoso.com", "contoso.com", EXACT)])
    assert send_connector_fqdn(f.answers("exchange-2010", "none", server_fqdn="ex01.contoso.local"),
                               wildcard_first) == "relay.contoso.com"
    assert send_connector_fqdn(f.answers("exchange-2010", "none", server_fqdn="EX01.contoso.com."),
                               only_wildcards) == "ex01.contoso.com"
