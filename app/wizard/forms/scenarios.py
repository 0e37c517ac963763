from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms.validators import ValidationError

from .fields import CheckboxesField, RoleText, options

SCENARIO_CHOICES = options(
    ("ndr", RoleText(
        _l("Non-delivery reports (NDRs) or out-of-office replies go from our server to senders on the internet"),
        _l("Non-delivery reports (NDRs) or out-of-office replies go from the customer's server to senders on "
           "the internet"))),
    ("non_accepted_domain", RoleText(_l("Our server sends as domains that are not added to Office 365"),
                                     _l("The customer's server sends as domains that are not added to Office 365"))),
    ("forwarding", RoleText(_l("Our server forwards messages to external addresses"),
                            _l("The customer's server forwards messages to external addresses"))),
    ("applications", RoleText(_l("Applications or devices relay mail to the internet through our server"),
                              _l("Applications or devices relay mail to the internet through the customer's "
                                 "server"))),
    ("not_sure", _l("I am not sure")),
    ("none", _l("None of these")),
)


class ScenariosForm(FlaskForm):
    scenarios = CheckboxesField(
        RoleText(_l("Which of these happen in your organization?"),
                 _l("Which of these happen in the customer's organization?")),
        description=_l("Select all that apply. Mail from the on-premises server to the internet "
                       "through Office 365 is relayed only if the connector identifies the server."),
        choices=SCENARIO_CHOICES,
    )

    def validate_scenarios(self, field) -> None:
        if not field.data:
            raise ValidationError(_l("Select what happens in your organization, or select 'None of these'"))
        if "none" in field.data and len(field.data) > 1:
            raise ValidationError(_l("Select 'None of these' on its own, or clear it"))
