"""Case result page."""
from flask import render_template

from app.analysis import case_report
from app.wizard.session import case_for_reference

from . import bp


@bp.get("/cases/<reference>")
def result(reference: str):
    case = case_for_reference(reference)
    return render_template("reports/result.html", case=case, report=case_report(case))
