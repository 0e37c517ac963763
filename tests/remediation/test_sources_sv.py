"""A Swedish plan cites Microsoft's Swedish pages where Microsoft has them; the English plan is unchanged."""
from __future__ import annotations

from app.remediation import render_powershell
from app.remediation.render import plan_to_dict
from app.remediation.sources import SOURCES
from app.remediation.sources_sv import SWEDISH, plan_in_language
from tests.remediation.cases import CASES, build_cases
from tests.swedish import swedish

SWEDISH_CASES = build_cases(swedish)


def test_the_swedish_script_cites_the_swedish_kb_and_keeps_the_others():
    plan = plan_in_language(SWEDISH_CASES["exchange-se__certificate"], "sv")
    script = render_powershell(plan, swedish)
    sources = script.split("# Källor")[1]
    assert ("# KB 3169958: Viktigt meddelande för Office 365 e-kunder som har konfigurerat kopplingar: "
            "https://support.microsoft.com/sv-se/kb/3169958") in sources
    assert "Important notice for Office 365" not in sources and "/help/3169958" not in sources
    assert "New-InboundConnector (cmdlet reference)" in sources  # no Swedish cmdlet reference: English stays


def test_the_swedish_json_cites_the_swedish_pages_in_every_list():
    data = plan_to_dict(plan_in_language(SWEDISH_CASES["exchange-se__certificate"], "sv"))
    cited = data["sources"] + [s for item in data["checklist"] for s in item["sources"]] + \
        data["exchange_online"]["sources"] + data["on_premises"]["sources"]
    kb = [s for s in cited if s["id"] == "KB3169958"]
    assert kb and all(s["url"] == "https://support.microsoft.com/sv-se/kb/3169958" for s in kb)


def test_english_plans_are_untouched_and_every_swedish_entry_is_a_known_source():
    plan = CASES["exchange-se__certificate"]
    assert plan_in_language(plan, "en") is plan
    assert set(SWEDISH) <= set(SOURCES)
    assert all(url.startswith("https://") and "/sv-se/" in url for _, url in SWEDISH.values())
