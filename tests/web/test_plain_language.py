"""Plain language where the first checks did not look: usage names in the PDF, the time zone on staff
pages, and a plan that speaks to the help-desk agent about the customer's server (issue 10, item 8)."""
from __future__ import annotations

import re
import subprocess

from tests.conftest import page, submit
from tests.staff.conftest import sign_in, users  # noqa: F401  (users: the staff accounts fixture)
from tests.web.test_wizard import START, walk_to

USAGE_WITH_OID = "Server Authentication (1.3.6.1.5.5.7.3.1)"


def result_of(client, hierarchy, role: str = "agent") -> str:
    walk_to(client, hierarchy)
    if role != "agent":
        assert submit(client, "/wizard/start", dict(START, role=role)).status_code == 302
    response = submit(client, "/wizard/check", {})
    assert response.status_code == 302
    return response.headers["Location"]


def pdf_text(client, url: str) -> str:
    pdf = client.get(url + "/report.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    return subprocess.run(["pdftotext", "-", "-"], input=pdf.data, capture_output=True, check=True).stdout.decode()


def test_the_pdf_names_each_usage_with_its_oid_beside(client, hierarchy):
    text = " ".join(pdf_text(client, result_of(client, hierarchy)).split())
    assert USAGE_WITH_OID in text
    assert not re.search(r"(?<![(\d.])1\.3\.6\.1\.5\.5\.7\.3\.1(?![)\d])", text)  # never an OID on its own


def test_staff_pages_give_times_with_their_time_zone(app, client, hierarchy, users):
    url = result_of(client, hierarchy)
    reference = url.rsplit("/", 1)[1]
    staff = app.test_client()
    assert sign_in(staff).status_code == 302
    listed = page(staff.get("/staff/cases")).select_one("tbody td:last-child").get_text(" ", strip=True)
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC", listed), listed
    case = page(staff.get(f"/staff/cases/{reference}")).get_text(" ")
    assert re.search(r"Last change \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC", " ".join(case.split()))


def test_a_help_desk_plan_speaks_of_the_customers_server(client, hierarchy):
    text = " ".join(page(client.get(result_of(client, hierarchy))).get_text(" ").split())
    assert not re.search(r"\bour (?:server|organization)\b", text, re.IGNORECASE)
    assert "the customer's server" in text.lower()


def test_an_admins_own_plan_speaks_of_our_server(client, hierarchy):
    text = " ".join(page(client.get(result_of(client, hierarchy, role="admin"))).get_text(" ").split())
    assert "the customer's server" not in text.lower()
