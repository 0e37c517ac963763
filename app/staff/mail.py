"""E-mail from the help desk: the customer's link (and the plan as PDF) through the help desk's SMTP server.

The standard library writes and sends the message (email.message.EmailMessage refuses a line
break in a header; smtplib speaks SMTP, STARTTLS or implicit TLS, and AUTH). The server's
certificate is always verified: against MAIL_CA_FILE when set, else the system's roots.
Every failure becomes a MailError with a sentence the agent can act on; nothing here logs
the message, the link or the password.
"""
from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from flask import current_app, render_template
from flask_babel import force_locale, gettext as _

MAIL_TIMEOUT = 10  # seconds each step of the SMTP conversation may take


class MailError(Exception):
    """Not sent; ``str(error)`` says why, in the agent's language."""


def mail_configured() -> bool:
    config = current_app.config
    return bool(config.get("MAIL_SERVER") and config.get("MAIL_DEFAULT_SENDER"))


def link_message(case, recipient: str, language: str, link: str, pdf: bytes | None) -> EmailMessage:
    """The message to the customer, worded in ``language``: the link, and the plan attached when there is one."""
    with force_locale(language):
        subject = _("Your case %(reference)s: the plan for your connector certificate", reference=case.reference)
        values = {"case": case, "link": link, "with_pdf": pdf is not None}
        text = render_template("staff/mail/link.txt", **values)
        html = render_template("staff/mail/link.html", **values)
    message = EmailMessage()
    try:  # a CR or LF in a header value is refused here (header injection)
        message["Subject"] = subject
        message["From"] = current_app.config["MAIL_DEFAULT_SENDER"]
        message["To"] = recipient
    except ValueError as error:
        raise MailError(_("The message could not be written: %(reason)s", reason=str(error))) from None
    message["Date"] = formatdate(usegmt=True)
    message["Message-ID"] = make_msgid(domain=_sender_domain())
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    if pdf is not None:
        message.add_attachment(pdf, maintype="application", subtype="pdf",
                               filename=f"{case.reference}-remediation.pdf")
    message["Content-Language"] = language  # after the parts: set_content() drops Content-* headers
    return message


def _sender_domain() -> str:
    sender = str(current_app.config["MAIL_DEFAULT_SENDER"])
    return sender.rpartition("@")[2].strip(" >") or "localhost"


def tls_context() -> ssl.SSLContext:
    """Verifies the server's certificate and name: MAIL_CA_FILE's roots, else the system's."""
    return ssl.create_default_context(cafile=current_app.config.get("MAIL_CA_FILE") or None)


def _connect(config: dict) -> smtplib.SMTP:
    host, port = config["MAIL_SERVER"], int(config["MAIL_PORT"])
    if config["MAIL_USE_SSL"]:
        return smtplib.SMTP_SSL(host, port, timeout=MAIL_TIMEOUT, context=tls_context())
    return smtplib.SMTP(host, port, timeout=MAIL_TIMEOUT)


def check_configured() -> None:
    """Raises MailError unless a server and a sender are set (before anything costly is prepared)."""
    if not mail_configured():
        raise MailError(_("E-mail is not set up on this server: ask an administrator to set MAIL_SERVER and "
                          "MAIL_DEFAULT_SENDER."))


def send(message: EmailMessage) -> None:
    """Send through MAIL_SERVER; raises MailError saying why it was not sent."""
    check_configured()
    config = current_app.config
    try:
        with _connect(config) as smtp:
            if config["MAIL_USE_TLS"] and not config["MAIL_USE_SSL"]:
                smtp.starttls(context=tls_context())
            if config.get("MAIL_USERNAME"):
                smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
            smtp.send_message(message)
    except MailError:
        raise
    except Exception as error:  # noqa: BLE001 - every failure of the conversation is "not sent", never a 500
        current_app.logger.warning("Mail to the customer not sent through %s:%s: %s", config["MAIL_SERVER"],
                                   config["MAIL_PORT"], type(error).__name__)
        raise MailError(failure_reason(error)) from None


def failure_reason(error: Exception) -> str:
    """What went wrong, for the agent (never the server's whole answer: it may echo the message)."""
    if isinstance(error, smtplib.SMTPAuthenticationError):
        return _("The mail server refused the help desk's user name or password (MAIL_USERNAME, MAIL_PASSWORD).")
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return _("The mail server refused the recipient's address.")
    if isinstance(error, smtplib.SMTPNotSupportedError):
        return _("The mail server does not offer STARTTLS or sign-in as configured (MAIL_USE_TLS, MAIL_USERNAME).")
    if isinstance(error, smtplib.SMTPResponseException):
        return _("The mail server refused the message (%(code)s).", code=error.smtp_code)
    if isinstance(error, ssl.SSLCertVerificationError):
        return _("The mail server's certificate could not be verified: %(reason)s.",
                 reason=error.verify_message or error.reason)
    # smtplib turns a read that timed out into SMTPServerDisconnected; the timeout is its context.
    if isinstance(error, TimeoutError) or isinstance(error.__context__, TimeoutError):
        return _("The mail server did not answer within %(seconds)d seconds.", seconds=MAIL_TIMEOUT)
    if isinstance(error, (ssl.SSLError, smtplib.SMTPException)):
        return _("The connection to the mail server failed (%(reason)s).", reason=type(error).__name__)
    if isinstance(error, OSError):
        return _("The mail server could not be reached (%(reason)s).", reason=error.strerror or type(error).__name__)
    return _("The mail server could not be used (%(reason)s).", reason=type(error).__name__)
