"""/diagnose: a pasted NDR or log line explained, with the wizard step that fixes it."""
from __future__ import annotations

from flask import render_template
from flask_babel import gettext as _

from app.diagnose import diagnose as decode
from app.wizard.steps import BY_NAME, step_url

from . import bp
from .forms import DiagnoseForm


@bp.route("/diagnose", methods=["GET", "POST"])
def diagnose():
    form = DiagnoseForm()
    result = decode(form.text.data, _) if form.validate_on_submit() else None
    steps = {name: (step_url(BY_NAME[name]), BY_NAME[name].title) for name in BY_NAME}
    return render_template("diagnose/diagnose.html", form=form, result=result, steps=steps)
