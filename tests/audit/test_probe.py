"""The probe against a real SMTP server on loopback (aiosmtpd with STARTTLS and a certfactory certificate)."""
from __future__ import annotations

import socket
import ssl
import threading
import time

import pytest
from aiosmtpd.controller import Controller
from cryptography.hazmat.primitives import serialization

from app.probe import ProbeError, probe
from app.probe.address import checked_addresses, is_public
from tests.certfactory import make_hierarchy, to_pem


class _Handler:
    async def handle_DATA(self, server, session, envelope):  # pragma: no cover - the probe never sends DATA
        return "250 OK"


class _Recorder:
    """Records every SMTP command the server received."""

    def __init__(self):
        self.commands: list[str] = []

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        self.commands.append("EHLO")
        session.host_name = hostname
        return responses

    def handle_STARTTLS(self, server, session, envelope):  # aiosmtpd calls it without await
        self.commands.append("STARTTLS")
        return True

    async def handle_MAIL(self, server, session, envelope, address, options):  # pragma: no cover
        self.commands.append("MAIL")
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, options):  # pragma: no cover
        self.commands.append("RCPT")
        return "250 OK"

    async def handle_NOOP(self, server, session, envelope, arg):  # pragma: no cover
        self.commands.append("NOOP")
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def chain():
    return make_hierarchy("mail.contoso.com", sans=["mail.contoso.com", "contoso.com"])


def _tls_context(tmp_path, hierarchy) -> ssl.SSLContext:
    (tmp_path / "chain.pem").write_bytes(to_pem(hierarchy.leaf.cert, hierarchy.intermediate.cert))
    (tmp_path / "key.pem").write_bytes(hierarchy.leaf.key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(tmp_path / "chain.pem", tmp_path / "key.pem")
    return context


@pytest.fixture
def smtp_server(tmp_path, chain):
    """(port, recorder) of a STARTTLS-capable SMTP server on 127.0.0.1."""
    recorder = _Recorder()
    port = _free_port()
    controller = Controller(recorder, hostname="127.0.0.1", port=port, tls_context=_tls_context(tmp_path, chain),
                            require_starttls=False, server_hostname="mail.contoso.com")
    controller.start()
    recorder.commands.clear()  # the controller's own start-up check said EHLO
    yield port, recorder
    controller.stop()


@pytest.fixture
def plain_server():
    port = _free_port()
    controller = Controller(_Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    yield port
    controller.stop()


@pytest.fixture
def silent_server():
    """Accepts connections and never says a word."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    accepted = []
    thread = threading.Thread(target=lambda: accepted.append(listener.accept()), daemon=True)
    thread.start()
    yield listener.getsockname()[1]
    listener.close()
    for connection, _address in accepted:
        connection.close()


def test_the_presented_chain_is_read_after_starttls(smtp_server, chain):
    port, recorder = smtp_server
    result = probe("127.0.0.1", port, allow_private=True, ports=(port,))
    assert [c.subject for c in result.chain] == [chain.leaf.cert.subject, chain.intermediate.cert.subject]
    assert result.address == "127.0.0.1" and result.tls_version.startswith("TLS")
    deadline = time.monotonic() + 5
    while "STARTTLS" not in recorder.commands and time.monotonic() < deadline:
        time.sleep(0.05)  # the server's hook runs when its side of the handshake completes
    assert recorder.commands == ["EHLO", "STARTTLS"]  # then QUIT; never MAIL, RCPT or anything else


def test_loopback_is_refused_unless_allowed(smtp_server):
    with pytest.raises(ProbeError) as caught:
        probe("127.0.0.1", smtp_server[0], ports=(smtp_server[0],))
    assert caught.value.code == "refused_address"


def test_a_server_without_starttls(plain_server):
    with pytest.raises(ProbeError) as caught:
        probe("127.0.0.1", plain_server, allow_private=True, ports=(plain_server,))
    assert caught.value.code == "no_starttls"


def test_a_silent_server_times_out(silent_server):
    with pytest.raises(ProbeError) as caught:
        probe("127.0.0.1", silent_server, allow_private=True, timeout=1.0, ports=(silent_server,))
    assert caught.value.code == "timeout"


@pytest.mark.parametrize("host", ["", "mail..contoso.com", "-", "a b.com", "*.contoso.com"])
def test_a_host_that_is_not_a_name_is_refused(host):
    with pytest.raises(ProbeError) as caught:
        probe(host, 25)
    assert caught.value.code == "invalid_host"


@pytest.mark.parametrize("address,public", [
    ("127.0.0.1", False), ("10.1.2.3", False), ("172.16.0.1", False), ("192.168.1.1", False),
    ("169.254.10.10", False), ("224.0.0.1", False), ("0.0.0.0", False), ("100.64.0.1", False),
    ("::1", False), ("fe80::1", False), ("fc00::1", False), ("::ffff:10.0.0.1", False), ("240.0.0.1", False),
    ("52.101.68.3", True), ("2603:1026::1", True),
])
def test_only_public_addresses_pass(address, public):
    assert is_public(address) is public


def test_every_resolved_address_is_checked():
    # "localhost" resolves to loopback addresses only; one refused address refuses the host.
    with pytest.raises(ProbeError) as caught:
        checked_addresses("localhost", 25)
    assert caught.value.code == "refused_address"
    assert "127.0.0.1" in checked_addresses("localhost", 25, allow_private=True)


def test_the_api_returns_the_presented_chain_and_says_what_it_is(app, client, smtp_server, chain):
    app.config.update(PROBE_ALLOW_PRIVATE=True, PROBE_PORTS=(smtp_server[0],))
    response = client.post("/api/v1/probe", json={"host": "127.0.0.1", "port": smtp_server[0],
                                                  "accepted_domains": ["contoso.com"]})
    data = response.get_json()
    assert response.status_code == 200, data
    assert [c["subject"] for c in data["presented_chain"]] == ["CN=mail.contoso.com", "CN=Test Issuing CA, O=Test PKI, C=US"]
    assert data["certificate"]["dns_names"] == ["mail.contoso.com", "contoso.com"] and "receives" in data["note"]
    assert data["verdict"] == "ready"


def test_the_api_says_422_for_a_server_without_starttls(app, client, plain_server):
    app.config.update(PROBE_ALLOW_PRIVATE=True, PROBE_PORTS=(plain_server,))
    response = client.post("/api/v1/probe", json={"host": "127.0.0.1", "port": plain_server})
    assert response.status_code == 422 and response.get_json()["error"]["code"] == "no_starttls"


def test_the_probe_page_shows_the_chain(app, client, smtp_server):
    from tests.conftest import page, submit
    app.config.update(PROBE_ALLOW_PRIVATE=True, PROBE_PORTS=(smtp_server[0],))
    soup = page(submit(client, "/probe", {"host": "127.0.0.1", "port": str(smtp_server[0])}))
    assert "CN=mail.contoso.com" in soup.select_one("#probe-result").get_text()
    assert "usually, but not always" in soup.get_text()


def test_the_probe_is_rate_limited(tmp_path):
    from app import create_app
    limited = create_app({"TESTING": True, "SECRET_KEY": "t", "RATELIMIT_ENABLED": True,
                          "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'limits.sqlite3'}"})
    client = limited.test_client()
    statuses = [client.post("/api/v1/probe", json={"host": "127.0.0.1"}).status_code for _ in range(12)]
    assert statuses[:10] == [400] * 10 and statuses[-1] == 429
