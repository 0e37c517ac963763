"""A rendered plan PDF is kept (app/reports/pdf_store.py): a second download or e-mail of the same PDF is not
rendered again, anything the PDF shows makes a new one, the store stays within its bounds, and a case's PDFs
go with the case (erased with its organization, purged after the retention period)."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from app.extensions import db
from app.reports import plan as plan_module
from app.reports.pdf_store import RenderedPdf
from app.staff.organizations import erase, export
from app.store import Case, purge_expired, utcnow
from tests.conftest import submit
from tests.operators.test_request_metrics import value
from tests.staff.conftest import admin, agent, contoso, users  # noqa: F401 (fixtures)
from tests.staff.test_mail import mailbox, send  # noqa: F401 (a fixture)
from tests.web.test_reports import pdf_text, result_url  # noqa: F401 (a fixture)

RENDERS = 'wizard_render_duration_seconds_count{format="pdf"}'
INVISIBLE = re.compile("[\u2060\u200b]")  # the PDF's word joiners and break opportunities (app/reports/pdf.py)


def renders(app) -> float:
    return value(app, RENDERS)


def kept(app) -> list[tuple[int, int]]:
    """(case id, size) of every kept PDF, oldest first."""
    with app.app_context():
        return [tuple(row) for row in db.session.execute(
            select(RenderedPdf.case_id, RenderedPdf.size).order_by(RenderedPdf.created_at))]


def case_id(app, reference: str) -> int:
    with app.app_context():
        return db.session.scalar(select(Case.id).where(Case.reference == reference))


def test_a_second_download_is_the_kept_pdf_and_copies_as_plain_text(app, client, result_url, tmp_path):  # noqa: F811
    before = renders(app)
    first = client.get(result_url + "/report.pdf")
    again = client.get(result_url + "/report.pdf")
    assert first.status_code == again.status_code == 200 and again.data == first.data
    assert renders(app) == before + 1
    text = pdf_text(again.data, tmp_path)
    assert "New-InboundConnector" in text and not INVISIBLE.search(text)  # nothing unseen is copied with it


def test_each_change_of_what_the_pdf_shows_makes_a_new_one(app, client, result_url, tmp_path,  # noqa: F811
                                                            monkeypatch):
    english = pdf_text(client.get(result_url + "/report.pdf").data, tmp_path)
    before = renders(app)

    swedish = pdf_text(client.get(result_url + "/report.pdf?lang=sv").data, tmp_path)
    assert "Åtgärdsplan" in swedish and "Åtgärdsplan" not in english

    submit(client, "/wizard/server?return=check", {"kind": "postfix"})  # a new version of the case
    submit(client, "/wizard/check", {})
    postfix = pdf_text(client.get(result_url + "/report.pdf").data, tmp_path)
    assert "relayhost" in postfix and "relayhost" not in english

    tomorrow = utcnow() + timedelta(days=1)  # the plan is dated
    monkeypatch.setattr(plan_module, "utcnow", lambda: tomorrow)
    dated = pdf_text(client.get(result_url + "/report.pdf").data, tmp_path)
    assert tomorrow.date().isoformat() in dated and tomorrow.date().isoformat() not in postfix
    assert renders(app) == before + 3


def test_staff_and_the_customer_never_get_each_others_pdf(app, agent, contoso, mailbox, tmp_path):  # noqa: F811
    """Staff read the findings' internal codes; the customer's copy (the e-mail's attachment) has none."""
    before = renders(app)
    staff = pdf_text(agent.get(f"/cases/{contoso}/report.pdf").data, tmp_path)
    assert "one_certificate_per_tenant" in staff

    for _ in range(2):
        assert send(agent, contoso).status_code == 302
    mailbox.wait_for(2)
    attachments = [next(message.iter_attachments()).get_content() for _recipients, message, _auth in mailbox.messages]
    assert attachments[0] == attachments[1]
    customer = pdf_text(attachments[0], tmp_path)
    assert "Other Microsoft 365 organizations" in customer and "one_certificate_per_tenant" not in customer
    assert renders(app) == before + 2  # the staff's PDF, and the customer's once for both messages
    assert "one_certificate_per_tenant" in pdf_text(agent.get(f"/cases/{contoso}/report.pdf").data, tmp_path)


def test_a_pdf_past_its_time_is_rendered_again_and_dropped(app, client, result_url):  # noqa: F811
    client.get(result_url + "/report.pdf")
    with app.app_context():
        db.session.execute(update(RenderedPdf).values(
            created_at=utcnow() - timedelta(seconds=app.config["PDF_STORE_SECONDS"] + 1)))
        db.session.commit()
    before = renders(app)
    client.get(result_url + "/report.pdf")
    assert renders(app) == before + 1
    assert len(kept(app)) == 1  # the new one; the old one went


def test_the_store_keeps_within_its_bytes_newest_first(app, client, result_url):  # noqa: F811
    client.get(result_url + "/report.pdf")
    size = kept(app)[0][1]
    app.config["PDF_STORE_BYTES"] = int(size * 2.5)
    for language in ("sv", "en", "sv"):  # Swedish again: the second Swedish download is the kept one
        client.get(f"{result_url}/report.pdf?lang={language}")
    stored = kept(app)
    assert len(stored) == 2 and sum(size for _case, size in stored) <= app.config["PDF_STORE_BYTES"]
    before = renders(app)
    client.get(result_url + "/report.pdf?lang=sv")
    client.get(result_url + "/report.pdf")
    assert renders(app) == before  # both languages kept


@pytest.mark.parametrize("how", ["erase the organization", "purge after the retention period"])
def test_a_cases_pdfs_go_with_the_case(app, client, result_url, how):  # noqa: F811
    reference = result_url.rsplit("/", 1)[1]
    for language in ("en", "sv"):
        client.get(f"{result_url}/report.pdf?lang={language}")
    ours = case_id(app, reference)
    assert [case for case, _size in kept(app)] == [ours, ours]
    with app.app_context():
        assert "rendered_pdfs" not in export("Contoso Ltd")["cases"][0]  # made from the case: not its record
        if how == "erase the organization":
            assert erase("Contoso Ltd", "admin@example.com").cases == 1
        else:
            db.session.execute(update(Case).values(updated_at=utcnow() - timedelta(days=31)))
            db.session.commit()
            assert purge_expired(30) == 1
        assert db.session.scalar(select(func.count()).select_from(RenderedPdf)) == 0
