"""End to end with real certificates through app.certs (the unit tests build reports directly)."""
from datetime import datetime

import pytest

from app.certs import analysis
from app.certs.trust import load_trust_store
from app.remediation import build_plan, render_powershell
from app.remediation.rules import DONE, REGISTER_DOMAIN
from tests.remediation import factories as f
from tests.remediation.cases import TODAY
from tests.remediation.pwsh import errors, parameter_problems, parse
from tests import certfactory


@pytest.fixture
def real_report(tmp_path):
    h = certfactory.make_hierarchy(sans=["mail.contoso.com"])
    store = load_trust_store(certfactory.write_trust_store(tmp_path / "roots.pem", h.root.cert))
    return analysis.analyze([h.leaf.cert, h.intermediate.cert], ["contoso.com", "mail.contoso.com"],
                            now=datetime.now(h.leaf.cert.not_valid_before_utc.tzinfo), trust_store=store)


@pytest.mark.parametrize("kind", ["exchange-2010", "exchange-2019", "postfix"])
def test_plan_from_a_real_report(real_report, kind):
    plan = build_plan(f.answers(kind, "ip"), real_report, today=TODAY)
    assert plan.connector_domain == "mail.contoso.com"
    register = next(item for item in plan.checklist if item.id == REGISTER_DOMAIN)
    assert register.status == DONE
    # Exchange 2010 is blocked by Exchange Online: the upgrade comes first (issue 21 item 6).
    assert (plan.checklist[0].id == "upgrade_exchange") == (kind == "exchange-2010")
    script = render_powershell(plan)
    assert errors(parse(script)) == []
    if kind.startswith("exchange"):
        assert real_report.leaf.thumbprint_sha1 in plan.on_premises.powershell
        version = "Exchange Server 2010" if kind == "exchange-2010" else "Exchange Server 2019"
        assert parameter_problems(plan.on_premises.powershell, version) == []
    if kind == "exchange-2019":
        assert real_report.exchange_tls_certificate_name.replace("'", "''") in plan.on_premises.powershell
