"""The result page of a case version is rendered once and kept: a reload of one's own case loads
neither the case's answers nor the plan, and anything the page depends on makes a new one."""
from __future__ import annotations

from datetime import datetime, time, timedelta, timezone

import pytest
from sqlalchemy import update

from app.certs import analysis
from app.extensions import db
from app.reports import plan, views
from app.store import Case, utcnow
from app.wizard import session as wizard_session
from tests.certfactory import Hierarchy, make_hierarchy, make_leaf
from tests.conftest import submit
from tests.staff.conftest import AGENT_EMAIL, customer_opens_agents_case, sign_in, users  # noqa: F401 (a fixture)
from tests.web.test_plan_outline import server_steps
from tests.web.test_reports import result_url  # noqa: F401 (a fixture)
from tests.web.test_wizard import walk_to


def reference_of(url: str) -> str:
    return url.rsplit("/", 1)[1]


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


def test_another_customer_never_gets_this_case_page(app, client, hierarchy, result_url):  # noqa: F811
    mine = client.get(result_url).get_data(as_text=True)  # kept for this case
    other = app.test_client()
    walk_to(other, hierarchy)
    other_url = submit(other, "/wizard/check", {}).headers["Location"]
    theirs = other.get(other_url).get_data(as_text=True)

    assert other.get(result_url).status_code == 404  # a case of their own does not open this one
    assert reference_of(result_url) in mine and reference_of(result_url) not in theirs
    assert reference_of(other_url) in theirs and reference_of(other_url) not in client.get(result_url).text


def test_staff_and_the_customer_each_get_their_own_page(app, client, users, result_url):  # noqa: F811
    customer_page = client.get(result_url).get_data(as_text=True)
    staff = app.test_client()
    assert sign_in(staff).status_code == 302
    assert "Staff workspace" in staff.get(result_url).get_data(as_text=True)
    assert "Staff workspace" not in client.get(result_url).get_data(as_text=True) == customer_page


def test_the_address_and_the_settings_the_page_shows_are_its_own(app, client, result_url):  # noqa: F811
    assert "http://localhost/resume/" in client.get(result_url).text
    assert "https://localhost/resume/" in client.get(result_url, base_url="https://localhost").text

    assert 'hreflang="sv"' in client.get(result_url).text
    app.config["LANGUAGES"] = ("en",)
    assert 'hreflang="sv"' not in client.get(result_url).text


# Settings a render reads that change nothing on the page: the form library's own translations (the page
# has no form), Flask's debugging of template loading.
NOT_SHOWN = {"WTF_I18N_ENABLED", "EXPLAIN_TEMPLATE_LOADING"}


def test_a_render_reads_no_setting_the_key_leaves_out(app, client, result_url, monkeypatch):  # noqa: F811
    read: set[str] = set()

    class Recording(type(app.config)):
        def __getitem__(self, name):
            read.add(name)
            return super().__getitem__(name)

        def get(self, name, default=None):
            read.add(name)
            return super().get(name, default)

    render = views.render_result_page

    def recorded(case):
        settings = app.config
        app.config = Recording(settings.root_path, settings)
        try:
            return render(case)
        finally:
            app.config = settings

    monkeypatch.setattr(views, "render_result_page", recorded)
    assert client.get(result_url).status_code == 200
    assert "LANGUAGES" in read  # the recording saw the render
    assert read <= set(views.PAGE_SETTINGS) | NOT_SHOWN


def frozen_clocks(monkeypatch, moment: datetime) -> None:
    """The plan's clock and the certificate analysis's, both at ``moment`` (naive UTC)."""
    class Clock(datetime):
        @classmethod
        def now(cls, tz=None):
            return moment.replace(tzinfo=timezone.utc).astimezone(tz) if tz else moment

    monkeypatch.setattr(plan, "utcnow", lambda: moment)
    monkeypatch.setattr(analysis, "datetime", Clock)


def test_the_days_left_drop_at_their_hour_of_the_day_not_at_midnight(client, monkeypatch):
    """A certificate valid until 13:00 has one day less left from 13:00 on: a page kept at noon is not
    shown at two, on the same day."""
    noon = datetime.combine(utcnow().date(), time(12))
    leaf = make_leaf(make_hierarchy().intermediate, "mail.contoso.com", sans=["mail.contoso.com", "contoso.com"],
                     not_after=(noon + timedelta(days=30, hours=1)).replace(tzinfo=timezone.utc))
    walk_to(client, Hierarchy(make_hierarchy().root, make_hierarchy().intermediate, leaf))
    url = submit(client, "/wizard/check", {}).headers["Location"]

    frozen_clocks(monkeypatch, noon)
    assert "(30 days left)" in client.get(url).text
    frozen_clocks(monkeypatch, noon + timedelta(hours=2))
    page = client.get(url).text
    assert "(29 days left)" in page and "(30 days left)" not in page


def test_a_certificate_valid_from_one_oclock_is_waited_for_at_noon_and_fine_at_two(client, monkeypatch):
    noon = datetime.combine(utcnow().date(), time(12))
    hierarchy = make_hierarchy()
    leaf = make_leaf(hierarchy.intermediate, "mail.contoso.com", sans=["mail.contoso.com", "contoso.com"],
                     not_before=(noon + timedelta(hours=1)).replace(tzinfo=timezone.utc))
    frozen_clocks(monkeypatch, noon + timedelta(hours=2))  # the upload, once it is valid
    walk_to(client, Hierarchy(hierarchy.root, hierarchy.intermediate, leaf))
    url = submit(client, "/wizard/check", {}).headers["Location"]

    frozen_clocks(monkeypatch, noon)
    assert "is valid only from" in client.get(url).text
    frozen_clocks(monkeypatch, noon + timedelta(hours=2))
    assert "is valid only from" not in client.get(url).text


def test_an_owner_gone_without_a_new_version_is_no_longer_named(app, client, hierarchy):
    """A case the help desk started names its agent to the customer. Deleting the account clears the owner
    in the database (ON DELETE SET NULL) without a new version of the case: the kept page goes with it."""
    customer_opens_agents_case(app, client)
    for url, data in [("/wizard/scenarios", {"scenarios": "ndr"}),
                      ("/wizard/domains", {"accepted_domains": "contoso.com"}),
                      ("/wizard/connector", {"kind": "none"}), *server_steps(hierarchy)]:
        assert submit(client, url, data).status_code == 302, url
    url = submit(client, "/wizard/check", {}).headers["Location"]
    assert f"write to {AGENT_EMAIL}" in client.get(url).text  # and kept

    with app.app_context():
        db.session.execute(update(Case).values(owner_id=None, updated_at=Case.updated_at))
        db.session.commit()
    assert f"write to {AGENT_EMAIL}" not in client.get(url).text
