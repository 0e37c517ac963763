"""The result page of a case version is rendered once and kept: a reload of one's own case loads
neither the case's answers nor the plan, and anything the page depends on makes a new one."""
from __future__ import annotations

import pytest

from app.wizard import session as wizard_session
from tests.conftest import submit
from tests.web.test_reports import result_url  # noqa: F401 (a fixture)


@pytest.fixture
def case_loads(monkeypatch) -> list[int]:
    """Every full load of the visitor's case (the case with all its answers)."""
    loads: list[int] = []
    get_case = wizard_session.get_case

    def counted(case_id):
        loads.append(case_id)
        return get_case(case_id)

    monkeypatch.setattr(wizard_session, "get_case", counted)
    return loads


def test_a_reload_serves_the_kept_page_without_loading_the_case(client, result_url, case_loads):  # noqa: F811
    first = client.get(result_url).get_data(as_text=True)
    loads_for_first = len(case_loads)

    again = client.get(result_url).get_data(as_text=True)

    assert again == first
    assert len(case_loads) == loads_for_first  # the kept page needed no case


def test_a_new_version_language_or_stranger_never_gets_the_kept_page(app, client, result_url):  # noqa: F811
    english = client.get(result_url).get_data(as_text=True)
    swedish = client.get(result_url + "?lang=sv").get_data(as_text=True)
    assert swedish != english and 'lang="sv"' in swedish

    assert app.test_client().get(result_url).status_code == 404  # the kept page is only for its case's browser

    submit(client, "/wizard/server?return=check", {"kind": "postfix"})
    submit(client, "/wizard/check", {})
    changed = client.get(result_url).get_data(as_text=True)
    assert "relayhost" in changed and "relayhost" not in english
