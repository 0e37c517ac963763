"""Which host names a certificate name covers, in the audit and in the plan alike (issue 16)."""
from __future__ import annotations

import pytest

from app.audit.derive import covers as audit_covers
from app.remediation.onprem_exchange import covers as plan_covers


@pytest.mark.parametrize("name,host,covered", [
    ("mail.contoso.com", "mail.contoso.com", True),
    ("MAIL.contoso.com", "mail.CONTOSO.com", True),
    ("mail.contoso.com", "smtp.contoso.com", False),
    ("*.contoso.com", "mail.contoso.com", True),
    ("*.Contoso.com", "MAIL.CONTOSO.COM", True),
    ("*.contoso.com", "contoso.com", False),             # a wildcard never covers its own domain
    ("*.contoso.com", "a.mail.contoso.com", False),      # nor two labels
    ("*.contoso.com", "mail.notcontoso.com", False),     # nor a look-alike
    ("*.contoso.com", "contoso", False),
    ("contoso.com", "mail.contoso.com", False),
])
@pytest.mark.parametrize("covers", [audit_covers, plan_covers], ids=["audit", "plan"])
def test_a_certificate_name_covers_a_host(covers, name, host, covered):
    assert covers(name, host) is covered
