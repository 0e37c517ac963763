"""Templates translate through the request's catalog, found once: same words and escaping as Flask-Babel's."""
from __future__ import annotations

from flask import render_template_string
from flask_babel import force_locale


def render(app, source: str, path: str = "/", **context) -> str:
    with app.test_request_context(path):
        return render_template_string(source, **context)


def test_strings_come_in_the_requests_language(app):
    assert render(app, "{{ _('Start now') }}", "/?lang=sv") == "Börja nu"
    assert render(app, "{{ _('Start now') }}", "/?lang=en") == "Start now"
    assert render(app, "{{ gettext('Start now') }}", "/?lang=sv") == "Börja nu"


def test_a_forced_language_switches_the_strings_within_one_request(app):
    with app.test_request_context("/?lang=sv"):
        assert render_template_string("{{ _('Start now') }}") == "Börja nu"
        with force_locale("en"):
            assert render_template_string("{{ _('Start now') }}") == "Start now"
        assert render_template_string("{{ _('Start now') }}") == "Börja nu"


def test_values_are_escaped_and_the_translation_is_not(app):
    html = render(app, "{{ _('Continue case %(reference)s', reference=ref) }}", "/?lang=sv", ref="<b>KB</b>")
    assert html == "Fortsätt med ärende &lt;b&gt;KB&lt;/b&gt;"


def test_plurals_and_percent_signs_as_jinja_formats_them(app):
    source = "{{ ngettext('%(num)d case', '%(num)d cases', n) }}"
    assert render(app, source, "/?lang=en", n=1) == "1 case"
    assert render(app, source, "/?lang=en", n=3) == "3 cases"
    assert render(app, "{{ _('100%% sure') }}") == "100% sure"
    assert render(app, "{{ _('plain, no percent') }}") == "plain, no percent"


def test_text_templates_are_not_escaped(app):
    with app.test_request_context("/"):
        template = app.jinja_env.from_string("{% autoescape false %}{{ _('a %(x)s', x='<b>') }}{% endautoescape %}")
        assert template.render() == "a <b>"
