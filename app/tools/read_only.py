"""The customer's read-only report link: the plan, without any way to change answers."""
from __future__ import annotations

import hmac

from flask import abort, render_template

from app.extensions import limiter
from app.reports.plan import plan_context
from app.store import find_by_reference
from app.wizard.session import is_live

from . import bp


@bp.get("/cases/<reference>/view/<token>")
@limiter.limit("30 per minute")
def read_only_report(reference: str, token: str):
    case = find_by_reference(reference)
    if (case is None or not case.read_token or not is_live(case)
            or not hmac.compare_digest(case.read_token.encode(), token.encode())):
        abort(404)
    return render_template("staff/read_only.html", **plan_context(case))
