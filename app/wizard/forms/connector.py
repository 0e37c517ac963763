from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, StringField
from wtforms.validators import InputRequired, Length, Regexp

from .fields import RoleText, options

CONNECTOR_CHOICES = options(
    ("none", RoleText(_l("No, there is no connector from our server yet"),
                      _l("No, there is no connector from the customer's server yet"))),
    ("ip", RoleText(_l("Yes, one that identifies our server by its IP address"),
                    _l("Yes, one that identifies the customer's server by its IP address"))),
    ("certificate", RoleText(_l("Yes, one that identifies our server by a certificate"),
                             _l("Yes, one that identifies the customer's server by a certificate"))),
)


class ConnectorForm(FlaskForm):
    kind = RadioField(
        RoleText(_l("Is there already a connector in Exchange Online for mail from your own server?"),
                 _l("Is there already a connector in Exchange Online for mail from the customer's own server?")),
        description=_l("Look in the Exchange admin center under Mail flow > Connectors, "
                       "for a connector from 'Your organization's email server' to 'Office 365'."),
        choices=CONNECTOR_CHOICES, validators=[InputRequired(_l("Select whether there is a connector"))],
    )


class ConnectorNameForm(FlaskForm):
    name = StringField(
        _l("What is the existing connector called?"),
        description=_l("Its name exactly as the Exchange admin center shows it."),
        validators=[InputRequired(_l("Enter the connector's name as the admin center shows it")),
                    Length(max=64, message=_l("Enter a connector name of 64 characters or fewer")),
                    Regexp(r"^[^\x00-\x1f]*$", message=_l("Enter the name without line breaks or control characters"))],
    )
