"""Two app instances on one database, each on its own port: the agent follows on one, the customer works on the other."""
from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from bs4 import BeautifulSoup
from werkzeug.serving import make_server

from app import create_app
from app.extensions import db
from bench.client import WizardClient, wizard_answers
from tests.certfactory import to_pem
from tests.staff.conftest import AGENT_EMAIL, PASSWORD, add_user


@pytest.fixture
def instances(app) -> Iterator[tuple[str, str]]:
    """Two more create_app() instances on the test's database, served on two ports."""
    servers, threads, apps = [], [], []
    for _ in range(2):
        instance = create_app({**{k: app.config[k] for k in ("SECRET_KEY", "SQLALCHEMY_DATABASE_URI",
                                                             "TRUSTED_ROOTS_FILE")}, "RATELIMIT_ENABLED": False})
        server = make_server("127.0.0.1", 0, instance, threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        servers.append(server), threads.append(thread), apps.append(instance)
    with apps[0].app_context():
        add_user(AGENT_EMAIL)
    try:
        yield tuple(f"http://127.0.0.1:{server.server_port}" for server in servers)
    finally:
        for server, thread, instance in zip(servers, threads, apps):
            server.shutdown()
            thread.join(timeout=5)
            with instance.app_context():
                db.engine.dispose()


def text_of(html: str) -> str:
    return " ".join(BeautifulSoup(html, "html.parser").get_text(" ").split())


def poll(client: WizardClient, reference: str, etag: str = ""):
    return client.request("GET", f"/staff/cases/{reference}/live", headers={"If-None-Match": f'"{etag}"'} if etag else {})


def test_what_the_customer_does_on_one_instance_shows_on_the_other(instances, hierarchy):
    first, second = instances
    steps = wizard_answers("Contoso Ltd", to_pem(hierarchy.leaf.cert, hierarchy.intermediate.cert).decode())
    customer = WizardClient(second)
    assert customer.submit(*steps[0]).status == 302
    agent_on_first = WizardClient(first)
    assert agent_on_first.submit("/staff/sign-in", [("email", AGENT_EMAIL), ("password", PASSWORD)]).status == 302
    agent_on_second = WizardClient(second, cookies=dict(agent_on_first.cookies))  # the same session, the other instance
    reference = next(row for row in text_of(agent_on_first.get("/staff/cases").text).split() if row.startswith("KB-"))

    on_first, on_second = poll(agent_on_first, reference), poll(agent_on_second, reference)
    assert on_first.status == on_second.status == 200
    etag = on_first.headers["etag"].strip('"')
    assert on_second.headers["etag"].strip('"') == etag
    assert poll(agent_on_second, reference, etag).status == 304

    assert "An agent from the help desk is following this case" in text_of(customer.get("/wizard/scenarios").text)
    assert customer.submit(*steps[1]).status == 302
    assert customer.submit(*steps[2]).status == 302
    customer.get("/wizard/connector")  # where the browser goes next
    for agent in (agent_on_first, agent_on_second):
        changed = poll(agent, reference, etag)
        assert changed.status == 200
        assert "contoso.com" in text_of(changed.json()["html"])
        assert "The customer's page Existing connector" in text_of(changed.json()["html"])
