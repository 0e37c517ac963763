"""A real SMTP server on loopback for the mail tests: aiosmtpd with STARTTLS (a certfactory certificate
for 127.0.0.1, issued by its own root) and AUTH after STARTTLS only."""
from __future__ import annotations

import email
import email.policy
import socket
import ssl
import time
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from tests.certfactory import key_pem, make_intermediate, make_leaf, make_root, to_pem, write_trust_store

MAIL_USER, MAIL_PASSWORD = "helpdesk-relay", "s3cret relay password"
SENDER = "Contoso help desk <helpdesk@helpdesk.example>"


@dataclass
class Mailbox:
    """What the server accepted: each message as the recipient's client parses it."""

    port: int
    ca_file: str
    messages: list[tuple[list[str], EmailMessage, bool]] = field(default_factory=list)  # (RCPT TO, message, after AUTH)
    refused_logins: int = 0

    async def handle_DATA(self, server, session, envelope):
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append((list(envelope.rcpt_tos), parsed, bool(session.authenticated)))
        return "250 OK"

    def authenticate(self, server, session, envelope, mechanism, auth_data) -> AuthResult:
        if isinstance(auth_data, LoginPassword) and auth_data.login == MAIL_USER.encode() \
                and auth_data.password == MAIL_PASSWORD.encode():
            return AuthResult(success=True)
        self.refused_logins += 1
        return AuthResult(success=False, handled=False)

    def wait_for(self, count: int, seconds: float = 30) -> None:
        deadline = time.monotonic() + seconds
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(self.messages) >= count, f"{len(self.messages)} message(s) arrived, expected {count}"

    def app_settings(self, **changes) -> dict:
        return {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": self.port, "MAIL_USE_TLS": True, "MAIL_USE_SSL": False,
                "MAIL_USERNAME": MAIL_USER, "MAIL_PASSWORD": MAIL_PASSWORD, "MAIL_DEFAULT_SENDER": SENDER,
                "MAIL_CA_FILE": self.ca_file, **changes}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_mail_server(folder: Path, implicit_tls: bool = False) -> tuple[Mailbox, Controller]:
    """STARTTLS (port 587's way), or TLS from the first byte (``implicit_tls``, port 465's way)."""
    root = make_root("Help Desk Mail Test Root")
    intermediate = make_intermediate(root, "Help Desk Mail Test CA")
    leaf = make_leaf(intermediate, "mail.helpdesk.example", sans=["mail.helpdesk.example"], ip_addresses=["127.0.0.1"])
    (folder / "smtp-chain.pem").write_bytes(to_pem(leaf.cert, intermediate.cert))
    (folder / "smtp-key.pem").write_bytes(key_pem(leaf.key))
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(folder / "smtp-chain.pem", folder / "smtp-key.pem")
    mailbox = Mailbox(free_port(), write_trust_store(folder / "smtp-root.pem", root.cert))
    # aiosmtpd offers AUTH over TLS only after its own STARTTLS; on a TLS-from-the-start connection it
    # does not know the session is encrypted, so there it is told not to insist.
    tls = ({"ssl_context": context, "auth_require_tls": False} if implicit_tls
           else {"tls_context": context, "require_starttls": True, "auth_require_tls": True})
    controller = Controller(mailbox, hostname="127.0.0.1", port=mailbox.port, authenticator=mailbox.authenticate,
                            auth_required=True, server_hostname="mail.helpdesk.example", **tls)
    controller.start()
    return mailbox, controller
