"""The probe cannot be turned against anyone (issue 23, findings 2, 5 and 6).

One deadline for everything and at most two addresses tried; probes at once capped so that the
other workers stay free; the mail ports only; one refusal naming no address; addresses wrapped in
IPv6 judged by the IPv4 address inside; EHLO with a configured name, never our address.
All on loopback: SYN-dropping listeners (an accept queue kept full), aiosmtpd servers.
"""
from __future__ import annotations

import fcntl
import os
import socket
import time
from contextlib import ExitStack

import pytest
from aiosmtpd.controller import Controller

from app import create_app
from app.probe import ProbeError, checked_addresses, probe
from app.probe import smtp
from app.probe.address import is_public
from tests.audit.test_probe import _Recorder, _free_port, _tls_context

DROPPING = [f"127.0.0.{n}" for n in range(40, 52)]
MANY = "many.contoso.com"


@pytest.fixture
def dropping_port():
    """A port on which twelve loopback addresses drop every SYN (each listener's accept queue is full)."""
    with ExitStack() as stack:
        port = _free_port()
        for address in DROPPING:
            stack.enter_context(socket.create_server((address, port), backlog=0))
            for _ in range(3):
                filler = stack.enter_context(socket.socket())
                filler.setblocking(False)
                try:
                    filler.connect((address, port))
                except BlockingIOError:
                    pass
        time.sleep(0.2)
        yield port


@pytest.fixture
def many_addresses(monkeypatch):
    """MANY resolves to the twelve DROPPING addresses (the resolver is the one thing not run here)."""
    real = socket.getaddrinfo

    def getaddrinfo(host, port, *args, **kwargs):
        if host == MANY:
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, port)) for a in DROPPING]
        return real(host, port, *args, **kwargs)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


@pytest.fixture
def connections(monkeypatch):
    """Every address the probe opened a connection to (socket.create_connection, counted)."""
    tried: list[str] = []
    real = socket.create_connection

    def create_connection(address, *args, **kwargs):
        tried.append(address[0])
        return real(address, *args, **kwargs)
    monkeypatch.setattr(socket, "create_connection", create_connection)
    return tried


def test_one_deadline_for_all_addresses_and_at_most_two_tried(dropping_port, many_addresses, connections):
    """Was: 5 s per address, 12 addresses, the deadline ignored (a 500 after 61 s, the worker killed)."""
    started = time.monotonic()
    with pytest.raises(ProbeError) as caught:
        probe(MANY, dropping_port, allow_private=True, timeout=2.0, ports=(dropping_port,))
    assert caught.value.code == "timeout"
    assert time.monotonic() - started < 2.0 + 1.5
    assert connections == DROPPING[:2]


@pytest.mark.parametrize("port", [22, 80, 443, 2525, 3306, 8080, 65535])
def test_only_the_mail_ports_are_tried(client, connections, port):
    answer = client.post("/api/v1/probe", json={"host": "mail.contoso.com", "port": port})
    assert answer.status_code == 400 and answer.json["error"]["code"] == "invalid_port"
    assert "25, 587 or 465" in answer.json["error"]["message"]
    assert connections == []
    with pytest.raises(ProbeError) as caught:
        probe("mail.contoso.com", port)
    assert caught.value.code == "invalid_port"


def test_every_refusal_reads_the_same_and_names_no_address(client, many_addresses):
    """Was: "That name leads to a private or reserved address (127.0.0.1, ::1)": internal DNS disclosed."""
    with pytest.raises(ProbeError) as caught:
        checked_addresses("localhost", 25)
    assert caught.value.code == "refused_address" and caught.value.detail == ""
    answers = [client.post("/api/v1/probe", json={"host": host, "port": 25}) for host in
               (MANY, "127.0.0.1", "10.0.0.1", "::1", "2002:a00:1::1")]
    assert {a.status_code for a in answers} == {400}
    assert len({a.get_data(as_text=True) for a in answers}) == 1
    text = answers[0].get_data(as_text=True)
    assert "127.0.0." not in text and "10.0.0.1" not in text and "::1" not in text


