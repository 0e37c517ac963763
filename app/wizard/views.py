"""Generic step views: show a step's form, save its answers, move on."""
from __future__ import annotations

from flask import abort, current_app, g, redirect, render_template, request, url_for

from app.extensions import limiter
from app.remediation.mx import guess_mx_endpoint
from app.store import clear_step, create_case, db, save_step, utcnow
from app.web.analysis import unreadable_reason

from . import bp
from .kept import keep_page, kept_page
from .forms.fields import ContinueForm, viewer_role
from .forms.start import StartForm
from .session import case_required, current_case, forget_case, open_case
from .steps import CHECK, BY_NAME, OWN_ENDPOINTS, Step, applicable, first_unanswered, next_step, position, previous_step, step_url
from .summary import check_rows

def form_data(form) -> dict:
    """The answers a form holds, without the CSRF token or files."""
    return {name: value for name, value in form.data.items() if name != "csrf_token"}


def render_step(step: Step, form, answers: dict, **extra):
    number, total = position(step, answers)
    back = previous_step(step, answers)
    returning = request.args.get("return") == CHECK
    return render_template(
        extra.pop("template", step.template),
        step=step, form=form, number=number, total=total, returning=returning,
        back_url=url_for("wizard.check") if returning else (step_url(back) if back else url_for("main.index")),
        **extra,
    )


# New cases per visitor's address (NEW_CASE_LIMIT): each one feeds the expiry watch, the webhook and the
# CSV report (40 anonymous cases took half a second). Changing the first answers of an open case is not counted.
def new_case_limit() -> str:
    return current_app.config["NEW_CASE_LIMIT"]


@bp.route("/wizard/start", methods=["GET", "POST"])
@limiter.limit(new_case_limit, methods=["POST"], exempt_when=lambda: current_case() is not None)
def start():
    case = current_case()
    step = BY_NAME["start"]
    answers = case.answers if case else {}
    form = StartForm(data=answers.get("start"))
    if form.validate_on_submit():
        new = case is None
        if new:
            case = create_case(form.organization.data.strip())
        else:
            case.organization = form.organization.data.strip()
        save_step(case, "start", form_data(form))  # commits a new case with its first answer
        if new:  # only once committed: the id of a case rolled back can be given to another's case
            open_case(case)
        return redirect(step_url(next_step(step, case.answers, request.args.get("return") == CHECK),
                                 request.args.get("return") == CHECK))
    return render_step(step, form, answers, case=case)


@bp.post("/wizard/new")
def new_case():
    """Forget the case in this browser (it stays saved) and start another."""
    forget_case()
    return redirect(url_for("wizard.start"))


@bp.route("/wizard/<name>", methods=["GET", "POST"])
def step(name: str):
    """A step's form: the page kept for this version of the visitor's case (app/wizard/kept.py), else rendered."""
    return (request.method == "GET" and kept_page(name)) or _step(name=name)


@case_required
def _step(case, name: str):
    step = BY_NAME.get(name)
    if step is None or name in OWN_ENDPOINTS:
        abort(404)
    answers = case.answers
    if step not in applicable(answers):
        return redirect(step_url(first_unanswered(answers)))
    g.wording_role = viewer_role(case)  # the labels' voice, from the case in hand (not looked up again)
    form = step.form(data=answers.get(name))
    if name == "server-details" and request.method == "POST" and request.form.get("use_guess"):
        # Only filled in, not saved: the admin compares it with the admin center, then continues.
        form.mx_endpoint.data = mx_guess(answers)
        return render_step(step, form, answers, case=case, mx_guess=mx_guess(answers), guess_filled=True)
    if form.validate_on_submit():
        data = step_data(form)
        if name == "domains" and data.get("domains") != (answers.get("domains") or {}).get("domains"):
            clear_step(case, "connector-domain")  # the choices depend on the accepted domains: ask again
        save_step(case, name, data)
        returning = request.args.get("return") == CHECK
        return redirect(step_url(next_step(step, case.answers, returning), returning))
    return keep_page(case, name, render_step(step, form, answers, case=case, mx_guess=mx_guess(answers)))


def mx_guess(answers: dict) -> str:
    """The usual MX endpoint of the first accepted domain: only offered, the admin confirms it."""
    domains = (answers.get("domains") or {}).get("domains") or []
    return guess_mx_endpoint(domains[0]) if domains else ""


def step_data(form) -> dict:
    data = form_data(form)
    extra = getattr(form, "domains", None)
    if extra:
        data["domains"] = extra
    return data


@bp.route("/wizard/check", methods=["GET", "POST"])
@case_required
def check(case):
    missing = first_unanswered(case.answers)
    if missing is not None:
        return redirect(step_url(missing))
    form = ContinueForm()
    if form.validate_on_submit():
        case.completed_at = case.completed_at or utcnow()
        db.session.commit()
        return redirect(url_for("reports.result", reference=case.reference))
    last = applicable(case.answers)[-1]
    return render_template("wizard/check.html", case=case, form=form,
                           rows=check_rows(case, certificate_unreadable=bool(unreadable_reason(case))),
                           back_url=step_url(last))
