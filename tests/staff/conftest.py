"""Staff fixtures: accounts, signed-in clients, saved cases; browser fixtures from tests/browser_support."""
from __future__ import annotations

import pyotp
import pytest

from app.extensions import db
from app.staff import mfa
from app.staff.models import ADMIN, AGENT, SecondFactor, User
from app.store import Case, create_case, save_step, utcnow
from tests.browser_support import browser_type_launch_args, live_app, live_app_config, live_server  # noqa: F401
from tests.certfactory import to_pem
from tests.conftest import submit

PASSWORD = "correct horse battery"
AGENT_EMAIL, ADMIN_EMAIL = "agent@helpdesk.example", "admin@helpdesk.example"
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # the authenticator app of every account the tests enrol
CODE_PAGE = "/staff/sign-in/code"


def add_user(email: str, role: str = AGENT, active: bool = True, totp: bool | None = None) -> User:
    """An account; admins (or ``totp=True``) already enrolled in TOTP with TOTP_SECRET."""
    user = User(email=email, role=role, active=active)
    user.set_password(PASSWORD)
    db.session.add(user)
    db.session.commit()
    if totp if totp is not None else role == ADMIN:
        db.session.add(SecondFactor(user_id=user.id, secret=mfa.seal_secret(TOTP_SECRET), confirmed_at=utcnow(),
                                    last_step=-1, failures=0))
        db.session.commit()
    return user


def fresh_code(app, email: str) -> str:
    """The code the account's app shows now. Tests sign one account in many times within a 30-second
    period, which a person never does: the account's spent time-step is forgotten first."""
    with app.app_context():
        factor = db.session.get(SecondFactor, db.session.scalar(db.select(User.id).where(User.email == email)))
        factor.last_step = -1
        db.session.commit()
    return pyotp.TOTP(TOTP_SECRET).now()


@pytest.fixture
def users(app):
    with app.app_context():
        add_user(AGENT_EMAIL, AGENT)
        add_user(ADMIN_EMAIL, ADMIN)


def sign_in(client, email: str = AGENT_EMAIL, password: str = PASSWORD, url: str = "/staff/sign-in"):
    """Password, then the code when the account has a second factor: the last response."""
    response = submit(client, url, {"email": email, "password": password})
    if response.status_code == 302 and response.headers["Location"] == CODE_PAGE:
        response = submit(client, CODE_PAGE, {"code": fresh_code(client.application, email.strip().casefold())})
    return response


def customer_opens_agents_case(app, client, organization: str = "Woodgrove Bank"):
    """An agent (made here) starts a case for ``organization``; the customer's ``client`` opens its secret
    link, which asks before it opens the case. Returns the agent's client."""
    from tests.conftest import page

    with app.app_context():
        add_user(AGENT_EMAIL)
    agent = app.test_client()
    assert sign_in(agent).status_code == 302
    started = submit(agent, "/staff/cases/new", {"organization": organization})
    link = page(agent.get(started.headers["Location"])).select_one(".code-block code").get_text()
    submit(client, link.split("localhost", 1)[1])
    return agent


@pytest.fixture
def agent(app, users):
    client = app.test_client()
    assert sign_in(client).status_code == 302
    return client


@pytest.fixture
def admin(app, users):
    client = app.test_client()
    assert sign_in(client, ADMIN_EMAIL).status_code == 302
    return client


def make_case(organization: str, domains: list[str], server: str = "exchange-2019", *,
              pem: bytes | None = None, completed: bool = True) -> Case:
    """A saved case as the wizard leaves it (inside an app context)."""
    case = create_case(organization)
    save_step(case, "start", {"role": "admin", "organization": organization, "ticket": ""})
    save_step(case, "domains", {"accepted_domains": "\n".join(domains), "domains": domains})
    save_step(case, "server", {"kind": server})
    if pem:
        case.certificate_pem = pem.decode()
        save_step(case, "certificate", {"source": "text"})
    if completed:
        case.completed_at = utcnow()
    db.session.commit()
    return case


@pytest.fixture
def contoso(app, hierarchy) -> str:
    """A completed, ready case for Contoso; returns its reference."""
    with app.app_context():
        pem = to_pem(hierarchy.leaf.cert, hierarchy.intermediate.cert)
        return make_case("Contoso Ltd", ["contoso.com"], pem=pem).reference
