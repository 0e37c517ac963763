from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import InputRequired, Length, ValidationError

from app.certs.domains import ParsedDomains, parse_accepted_domains

MAX_DOMAINS_TEXT = 20000


class DomainsForm(FlaskForm):
    accepted_domains = TextAreaField(
        _l("What are your organization's accepted domains?"),
        description=_l("One domain per line, like contoso.com. Or paste the output of "
                       "Get-AcceptedDomain from Exchange Online PowerShell."),
        validators=[InputRequired(_l("Enter at least one accepted domain, like contoso.com")),
                    Length(max=MAX_DOMAINS_TEXT, message=_l("Paste at most 20,000 characters"))],
        render_kw={"rows": 8, "spellcheck": "false", "autocapitalize": "none"},
    )
    domains: list[str] = []

    def validate_accepted_domains(self, field) -> None:
        parsed = parse_accepted_domains(field.data or "")
        problem = bad_lines_message(parsed)
        if problem:
            raise ValidationError(problem)
        if not parsed.domains:
            raise ValidationError(_("Enter at least one accepted domain, like contoso.com"))
        self.domains = parsed.domains


def bad_lines_message(parsed: ParsedDomains) -> str | None:
    """Which lines of a pasted domain list are not domains, and what to enter instead."""
    if not parsed.problems:
        return None
    lines = ", ".join(str(number) for number, _text in parsed.problems[:10])
    return _("Line %(lines)s is not a domain. Enter one domain per line, like contoso.com", lines=lines)
