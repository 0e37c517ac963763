"""The API caps domains per request with a clear 400 and de-duplicates them in linear time."""
from __future__ import annotations

import time

from app.api.inputs import MAX_DOMAINS, domain_list
from tests.certfactory import to_pem

CHECK = "/api/v1/certificate-check"


def test_80000_domains_answer_400_at_once(client, hierarchy):
    pem = to_pem(hierarchy.leaf.cert, hierarchy.intermediate.cert).decode()
    domains = [f"x{i}.io" for i in range(80_000)]  # 0.9 MB: under the 1 MiB body limit
    started = time.monotonic()
    response = client.post(CHECK, json={"certificate_pem": pem, "domains": domains})
    assert time.monotonic() - started < 2  # was 60 s, then the worker was killed
    assert response.status_code == 400
    assert response.json["error"] == {"code": "too_many_domains", "message": "Give at most 5000 accepted domains."}
    plan = client.post("/api/v1/plan", json={"accepted_domains": domains, "server": {"kind": "exchange-2019"}})
    assert plan.status_code == 400 and plan.json["error"]["code"] == "too_many_domains"


def test_the_cap_counts_what_was_sent_not_what_is_left_after_removing_duplicates(client, hierarchy):
    pem = to_pem(hierarchy.leaf.cert, hierarchy.intermediate.cert).decode()
    response = client.post(CHECK, json={"certificate_pem": pem, "domains": ["contoso.com"] * (MAX_DOMAINS + 1)})
    assert response.status_code == 400 and response.json["error"]["code"] == "too_many_domains"


def test_domains_up_to_the_cap_are_checked_with_duplicates_removed_in_order(client, hierarchy):
    pem = to_pem(hierarchy.leaf.cert, hierarchy.intermediate.cert).decode()
    domains = [f"d{i}.fabrikam.com" for i in range(MAX_DOMAINS - 2)] + ["Contoso.com", "contoso.com."]
    response = client.post(CHECK, json={"certificate_pem": pem, "domains": domains})
    assert response.status_code == 200 and response.json["verdict"] == "ready"


def test_de_duplication_keeps_the_first_spelling_and_the_order(app):
    with app.test_request_context():
        assert domain_list(["b.com, A.com", "a.com b.com.", "c.com"]) == ["b.com", "a.com", "c.com"]
        assert len(domain_list([f"d{i % 100}.com" for i in range(MAX_DOMAINS)])) == 100
