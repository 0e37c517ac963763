from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, StringField
from wtforms.validators import InputRequired, Length, Optional

from .fields import options

ROLES = options(
    ("agent", _l("A help-desk agent, working for a customer")),
    ("admin", _l("The customer's own administrator")),
)


class StartForm(FlaskForm):
    role = RadioField(_l("Who is working on this case?"), choices=ROLES,
                      validators=[InputRequired(_l("Select who is working on this case"))])
    organization = StringField(
        _l("Organization name"),
        description=_l("The organization this case is for, as the report and the ticket should name it. "
                       "You need it, with the case reference, to reopen the case."),
        validators=[InputRequired(_l("Enter the organization's name")),
                    Length(max=200, message=_l("Enter an organization name of 200 characters or fewer"))],
    )
    ticket = StringField(
        _l("Ticket number (optional)"),
        description=_l("Your help-desk ticket, if there is one, so the report can name it."),
        validators=[Optional(), Length(max=64, message=_l("Enter a ticket number of 64 characters or fewer"))],
    )


class ResumeForm(FlaskForm):
    reference = StringField(
        _l("Case reference"), description=_l("It looks like KB-7F3K-92QD."),
        validators=[InputRequired(_l("Enter the case reference, like KB-7F3K-92QD")), Length(max=32)],
    )
    organization = StringField(
        _l("Organization name"), description=_l("The organization name the case was saved under."),
        validators=[InputRequired(_l("Enter the organization name the case was saved under")), Length(max=200)],
    )
