"""Issue 21 item 3: the verify step asks for proof that proves (facts section 11, "Verifying")."""
from __future__ import annotations

import pytest

from app.remediation.rules import VERIFY
from tests.remediation.cases import CASES, build_cases
from tests.swedish import swedish


def verify_text(plan) -> str:
    item = next(item for item in plan.checklist if item.id == VERIFY)
    return "\n".join(item.details + [c.text for c in item.code])


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_verify_step_asks_for_proof_that_proves(name):
    text = verify_text(CASES[name])
    # The non-accepted domain report is where relayed mail of scenario 2 appears, not a failure list.
    assert "must not list them" not in text and "It is not a list of failures." in text
    # The NDR test only where the on-premises server writes the report, with how to tell.
    assert "proves the relay only when your on-premises server writes it" in text
    assert "its Reporting-MTA (the generating server) must be your server" in text
    # Never "250 means the relay is accepted".
    assert "250 means" not in text
    # The proof: the relayed message's headers (the exact fields) or message trace.
    for field in ("X-MS-Exchange-CrossTenant-FromEntityHeader: HybridOnPrem", "X-MS-Exchange-Organization-AuthAs: "
                  "Internal together with an Exchange Online hop", "X-EOPTenantAttributedMessage"):
        assert field in text
    assert "Get-MessageTraceV2" in text and "Status Delivered" in text


def test_the_verify_step_reads_in_swedish():
    english, translated = CASES["postfix__none"], build_cases(swedish)["postfix__none"]
    assert verify_text(english) != verify_text(translated)
