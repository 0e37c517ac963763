from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import PasswordField, RadioField, TextAreaField
from wtforms.validators import InputRequired, Length

ACCEPTED_EXTENSIONS = ".cer,.crt,.pem,.der,.p7b,.p7c,.pfx,.p12"


class CertificateForm(FlaskForm):
    certificate_file = FileField(
        _l("Upload the certificate file"),
        description=_l("The certificate your server will present: .cer, .crt, .pem, .der, .p7b, .pfx or .p12. "
                       "Include the intermediate certificates if you have them."),
        render_kw={"accept": ACCEPTED_EXTENSIONS},
    )
    password = PasswordField(
        _l("Password for a .pfx or .p12 file (if it has one)"),
        description=_l("Used once to open the file and then forgotten. The private key is never kept."),
        validators=[Length(max=256)],
        render_kw={"autocomplete": "off"},
    )
    certificate_text = TextAreaField(
        _l("Or paste the certificate (PEM)"),
        description=_l("The text from -----BEGIN CERTIFICATE----- to -----END CERTIFICATE-----, "
                       "with the chain if you have it."),
        validators=[Length(max=200000)],
        render_kw={"rows": 6, "spellcheck": "false"},
    )


class ConnectorDomainForm(FlaskForm):
    connector_domain = RadioField(
        _l("Which domain should the connector use?"),
        validators=[InputRequired(_l("Select the domain to enter on the connector"))],
    )
