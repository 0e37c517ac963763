from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms.validators import ValidationError

from .fields import CheckboxesField, options

SCENARIO_CHOICES = options(
    ("ndr", _l("Non-delivery reports (NDRs) or out-of-office replies go from our server to senders on the internet")),
    ("non_accepted_domain", _l("Our server sends as domains that are not added to Office 365")),
    ("forwarding", _l("Our server forwards messages to external addresses")),
    ("applications", _l("Applications or devices relay mail to the internet through our server")),
    ("not_sure", _l("I am not sure")),
    ("none", _l("None of these")),
)


class ScenariosForm(FlaskForm):
    scenarios = CheckboxesField(
        _l("Which of these happen in your organization?"),
        description=_l("Select all that apply. Mail from the on-premises server to the internet "
                       "through Office 365 is relayed only if the connector identifies the server."),
        choices=SCENARIO_CHOICES,
    )

    def validate_scenarios(self, field) -> None:
        if not field.data:
            raise ValidationError(_l("Select what happens in your organization, or select 'None of these'"))
        if "none" in field.data and len(field.data) > 1:
            raise ValidationError(_l("Select 'None of these' on its own, or clear it"))
