"""The plan's test step: which message proves the relay, and where its headers go. Plain data, any face.

templates/audit/_test_step.html renders it on the header page and in the plan's verify step
(templates/reports/_plan.html: the result page, the read-only copy and the PDF).
"""
from __future__ import annotations

from dataclasses import dataclass

from app.translate import Translate, plain


@dataclass(frozen=True)
class TestStep:
    intro: str
    messages: list[str]      # the messages only the certificate path can relay: send one of them
    then: str                # where the headers go: here, the case's header page, or the help desk


def _then(headers_url: str | None, read_only: bool, _: Translate) -> str:
    if read_only:  # the customer's read-only copy cannot open the case's header page
        return _("Then open the message at the external mailbox, copy all its headers and send them to your "
                 "help-desk contact, who records the proof with the case.")
    if headers_url:
        return _("Then open the message at the external mailbox, copy all its headers and paste them at %(url)s "
                 "so that the case records the proof.", url=headers_url)
    return _("Then open the message at the external mailbox, copy all its headers and paste them here.")


def test_step(headers_url: str | None = None, _: Translate = plain, *, read_only: bool = False) -> TestStep:
    return TestStep(
        intro=_("Send a message that only the certificate can relay, from your on-premises server to a mailbox "
                "outside Microsoft 365 (for example a Gmail account):"),
        messages=[
            _("a non-delivery report, only where your on-premises server writes it (your domain's MX record points "
              "to your server, or Exchange Online passes unknown addresses on to it): from the external mailbox, "
              "write to a made-up address of your domain, like nobody-x7@contoso.com, so that your server's bounce "
              "goes out through the relay with an empty sender; otherwise Exchange Online bounces it itself and "
              "it proves nothing; or"),
            _("a message whose sender is a domain that is not an accepted domain of your tenant, sent through the "
              "server."),
        ],
        then=_then(headers_url, read_only, _),
    )
