"""/devices: for printers and applications that cannot present a certificate, which way to send.

One question per page (app.remediation.devices holds them). The answers so far
travel in the query string, checked against the questions' choices, so the
chooser stores nothing and every page can be bookmarked or shared.
"""
from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from wtforms import RadioField, StringField
from wtforms.validators import InputRequired

from app.remediation.device_commands import (ADDRESS_MAX, device_address, ip_connector_commands,
                                             relay_connector_commands)
from app.remediation.devices import (BY_NAME, IP_CONNECTOR, QUESTIONS, RELAY_SERVER, WAYS, dated_text, next_question,
                                     recommend, valid_answers)
from app.remediation.sources import cite
from app.wizard.forms.fields import options

from . import bp


def _answers() -> dict[str, str]:
    return valid_answers(request.args.to_dict())


def _question_form(question):
    class QuestionForm(FlaskForm):
        answer = RadioField(_(question.text), description=dated_text(question.hint, question.dated, _),
                            choices=options(*((value, _(label)) for value, label in question.choices)),
                            validators=[InputRequired(_(question.error))])
    return QuestionForm()


def _before(answers: dict[str, str], name: str) -> dict[str, str]:
    """The answers given before question ``name``: where its back link goes."""
    names = [q.name for q in QUESTIONS]
    return {k: v for k, v in answers.items() if names.index(k) < names.index(name)}


@bp.get("/devices")
def devices():
    return render_template("tools/devices/start.html", ways=WAYS, sources={w.id: cite(*w.sources) for w in WAYS})


@bp.route("/devices/<name>", methods=["GET", "POST"])
def device_question(name: str):
    question = BY_NAME.get(name)
    if question is None:
        abort(404)
    answers = _answers()
    earlier = _before(answers, name)
    if next_question(earlier) is not question:
        return redirect(_next_url(earlier))
    form = _question_form(question)
    if request.method == "GET" and name in answers:
        form.answer.data = answers[name]
    if form.validate_on_submit():
        # Later answers may no longer apply: they are asked again.
        return redirect(_next_url({**earlier, name: form.answer.data}))
    return render_template("tools/devices/question.html", form=form, question=question, back_url=_back(earlier),
                           action=url_for("tools.device_question", name=name, **earlier))


def _back(answers: dict[str, str]) -> str:
    """The last question answered, with its answer chosen; the chooser's start page before the first."""
    if not answers:
        return url_for("tools.devices")
    last = list(answers)[-1]
    return url_for("tools.device_question", name=last, **answers)


def _next_url(answers: dict[str, str]) -> str:
    question = next_question(answers)
    if question is None:
        return url_for("tools.device_result", **answers)
    return url_for("tools.device_question", name=question.name, **answers)


@bp.get("/devices/result")
def device_result():
    answers = _answers()
    if next_question(answers) is not None:
        return redirect(_next_url(answers))
    result = recommend(answers, _)
    rows = [(BY_NAME[name], dict(BY_NAME[name].choices)[value], name) for name, value in answers.items()]
    form, commands = _commands(result.way.id)
    return render_template("tools/devices/result.html", result=result, rows=rows, answers=answers,
                           sources=cite(*result.way.sources), back_url=_back(answers), form=form, commands=commands)


# The ways set up in PowerShell: whether Exchange Online must see the address (public), and the commands.
_COMMANDS = {RELAY_SERVER: (False, relay_connector_commands), IP_CONNECTOR: (True, ip_connector_commands)}


class AddressForm(FlaskForm):
    """The device's address, asked on the result page (GET: it changes nothing, and the page stays a link)."""
    class Meta:
        csrf = False

    address = StringField(render_kw={"autocomplete": "off", "spellcheck": "false", "maxlength": ADDRESS_MAX})


def _commands(way_id: str) -> tuple[AddressForm | None, str | None]:
    """The address form of a way that has commands, and the commands once a valid address is given."""
    if way_id not in _COMMANDS:
        return None, None
    public, build = _COMMANDS[way_id]
    form = AddressForm(request.args)
    form.address.label.text = _("The device's public IP address") if public else _("The device's IP address")
    form.address.description = (_("The address Exchange Online sees the device's mail come from.") if public
                                else _("The address the device sends from, as the relay server sees it."))
    if "address" not in request.args:
        return form, None
    address, problem = device_address(form.address.data or "", public)
    if problem:
        form.address.errors = [_(problem, address=(form.address.data or "").strip()[:ADDRESS_MAX])]
        return form, None
    return form, build(address, _)
