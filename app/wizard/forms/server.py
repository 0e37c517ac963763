from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, StringField
from wtforms.validators import InputRequired, Length, ValidationError

from app.wizard.session import current_case

from .fields import RoleText, options

from app.certs.domains import DomainError, normalize_domain
from app.remediation.mx import check_mx_endpoint

SERVER_CHOICES = options(
    ("exchange-se", _l("Exchange Server Subscription Edition (SE)")),
    ("exchange-2019", _l("Exchange Server 2019")),
    ("exchange-2016", _l("Exchange Server 2016")),
    ("exchange-2013", _l("Exchange Server 2013")),
    ("exchange-2010", _l("Exchange Server 2010")),
    ("postfix", _l("Postfix")),
    ("sendmail", _l("Sendmail")),
    ("exim", _l("Exim")),
    ("other", _l("Another server, an appliance or a device")),
)


class ServerForm(FlaskForm):
    kind = RadioField(
        RoleText(_l("Which mail server sends from your organization to Office 365?"),
                 _l("Which mail server sends from the customer's organization to Office 365?")),
        choices=SERVER_CHOICES, validators=[InputRequired(_l("Select the kind of mail server"))],
    )


class ExchangeSetupForm(FlaskForm):
    hybrid_wizard = RadioField(
        _l("Was the connection to Office 365 set up by the Hybrid Configuration Wizard?"),
        description=_l("If you are not sure, look for connectors whose names start with 'Outbound to' "
                       "or 'Inbound from' followed by a long identifier: the wizard made those."),
        choices=options(("yes", _l("Yes, by the Hybrid Configuration Wizard")),
                        ("no", _l("No, the connectors were set up by hand"))),
        validators=[InputRequired(_l("Select how the connection was set up"))],
    )
    egress = RadioField(
        _l("Which Exchange server makes the connection to Office 365?"),
        description=_l("Exchange Online sees the certificate of the server that connects to it, so the certificate "
                       "goes there. To tell, run Get-SendConnector | Format-List Name,AddressSpaces,"
                       "SourceTransportServers,FrontendProxyEnabled and Get-ExchangeServer | Format-List "
                       "Name,ServerRole in the Exchange Management Shell."),
        choices=options(("mailbox", _l("The Mailbox servers themselves (FrontendProxyEnabled False)")),
                        ("frontend", _l("The front end of the Mailbox servers (FrontendProxyEnabled True)")),
                        ("edge", _l("An Edge Transport server")),
                        ("unsure", _l("I don't know"))),
        validators=[InputRequired(_l("Select which server makes the connection"))],
    )

    def validate_hybrid_wizard(self, field) -> None:
        """The wizard always leaves an inbound connector ("Inbound from <GUID>"): "none" before is a contradiction
        to clear up, or the plan says both "run the wizard again" and "add a connector"."""
        case = current_case()
        connector = ((case.answers.get("connector") or {}).get("kind") if case else None)
        if field.data == "yes" and connector == "none":
            raise ValidationError(_(
                "The Hybrid Configuration Wizard makes an inbound connector in Exchange Online (\"Inbound from\" "
                "and a long identifier), but the answer before says there is no connector yet. Check with "
                "Get-InboundConnector, then change that answer, or choose No here if the wizard was not used."))


class ServerDetailsForm(FlaskForm):
    fqdn = StringField(
        _l("Sending server's fully qualified domain name"),
        description=_l("The name the server uses when it connects, like mail.contoso.com."),
        validators=[InputRequired(_l("Enter the server's name, like mail.contoso.com")), Length(max=253)],
        render_kw={"spellcheck": "false", "autocapitalize": "none"},
    )
    mx_endpoint = StringField(
        RoleText(_l("Your tenant's MX endpoint"), _l("The customer's MX endpoint")),
        description=_l("Copy it from the Microsoft 365 admin center: Settings > Domains > your domain > "
                       "DNS records, the MX record's 'Points to address', like "
                       "contoso-com.mail.protection.outlook.com."),
        validators=[Length(max=253)],
        render_kw={"spellcheck": "false", "autocapitalize": "none"},
    )
    mx_host: str = ""

    def validate_fqdn(self, field) -> None:
        try:
            field.data = normalize_domain(field.data or "")
        except DomainError:
            raise ValidationError(_("Enter the server's name, like mail.contoso.com")) from None

    def validate_mx_endpoint(self, field) -> None:
        if not (field.data or "").strip():
            raise ValidationError(_("Enter your MX endpoint, like contoso-com.mail.protection.outlook.com"))
        result = check_mx_endpoint(field.data, _=_)
        if not result.ok:
            raise ValidationError(result.message)
        field.data = result.host
