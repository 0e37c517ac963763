"""Admins' page for one organization's data: download all of it as JSON, or erase all of it."""
from __future__ import annotations

import json

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.extensions import db
from app.store import utcnow

from . import bp, organizations
from .auth import admin_required
from .forms import EraseForm, ExportForm, OrganizationForm


@bp.get("/organizations")
@admin_required
def organization():
    form = OrganizationForm(request.args)
    found = None
    if "name" in request.args and form.validate():
        found = len(organizations.case_ids(form.name.data))
    name = (form.name.data or "").strip()
    return _render(form, name, found, EraseForm(prefix="erase", name=name))


def _render(form, name: str, found: int | None, erase_form: EraseForm, status: int = 200):
    return render_template("staff/organization.html", lookup=form, name=name, found=found,
                           export_form=ExportForm(prefix="export", name=name), erase_form=erase_form,
                           form=erase_form if erase_form.errors else form), status  # base.html: "Error:" in the title


@bp.post("/organizations/export")
@admin_required
def export_organization():
    form = ExportForm(prefix="export")
    if not form.validate_on_submit():
        abort(400)
    document = organizations.export(form.name.data)
    if document is None:
        abort(404)
    organizations.record(organizations.EXPORTED, current_user.email, current_user.id,
                         {"cases": len(document["cases"])})
    db.session.commit()
    filename = f"organization-export-{utcnow():%Y%m%d-%H%M%S}.json"
    return Response(json.dumps(document, indent=2, ensure_ascii=False), mimetype="application/json",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@bp.post("/organizations/erase")
@admin_required
def erase_organization():
    erase_form = EraseForm(prefix="erase")
    name = (erase_form.name.data or "").strip()
    if not erase_form.validate_on_submit():
        if not erase_form.confirm.errors:  # a missing or stale token, not the confirmation
            abort(400)
        found = len(organizations.case_ids(name))
        return _render(OrganizationForm(data={"name": name}), name, found, erase_form, 400)
    erasure = organizations.erase(name, current_user.email, current_user.id)
    if erasure is None:
        abort(404)
    # (babel.cfg extracts Python's ngettext as a singular message only: one message per form instead)
    erased = (_("Erased 1 case and everything about it.") if erasure.cases == 1
              else _("Erased %(num)d cases and everything about them.", num=erasure.cases))
    flash(erased + " " + _("The audit log keeps who erased and when, with the erasure id %(id)s, never the "
                           "organization's name.", id=erasure.erasure_id), "success")
    return redirect(url_for("staff.organization"))
