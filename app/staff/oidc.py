"""Staff sign-in with OpenID Connect (Authlib): authorization code flow with PKCE (S256), state and nonce.

The ID token is checked by Authlib against the provider's JWKS (fetched again when a token names an
unknown key, so rotated keys are picked up), for issuer, audience, expiry and nonce; then the tenant
(Entra ID's ``tid``) and the role claim. Every sign-in and every refusal goes to the audit log.

Authlib, requests and joserfc are imported where they are used: a workspace without OIDC_ISSUER never
loads them (8 MiB of each worker).
"""
from __future__ import annotations

import logging
import time

from flask import Flask, abort, current_app, redirect, render_template, request, session, url_for
from flask_babel import lazy_gettext as _l
from flask_login import login_user

from app.extensions import db, limiter
from app.web.i18n import safe_next
from app.web.links import absolute_url

from . import bp
from .audit import ACTION_LABELS
from .auth import LAST_SEEN, SIGN_IN_METHOD, is_staff
from .auth import address_limit, failed_attempt
from .models import AuditEvent
from .oidc_accounts import EmailTaken, account_for
from .oidc_settings import OidcSettings, issuer_accepted, load_settings

OIDC = "oidc"  # the sign-in method, in the session and the audit log
SIGNED_IN = "sign_in_oidc"
REFUSED_PREFIX = "oidc_refused_"
TIMEOUT_SECONDS = 10
RETURN_TO = "staff_oidc_next"  # session: the staff page asked for before the sign-in (a path on this site)
CLAIM_REASONS = {"exp": "expired", "aud": "audience", "azp": "audience", "iss": "issuer", "nonce": "nonce"}

# Why a sign-in was refused: (what the person is told, what they can do). The keys go to the audit log.
REASONS = {
    "state": (_l("The sign-in did not start here, or it was already used."),
              _l("Start again from the sign-in page.")),
    "code": (_l("The sign-in code from the provider was not accepted: it had been used already or had expired."),
             _l("Start again from the sign-in page.")),
    "provider": (_l("The identity provider did not sign you in."),
                 _l("Start again from the sign-in page. If it happens again, ask an administrator.")),
    "unreachable": (_l("The identity provider could not be reached."),
                    _l("Try again in a few minutes. If it happens again, ask an administrator.")),
    "signature": (_l("The identity token was not signed by the identity provider."),
                  _l("Start again from the sign-in page. If it happens again, ask an administrator.")),
    "expired": (_l("The identity token had expired."),
                _l("Check that this computer's clock is right, then start again from the sign-in page.")),
    "audience": (_l("The identity token was issued for another application."),
                 _l("Start again from the sign-in page. If it happens again, ask an administrator.")),
    "issuer": (_l("The identity token came from another identity provider."),
               _l("Start again from the sign-in page. If it happens again, ask an administrator.")),
    "nonce": (_l("The identity token belongs to another sign-in."),
              _l("Start again from the sign-in page.")),
    "token": (_l("The identity token was not valid."),
              _l("Start again from the sign-in page. If it happens again, ask an administrator.")),
    "tenant": (_l("Your organization (Microsoft Entra tenant) may not sign in to this workspace."),
               _l("Sign in with your account in the help desk's own organization.")),
    "no_role": (_l("Your account has no role in this workspace."),
                _l("Ask an administrator to give you the Agent or Admin role for this application in Microsoft Entra ID.")),
    "email_taken": (_l("A local account already uses your e-mail address, and it is not linked to this sign-in."),
                    _l("Sign in with the local account's password, or ask an administrator to remove it.")),
    "inactive": (_l("Your staff account is turned off."), _l("Ask an administrator to turn it on again.")),
}
ACTION_LABELS.update({SIGNED_IN: _l("Signed in with the identity provider")})
ACTION_LABELS.update({REFUSED_PREFIX + key: _l("Sign-in refused: %(reason)s", reason=text)
                      for key, (text, _todo) in REASONS.items()})


