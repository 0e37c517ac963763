"""Staff pages of the expiry watch: certificates expiring within 30, 60 or 90 days; calendar addresses."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.extensions import db
from app.store import Case

from . import bp
from .calendar import CALENDAR_LINK, feed_exists, new_feed, shown_calendar_link, stop_feeds
from .cases import keyset_page
from .expiry import WINDOWS, describe, expiring_query
from .forms import ActionForm
from .views import checked_action


@bp.get("/expiring")
def expiring():
    days = request.args.get("within", WINDOWS[0], type=int)
    if days not in WINDOWS:
        days = WINDOWS[0]
    found = keyset_page(expiring_query(days), Case.certificate_expires_at, descending=False,
                        older=request.args.get("older"), newer=request.args.get("newer"))
    return render_template("staff/expiring.html", rows=describe(found.cases), found=found, days=days,
                           windows=WINDOWS, page_args={"within": days}, action_form=ActionForm(),
                           calendar_link=shown_calendar_link("mine"), calendar_active=feed_exists(user=current_user))


@bp.post("/calendar")
def my_calendar():
    if not ActionForm().validate_on_submit():
        abort(400)
    session[CALENDAR_LINK] = ("mine", new_feed(user=current_user))
    db.session.commit()
    within = request.args.get("within", type=int)
    return redirect(url_for("staff.expiring", within=within if within in WINDOWS else None, _anchor="calendar"))


@bp.post("/calendar/stop")
def stop_my_calendar():
    if not ActionForm().validate_on_submit():
        abort(400)
    stop_feeds(user=current_user)
    db.session.commit()
    flash(_("Your calendar address has stopped working."), "info")
    return redirect(url_for("staff.expiring", _anchor="calendar"))


@bp.post("/cases/<reference>/calendar/stop")
def stop_case_calendar(reference: str):
    case = checked_action(reference)
    stop_feeds(case=case)
    db.session.commit()
    flash(_("The calendar address of this case has stopped working."), "info")
    return redirect(url_for("staff.case", reference=case.reference, _anchor="calendar"))


@bp.post("/cases/<reference>/calendar")
def case_calendar(reference: str):
    case = checked_action(reference)
    session[CALENDAR_LINK] = (case.reference, new_feed(case=case))
    db.session.commit()
    return redirect(url_for("staff.case", reference=case.reference, _anchor="calendar"))
