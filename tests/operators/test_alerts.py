"""deploy/alerts.yml is a valid Prometheus rules file, and its alerts fire (and stay quiet) as intended:
`promtool check rules`, then `promtool test rules` over the made-up series in alerts_test.yml."""
from __future__ import annotations

import subprocess  # nosec B404
from pathlib import Path

from bench.server import REPO
from tests.operators.prometheus import PROMTOOL, need

RULES = REPO / "deploy" / "alerts.yml"
RULE_TESTS = Path(__file__).with_name("alerts_test.yml")
ALERTS = {"WizardServerErrors", "WizardDown", "WizardHealthFailing", "WizardExpiryWebhookFailing",
          "CustomerCertificatesExpiring", "CustomerCertificatesExpired"}


def promtool(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess:
    need(PROMTOOL)
    return subprocess.run([PROMTOOL, *args], cwd=cwd, capture_output=True, text=True, timeout=120)  # nosec B603


def test_promtool_accepts_the_rules_file():
    checked = promtool("check", "rules", str(RULES))
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert f"SUCCESS: {len(ALERTS)} rules found" in checked.stdout


def test_each_alert_fires_on_its_symptom_and_not_before():
    tested = promtool("test", "rules", RULE_TESTS.name, cwd=RULE_TESTS.parent)
    assert tested.returncode == 0, tested.stdout + tested.stderr
    covered = {line.split("alertname:", 1)[1].strip() for line in RULE_TESTS.read_text().splitlines()
               if "alertname:" in line}
    assert covered == ALERTS
