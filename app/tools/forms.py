"""Forms of the public tools: the error decoder, the renewal check, the audit, the header reader, the probe."""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import IntegerField, PasswordField, RadioField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional, Regexp, ValidationError

from app.remediation.answers import EXCHANGE_KINDS
from app.wizard.forms.fields import options
from app.wizard.forms.server import SERVER_CHOICES


class DiagnoseForm(FlaskForm):
    text = TextAreaField(
        _l("Paste the error message"),
        description=_l("The whole non-delivery report or the line from the log: the status code "
                       "(like 550 5.7.64) and the text after it."),
        validators=[InputRequired(_l("Paste the error message or the non-delivery report")),
                    Length(max=20000, message=_l("Paste at most 20,000 characters: the status lines are enough"))])


class RenewalForm(FlaskForm):
    server_kind = RadioField(
        _l("Which server presents the certificate?"),
        description=_l("The steps differ: Exchange 2010 picks the certificate by the send connector's name, later "
                       "versions name it on the connector, other servers read it from files."),
        choices=SERVER_CHOICES, validators=[InputRequired(_l("Select the kind of server"))])
    hybrid_wizard = RadioField(
        _l("Exchange only: was the connection set up by the Hybrid Configuration Wizard?"),
        description=_l("Hybrid servers also name the certificate on the receive connector that Exchange Online "
                       "delivers to."),
        choices=options(("no", _l("No, set up by hand")), ("yes", _l("Yes, by the Hybrid Configuration Wizard"))),
        validate_choice=False)
    current_file = FileField(_l("Certificate in use now"),
                             description=_l("A .cer, .crt, .pem, .der, .p7b, .pfx or .p12 file. Or paste it below."))
    current_text = TextAreaField(_l("Or paste the certificate in use now (PEM)"), validators=[Optional()])
    current_password = PasswordField(_l("Password of the current .pfx file (if any)"), validators=[Optional()])
    new_file = FileField(_l("Replacement certificate"),
                         description=_l("The renewed certificate, with its chain if you have it."))
    new_text = TextAreaField(_l("Or paste the replacement certificate (PEM)"), validators=[Optional()])
    new_password = PasswordField(_l("Password of the replacement .pfx file (if any)"), validators=[Optional()])
    connector_domain = StringField(
        _l("Certificate domain on the Exchange Online connector"),
        description=_l("The TlsSenderCertificateName of the inbound connector, like mail.contoso.com or *.contoso.com."),
        validators=[InputRequired(_l("Enter the domain the connector expects, like mail.contoso.com")),
                    Length(max=253)])
    accepted_domains = TextAreaField(
        _l("Accepted domains (optional)"),
        description=_l("One a line. Lets us suggest a new connector value if the names changed."),
        validators=[Optional(), Length(max=5000)])

    def validate_hybrid_wizard(self, field) -> None:
        """Asked of Exchange only; the other kinds ignore it."""
        if self.server_kind.data in EXCHANGE_KINDS and field.data not in ("yes", "no"):
            raise ValidationError(_("Select whether the Hybrid Configuration Wizard set up the connection"))


# The configuration audit, the header reader and the probe (issue 12).
TENANT_ID = r"^\s*[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}\s*$"


class AuditForm(FlaskForm):
    text = TextAreaField(
        _l("Paste the output"),
        description=_l("The block the collection script printed, or what Get-InboundConnector | Format-List, "
                       "Get-SendConnector | Format-List, Get-ExchangeCertificate | Format-List and the other Get- "
                       "commands printed, in any order."),
        validators=[InputRequired(_l("Paste the output of the collection script or of the Get- commands")),
                    Length(max=400000, message=_l("Paste at most 400,000 characters: run the collection script, "
                                                  "its block is shorter"))])
    accepted_domains = TextAreaField(
        _l("Accepted domains (optional)"),
        description=_l("One a line, if the paste does not include Get-AcceptedDomain."),
        validators=[Optional(), Length(max=5000)])


class HeadersForm(FlaskForm):
    text = TextAreaField(
        _l("Paste the message headers"),
        description=_l("All the headers of the test message as the external recipient received it (in Outlook: "
                       "File > Properties > Internet headers; in Gmail: Show original)."),
        validators=[InputRequired(_l("Paste the headers of the test message")),
                    Length(max=200000, message=_l("Paste at most 200,000 characters: the headers are enough"))])
    tenant_id = StringField(
        _l("Your tenant ID (optional)"),
        description=_l("Microsoft Entra admin center > Overview > Tenant ID, like "
                       "0c6b7f1e-5a0b-4c8f-9d52-2b8e3a4f6d10. We compare it with the one in the headers."),
        validators=[Optional(), Regexp(TENANT_ID, message=_l(
            "Enter the tenant ID as 32 hexadecimal digits in five groups, like 0c6b7f1e-5a0b-4c8f-9d52-2b8e3a4f6d10"))])


class ProbeForm(FlaskForm):
    host = StringField(
        _l("Server name"),
        description=_l("The host name your server receives mail on, like mail.contoso.com."),
        validators=[InputRequired(_l("Enter the server's host name, like mail.contoso.com")), Length(max=253)])
    port = IntegerField(
        _l("Port (optional)"), description=_l("25, or 587 or 465 where your server receives mail there."),
        validators=[Optional(), NumberRange(min=1, max=65535, message=_l("Enter port 25, 587 or 465"))])
    accepted_domains = TextAreaField(
        _l("Accepted domains (optional)"), description=_l("One a line: to check the names on the certificate."),
        validators=[Optional(), Length(max=5000)])
