"""POST /api/v1/diagnose: pasted NDR or log text -> the matching error rules."""
from __future__ import annotations

from flask_babel import gettext as _

from app.diagnose import diagnose as decode
from app.diagnose.decoder import MAX_TEXT
from app.extensions import limiter
from app.web.budget import DECODER, budget

from . import bp
from .inputs import ApiInputError, json_body


@bp.post("/diagnose")
@limiter.limit("60 per minute")
def diagnose():
    try:
        body = json_body()
        text = body.get("text")
        if not isinstance(text, str) or not text.strip():
            raise ApiInputError("invalid_text", _("Put the error message in text, as a string."))
    except ApiInputError as error:
        return error.response()
    if len(text) > MAX_TEXT:
        return ApiInputError("too_large", _("Send at most %(limit)d characters of text.", limit=MAX_TEXT),
                             413).response()
    with budget(DECODER):
        return decode(text, _).to_dict()

