from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import InputRequired, Length, StopValidation

from app.certs.domains import (
    EMPTY, INTERNAL, SINGLE_LABEL, SPACE, WILDCARD, LineProblem, ParsedDomains, parse_accepted_domains,
)

from .fields import RoleText

MAX_DOMAINS_TEXT = 20000
MAX_LINE_MESSAGES = 10  # a pasted novel gets ten messages and a count, not one per line
QUOTED_LENGTH = 60


class DomainsForm(FlaskForm):
    accepted_domains = TextAreaField(
        RoleText(_l("What are your organization's accepted domains?"),
                 _l("What are the customer's accepted domains?")),
        description=_l("One domain per line, like contoso.com. Or paste the output of "
                       "Get-AcceptedDomain from Exchange Online PowerShell."),
        validators=[InputRequired(_l("Enter at least one accepted domain, like contoso.com")),
                    Length(max=MAX_DOMAINS_TEXT, message=_l("Paste at most 20,000 characters"))],
        render_kw={"rows": 8, "spellcheck": "false", "autocapitalize": "none"},
    )
    domains: list[str] = []

    def validate_accepted_domains(self, field) -> None:
        parsed = parse_accepted_domains(field.data or "")
        problems = bad_line_messages(parsed)
        if problems:
            field.errors.extend(problems[:-1])
            raise StopValidation(problems[-1])
        if not parsed.domains:
            raise StopValidation(_("Enter at least one accepted domain, like contoso.com"))
        web = web_address_messages(field.data or "")
        if web:
            field.errors.extend(web[:-1])
            raise StopValidation(web[-1])
        self.domains = parsed.domains


def web_address_messages(text: str) -> list[str]:
    """A web site's address is asked about, never silently cut to its host: www.contoso.com is seldom the
    accepted domain that https://www.contoso.com/ stands for (http://contoso.com reads as contoso.com)."""
    messages = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if "://" not in line or line.lower().startswith("mailto:"):
            continue
        host = next(iter(parse_accepted_domains(line).domains), "")
        if not host.startswith("www."):
            continue
        messages.append(_('Line %(number)s: "%(line)s" is a web address; enter the domain itself, like %(host)s or '
                          '%(parent)s, whichever is the accepted domain', number=number, line=_quoted(line),
                          host=host, parent=host.removeprefix("www.")))
    return messages[:MAX_LINE_MESSAGES]


def _quoted(text: str) -> str:
    return text if len(text) <= QUOTED_LENGTH else text[:QUOTED_LENGTH - 1] + "…"


def line_message(problem: LineProblem) -> str:
    """What is wrong with one line, quoting it, and what to enter instead."""
    number, line = problem.number, _quoted(problem.text)
    if problem.reason == WILDCARD:
        return _('Line %(number)s: "%(line)s" is not a domain: accepted domains have no *; enter it like contoso.com',
                 number=number, line=line)
    if problem.reason == INTERNAL:
        return _('Line %(number)s: "%(line)s" is an internal name or an address, which Microsoft 365 cannot have as '
                 'a domain; leave it out or enter a public domain, like contoso.com', number=number, line=line)
    if problem.reason == SPACE:
        return _('Line %(number)s: "%(line)s" is not a domain; enter one domain per line, like contoso.com',
                 number=number, line=line)
    if problem.reason in (SINGLE_LABEL, EMPTY):
        return _('Line %(number)s: "%(line)s" is not a domain; enter it like contoso.com', number=number, line=line)
    return _('Line %(number)s: "%(line)s" is not a domain; use letters, digits, hyphens and dots, like contoso.com',
             number=number, line=line)


def bad_line_messages(parsed: ParsedDomains) -> list[str]:
    """One message per refused line (at most MAX_LINE_MESSAGES, then how many more)."""
    messages = [line_message(problem) for problem in parsed.problems[:MAX_LINE_MESSAGES]]
    more = len(parsed.problems) - MAX_LINE_MESSAGES
    if more > 0:
        messages.append(_("%(count)s more lines are not domains either; enter one domain per line, like contoso.com",
                          count=more))
    return messages


def bad_lines_message(parsed: ParsedDomains) -> str | None:
    """The refused lines in one message (for forms that show one message per field)."""
    return " ".join(bad_line_messages(parsed)) or None


def domains_as_read(answer: dict) -> list[str]:
    """The domains step's saved domains, each with the text it was read from where that differs."""
    sources = parse_accepted_domains(answer.get("accepted_domains") or "").sources
    return [_("%(domain)s (from %(text)s)", domain=domain, text=_quoted(sources[domain])) if domain in sources
            else domain for domain in answer.get("domains", [])]
