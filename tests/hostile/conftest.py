"""A certificate whose names are markup, a case walked with it, and nginx in front of gunicorn."""
from __future__ import annotations

import pytest
from cryptography import x509
from cryptography.x509.oid import NameOID

from bench.server import Gunicorn
from tests.certfactory import make_hierarchy, name, to_pem
from tests.conftest import submit
from tests.hostile.front import Nginx

SCRIPT_CN = "<script>alert(1)</script>"
IMG_O = '"><img src=x onerror=alert(2)>'
# Names cryptography lets through a SAN: ASCII markup is not refused.
HOSTILE_SANS = ["<script>alert(3)</script>.contoso.com", '"><img src=x>.contoso.com']
SANS = ["mail.contoso.com", "contoso.com", *HOSTILE_SANS]
EVIL = "x'; Remove-Item C:\\ -Recurse; '"


@pytest.fixture(scope="session")
def hostile_hierarchy():
    subject = name(SCRIPT_CN, x509.NameAttribute(NameOID.ORGANIZATION_NAME, IMG_O))
    return make_hierarchy(SCRIPT_CN, subject=subject, sans=SANS)


@pytest.fixture
def hostile_pem(hostile_hierarchy) -> str:
    return to_pem(hostile_hierarchy.leaf.cert, hostile_hierarchy.intermediate.cert).decode()


def walk(client, certificate_pem: str, *, organization: str = "Contoso Ltd", connector: str = "certificate",
         connector_name: str = "From on-prem", stop: str | None = None):
    """The whole wizard through the Flask client; returns the last response."""
    steps = [
        ("/wizard/start", {"role": "agent", "organization": organization, "ticket": "INC-1"}),
        ("/wizard/scenarios", {"scenarios": ["ndr"]}),
        ("/wizard/domains", {"accepted_domains": "contoso.com"}),
        ("/wizard/connector", {"kind": connector}),
        ("/wizard/connector-name", {"name": connector_name}),
        ("/wizard/server", {"kind": "exchange-2019"}),
        ("/wizard/exchange-setup", {"hybrid_wizard": "no", "egress": "mailbox"}),
        ("/wizard/server-details", {"fqdn": "mail.contoso.com", "mx_endpoint": "contoso-com.mail.protection.outlook.com"}),
        ("/wizard/certificate", {"certificate_text": certificate_pem}),
        ("/wizard/connector-domain", {"connector_domain": "contoso.com"}),
        ("/wizard/check", {}),
    ]
    response = None
    for url, data in steps:
        if stop and url == stop:
            return response
        response = submit(client, url, data)
        assert response.status_code == 302, (url, response.status_code)
    return response


@pytest.fixture(scope="session")
def front(tmp_path_factory):
    """deploy/nginx.conf in front of gunicorn as configured; ``front.gunicorn`` is the pages' server behind it,
    ``front.pdf_gunicorn`` the PDFs' (one worker, the same app and database)."""
    folder = tmp_path_factory.mktemp("front")
    with Gunicorn(folder / "gunicorn") as server, server.beside(folder / "pdf") as pdf_server:
        proxy = Nginx(folder / "nginx", server.port, pdf_ports=(pdf_server.port,)).start()
        proxy.gunicorn, proxy.pdf_gunicorn = server, pdf_server
        try:
            yield proxy
        finally:
            proxy.stop()
