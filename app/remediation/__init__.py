"""Answers + certificate report -> one remediation plan, rendered as PowerShell or JSON.

Pure Python: no Flask. The web layer, the JSON API and the CLI all render the
same :class:`Plan`.
"""
from app.remediation.exchange_online import recommend_connector_name
from app.remediation.model import (
    AdminCenterSteps,
    ChecklistItem,
    CodeBlock,
    ExchangeOnlineConfig,
    OnPremisesConfig,
    Plan,
)
from app.remediation.mx import MxCheck, check_mx_endpoint, guess_mx_endpoint
from app.remediation.plan import build_plan
from app.remediation.powershell import powershell_bytes, ps_quote
from app.remediation.render import plan_to_dict, render_powershell
from app.remediation.rules import RULESET_VERSION

__all__ = [
    "AdminCenterSteps", "ChecklistItem", "CodeBlock", "ExchangeOnlineConfig", "MxCheck",
    "OnPremisesConfig", "Plan", "RULESET_VERSION", "build_plan", "check_mx_endpoint",
    "guess_mx_endpoint", "plan_to_dict", "powershell_bytes", "ps_quote", "recommend_connector_name",
    "render_powershell",
]
