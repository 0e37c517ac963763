"""Each expiry warning carries the request for the replacement, with the certificate's current names (issue 25)."""
from __future__ import annotations

from app.staff.expiry import replacement_request, report
from app.store import save_step
from tests.scale.test_expiry import certificates, expiring_in, receiver, refresh  # noqa: F401  (fixtures)
from tests.staff.conftest import make_case
from tests.remediation.pwsh import parameter_problems


def test_the_webhook_gives_the_request_for_the_replacement(app, certificates, receiver):  # noqa: F811
    assert refresh(app, receiver.url).exit_code == 0
    for _headers, body, _raw in receiver.received:
        request = body["replacement_request"]
        domain = body["accepted_domains"][0]
        assert request["names"] == [f"mail.{domain}", domain]
        [block] = request["commands"]
        assert f"-DomainName 'mail.{domain}','{domain}'" in block["text"]
        assert parameter_problems(block["text"], "Exchange Server 2019") == []


def test_the_connector_name_comes_first_and_mtas_get_openssl(app):
    with app.app_context():
        case = make_case("Relay AB", ["contoso.com"], "postfix", pem=expiring_in(20))
        save_step(case, "connector-domain", {"connector_domain": "contoso.com"})
        [item] = [i for i in report(30) if i.case.id == case.id]
        request = item.as_dict()["replacement_request"]
        assert request["names"] == ["contoso.com", "mail.contoso.com"]
        assert request["commands"][0]["text"].startswith("(umask 077; openssl req -new")
        assert "subjectAltName=DNS:contoso.com,DNS:mail.contoso.com" in request["commands"][0]["text"]


def test_a_case_without_a_certificate_has_no_request(app):
    with app.app_context():
        case = make_case("No Cert AB", ["contoso.com"], pem=None)
        assert replacement_request(case, {}) is None