@pytest.mark.parametrize("address", [
    "fec0::1",                                    # site-local
    "2002:a00:1::1",                              # 6to4 wrapping 10.0.0.1
    "2002:7f00:1::1",                             # 6to4 wrapping 127.0.0.1
    "64:ff9b::a00:1",                             # NAT64 wrapping 10.0.0.1
    "64:ff9b::7f00:1",                            # NAT64 wrapping 127.0.0.1
    "2001:0:4136:e378:8000:63bf:f5ff:fffe",       # Teredo, client 10.0.0.1
])
def test_an_ipv6_address_wrapping_a_private_one_is_refused(address):
    assert is_public(address) is False


@pytest.mark.parametrize("address", ["2002:3465:4403::1", "64:ff9b::3465:4403"])  # wrapping 52.101.68.3
def test_an_ipv6_address_wrapping_a_public_one_passes(address):
    assert is_public(address) is True


def test_ehlo_says_the_configured_name_never_our_address(app, client, tmp_path):
    """Was: EHLO [<our address>], which behind NAT is the server's private address."""
    from tests.certfactory import make_hierarchy
    hierarchy = make_hierarchy("mail.contoso.com", sans=["mail.contoso.com"])
    recorder, port = _Recorder(), _free_port()
    names: list[str] = []

    class Naming(_Recorder):
        async def handle_EHLO(self, server, session, envelope, hostname, responses):
            names.append(hostname)
            return await super().handle_EHLO(server, session, envelope, hostname, responses)
    controller = Controller(Naming(), hostname="127.0.0.1", port=port, tls_context=_tls_context(tmp_path, hierarchy),
                            require_starttls=False, server_hostname="mail.contoso.com")
    controller.start()
    try:
        names.clear()  # the controller's own start-up check
        app.config.update(PROBE_ALLOW_PRIVATE=True, PROBE_PORTS=(port,), PROBE_EHLO_NAME="wizard.example.com")
        assert client.post("/api/v1/probe", json={"host": "127.0.0.1", "port": port}).status_code == 200
    finally:
        controller.stop()
    assert names == ["wizard.example.com"]
    del recorder


@pytest.mark.parametrize("name", ["10.0.0.5", "[10.0.0.5]", "fd00::1", "a b", ""])
def test_an_address_is_refused_as_the_ehlo_name(monkeypatch, tmp_path, name):
    monkeypatch.setenv("PROBE_EHLO_NAME", name or " ")
    with pytest.raises(RuntimeError, match="PROBE_EHLO_NAME"):
        create_app({"TESTING": True, "SECRET_KEY": "t", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.db'}"})


def test_port_465_speaks_tls_from_the_first_byte(tmp_path):
    from tests.certfactory import make_hierarchy
    hierarchy = make_hierarchy("mail.contoso.com", sans=["mail.contoso.com"])
    port = _free_port()
    controller = Controller(_Recorder(), hostname="127.0.0.1", port=port,
                            ssl_context=_tls_context(tmp_path, hierarchy), server_hostname="mail.contoso.com")
    controller.start()
    try:
        result = probe("127.0.0.1", port, allow_private=True, ports=(port,), implicit_tls=True)
    finally:
        controller.stop()
    assert result.chain[0].subject == hierarchy.leaf.cert.subject and result.banner.startswith("220")
    assert smtp.SMTPS == 465 and 465 in smtp.PORTS


def test_probes_at_once_are_capped_and_the_rest_answered_at_once(app, client, connections):
    """Was: two probes of a server that never greets held both workers 10 s. A held slot: the next is 503."""
    folder = os.path.join(app.instance_path, "probe-slots")
    os.makedirs(folder, exist_ok=True)
    app.config.update(PROBE_ALLOW_PRIVATE=True, PROBE_CONCURRENCY=1)
    with open(os.path.join(folder, "slot-0.lock"), "a") as held:
        fcntl.flock(held, fcntl.LOCK_EX)  # another worker's probe, running
        started = time.monotonic()
        answer = client.post("/api/v1/probe", json={"host": "127.0.0.1", "port": 25})
        assert time.monotonic() - started < 1.0
        assert answer.status_code == 503 and answer.json["error"]["code"] == "busy"
        assert answer.headers["Retry-After"]
        assert connections == []
    # The slot is free again: the probe goes ahead (and finds nothing listening on port 25 here).
    assert client.post("/api/v1/probe", json={"host": "127.0.0.1", "port": 25}).json["error"]["code"] != "busy"
