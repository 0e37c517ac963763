"""A certificate given in a form, as a file or pasted PEM: read it, or put the error on the right field."""
from __future__ import annotations

from flask_babel import gettext as _
from wtforms import Field

from app.certs.reading import CSR, PASSWORD_REQUIRED, WRONG_PASSWORD, CertificateInputError, Upload, read_certificates
from app.certs.request import RequestReport, looks_like_request


def submitted_certificate(file_field: Field, text_field: Field) -> tuple[bytes | None, Field]:
    """(the bytes, the field they came from); (None, the file field) with an error when neither or both."""
    upload = file_field.data
    chosen = bool(upload and getattr(upload, "filename", ""))
    data = upload.read() if chosen else b""
    text = (text_field.data or "").strip()
    if chosen and not data and not text:
        file_field.errors.append(_("The file %(name)s is empty: choose the file that holds the certificate",
                                   name=upload.filename))
        return None, file_field
    if data and text:
        file_field.errors.append(_("Upload a file or paste the certificate, not both"))
        return None, file_field
    if not data and not text:
        file_field.errors.append(_("Upload the certificate file, or paste the certificate"))
        return None, file_field
    return data or text.encode(), (file_field if data else text_field)


def read_submitted_certificate(file_field: Field, text_field: Field, password_field: Field,
                               check_request=None) -> Upload | RequestReport | None:
    """The certificates, or None with the reader's plain message on the field it concerns.

    With ``check_request`` (data -> RequestReport), a signing request is checked instead of refused:
    the caller shows its report and keeps nothing.
    """
    data, source = submitted_certificate(file_field, text_field)
    if data is None:
        return None
    try:
        return read_certificates(data, password_field.data or None)
    except CertificateInputError as error:
        if check_request is not None and (error.detail == CSR or looks_like_request(data)):
            try:
                return check_request(data)
            except CertificateInputError as request_error:
                error = request_error
        field = password_field if error.code in (PASSWORD_REQUIRED, WRONG_PASSWORD) else source
        field.errors.append(error.message(_))
        return None

