"""JSON API over the certificate analysis and the plan. Stores nothing, so no CSRF."""
from flask import Blueprint

from app.extensions import csrf

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)

from . import certificate, diagnose, openapi, plan  # noqa: E402,F401
from . import config_audit, headers, probe  # noqa: E402,F401  (issue 12: audit, header reader, probe)
from . import certificate_request  # noqa: E402,F401  (issue 25: the signing-request check)