class Refused(Exception):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def init_oidc(app: Flask) -> None:
    """Register the provider with Authlib when OIDC_ISSUER is set; its metadata is fetched on first use."""
    settings = load_settings(app.config)
    app.extensions["staff_oidc_settings"] = settings
    logging.getLogger("authlib").setLevel(max(logging.INFO, logging.getLogger("authlib").getEffectiveLevel()))
    app.add_template_global(lambda: current_app.extensions.get("staff_oidc_settings"), "oidc_settings")
    if settings is None:
        return
    from authlib.integrations.flask_client import OAuth

    oauth = OAuth()
    oauth.init_app(app)
    oauth.register(OIDC, client_id=settings.client_id, client_secret=settings.client_secret,
                   server_metadata_url=settings.metadata_url,
                   client_kwargs={"scope": "openid profile email", "code_challenge_method": "S256",
                                  "default_timeout": TIMEOUT_SECONDS})
    app.extensions["staff_oidc_client"] = oauth.create_client(OIDC)


def _settings() -> OidcSettings:
    settings = current_app.extensions.get("staff_oidc_settings")
    if settings is None:
        abort(404)
    return settings


def _client():
    _settings()
    return current_app.extensions["staff_oidc_client"]



@bp.get("/oidc/start")
def oidc_start():
    client = _client()
    if is_staff():
        return redirect(url_for("staff.cases"))
    if request.args.get("next"):
        session[RETURN_TO] = safe_next(request.args["next"])
    import requests

    try:
        return client.authorize_redirect(absolute_url("staff.oidc_callback"))
    except requests.RequestException:
        return _refuse("unreachable")


@bp.get("/oidc/callback")
@limiter.limit(address_limit, deduct_when=failed_attempt)
def oidc_callback():
    settings = _settings()
    try:
        claims = _verified_claims(settings)
        if not settings.tenant_allowed(claims):
            raise Refused("tenant")
        role = settings.role_for(claims)
        if role is None:
            raise Refused("no_role")
        try:
            user = account_for(claims["iss"], claims["sub"], claims, role)
        except EmailTaken:
            raise Refused("email_taken") from None
        if not user.active:
            raise Refused("inactive")
    except Refused as refusal:
        db.session.rollback()
        return _refuse(refusal.reason)
    db.session.add(AuditEvent(user_id=user.id, user_email=user.email, action=SIGNED_IN))
    db.session.commit()
    return_to = session.get(RETURN_TO) or url_for("staff.cases")
    session.clear()  # a new session: nothing from before the sign-in carries over
    login_user(user)
    session[LAST_SEEN] = int(time.time())
    session[SIGN_IN_METHOD] = OIDC
    return redirect(return_to)


def _verified_claims(settings: OidcSettings) -> dict:
    """The ID token's claims once Authlib has checked state, PKCE, signature, issuer, audience, expiry and nonce."""
    client = _client()
    options = {"iss": {"essential": True, "validate": lambda claims, _value: issuer_accepted(
                   settings.issuer, client.server_metadata.get("issuer", ""), claims)},
               "aud": {"essential": True, "value": settings.client_id}}
    import requests
    from authlib.integrations.base_client.errors import MismatchingStateError, OAuthError
    from joserfc.errors import ClaimError, JoseError

    try:
        token = client.authorize_access_token(claims_options=options)
    except MismatchingStateError:
        raise Refused("state") from None
    except OAuthError as error:
        raise Refused("code" if error.error == "invalid_grant" else "provider") from None
    except requests.RequestException:
        raise Refused("unreachable") from None
    except ClaimError as error:
        raise Refused(CLAIM_REASONS.get(error.claim, "token")) from None
    except JoseError as error:
        raise Refused("signature" if error.error in ("bad_signature", "invalid_key_id") else "token") from None
    claims = token.get("userinfo")
    if not claims or not isinstance(claims.get("sub"), str):
        raise Refused("token")
    return dict(claims)


def _refuse(reason: str):
    db.session.add(AuditEvent(user_id=None, user_email="", action=REFUSED_PREFIX + reason))
    db.session.commit()
    what, todo = REASONS[reason]
    return render_template("staff/oidc_refused.html", what=what, todo=todo), 403


@bp.get("/oidc/signed-out")
def oidc_signed_out():
    """After sign-out here: the provider still has its own session, which this page offers to end."""
    settings = _settings()
    end_session = None
    import requests

    try:
        result = _client().create_logout_url(post_logout_redirect_uri=absolute_url("staff.sign_in"),
                                              client_id=settings.client_id)
        end_session = result["url"]
    except (RuntimeError, requests.RequestException):
        pass  # the provider has no end_session_endpoint (or cannot be reached): nothing to offer
    return render_template("staff/oidc_signed_out.html", end_session=end_session, provider_name=settings.provider_name)
