"""Flask extensions, created unbound and initialised in create_app.

Four of them are trimmed so that a request pays only for the work it needs;
bench/README.md has the profiles and what each trim bought.
"""
from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from datetime import datetime
from types import MappingProxyType
from uuid import UUID

from flask import Blueprint, Flask, Response, current_app, request
from flask.globals import request_ctx
from flask.logging import default_handler, has_level_handler
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager, current_user
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_talisman import Talisman
from flask_wtf.csrf import CSRFProtect
from itsdangerous import BadSignature, URLSafeTimedSerializer
from markupsafe import Markup
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    pass


class HookCheckingOnceFlask(Flask):
    """Flask that checks each hook and view once for being a coroutine function: Flask's ensure_sync asked
    inspect on every call, some fourteen a request (before-, after-request and teardown hooks, the view),
    0.2 us each. Hooks are the same objects from one request to the next (a bound method made anew is
    equal to the last): the answer is kept, for at most MAX_CHECKED of them."""

    MAX_CHECKED = 1024

    def ensure_sync(self, func):
        checked = self.__dict__.setdefault("_checked_sync", {})
        try:
            return checked[func]
        except KeyError:
            pass
        except TypeError:  # unhashable: asked each time
            return super().ensure_sync(func)
        if len(checked) >= self.MAX_CHECKED:
            checked.clear()
        synced = checked[func] = super().ensure_sync(func)
        return synced


class RouteLimiter(Limiter):
    """Flask-Limiter for limits on routes only (``@limiter.limit``): their decorators check them.

    Flask-Limiter also runs three hooks on every request: a before-request check for
    default, application and blueprint limits (this app has none, so on every other page
    it resolved an empty list), and an after-request and a teardown hook that build the
    request's limiter state just to find it empty. Here the checks run in the decorators
    only, and the other two hooks only on a request that checked a limit. Limits that
    would need the skipped check are refused rather than silently ignored.
    """

    def __init__(self, **options):
        if options.get("default_limits") or options.get("application_limits"):
            raise ValueError("RouteLimiter takes limits on routes only")
        super().__init__(**options)

    def init_app(self, app: Flask) -> None:
        app.extensions.setdefault("limiter", set()).add(self)  # Flask-Limiter then registers no request hooks
        super().init_app(app)
        # Flask-Limiter logs behind a NullHandler: that Redis went away (each worker then counts in its own
        # memory) and that it recovered must reach the operators' log, beside the app's own messages.
        # Under gunicorn the root logger writes JSON lines (gunicorn.conf.py): the records go there; alone
        # (flask run, tests) Flask's own handler shows them.
        self.logger.setLevel(logging.INFO)
        if not has_level_handler(self.logger) and default_handler not in self.logger.handlers:
            self.logger.addHandler(default_handler)
        app.after_request(self._after_limited_request)
        app.teardown_request(self._teardown_limited_request)

    @staticmethod
    def _checked_a_limit() -> bool:
        return hasattr(request_ctx, "_limiter_request_context")  # where Flask-Limiter keeps a request's state

    def _after_limited_request(self, response: Response) -> Response:
        """Deduct the conditional limits (a failed sign-in) where a limit was checked."""
        return self._Limiter__inject_headers(response) if self._checked_a_limit() else response

    def _teardown_limited_request(self, error: BaseException | None = None) -> None:
        if self._checked_a_limit():
            self._Limiter__release_context(error)

    def _check_request_limit(self, callable_name: str | None = None, in_middleware: bool = True) -> None:
        if not in_middleware:
            super()._check_request_limit(callable_name, in_middleware)

    def limit(self, *args, **kwargs):
        """A limit on a view function; one on a blueprint would need the check skipped above."""
        decorator = super().limit(*args, **kwargs)

        def on_view(view):
            if isinstance(view, Blueprint):
                raise TypeError("RouteLimiter limits view functions, not blueprints")
            return decorator(view)
        return on_view


class FixedPolicyTalisman(Talisman):
    """Flask-Talisman with its headers worked out once.

    Without a nonce and without options on the view (``@talisman(...)``), every response
    gets the same headers but HSTS, which goes on secure requests only. Flask-Talisman
    rebuilt them for each response, looking up the view's options five times and
    formatting the policies anew. A view with options of its own goes the original way.
    """

    def _fixed(self) -> bool:
        if self.content_security_policy_nonce_in:
            return False
        return not hasattr(current_app.view_functions.get(request.endpoint), "talisman_view_options")

    def _force_https(self):
        if self.force_https or self.session_cookie_secure or not self._fixed():
            return super()._force_https()
        return None  # nothing to redirect, no cookie flag to set

    def _make_nonce(self):
        if not self._fixed():
            super()._make_nonce()

    def _set_response_headers(self, response: Response) -> Response:
        if not self._fixed():
            return super()._set_response_headers(response)
        headers = self.__dict__.get("_fixed_headers")
        if headers is None:
            scratch = current_app.response_class()
            super()._set_response_headers(scratch)
            headers = self._fixed_headers = [(name, value) for name, value in scratch.headers.items()
                                             if name not in ("Content-Type", "Content-Length", "Strict-Transport-Security")]
            self._fixed_names = frozenset(name.lower() for name, _ in headers)
        present = response.headers
        if self._fixed_names.isdisjoint([name.lower() for name, _ in present.items()]):
            present.extend(headers)  # none to replace: half the time of setting each (its search for the name)
        else:
            for name, value in headers:
                present[name] = value
        self._set_hsts_headers(present)
        return response


class LazyUserLoginManager(LoginManager):
    """Flask-Login whose templates get ``current_user`` as its lazy proxy: the context processor
    Flask-Login adds loaded the user (and hashed the session's identifier) for every page rendered."""

    def init_app(self, app: Flask, add_context_processor: bool = True) -> None:
        super().init_app(app, add_context_processor=False)
        if add_context_processor:
            app.add_template_global(current_user, "current_user")


class SigningOnceSessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie session, its signing serializer made once per set of keys, and each cookie
    value verified once per worker rather than on every request.

    A visitor's cookie stays the same from one request to the next until the session changes, and
    checking its signature again (HMAC in Python, then JSON) was an eighth of the result page
    (bench/README.md). A value whose signature verified is kept with the time it was signed, under the
    keys that verified it: a kept value is refused, as Flask refuses it, once PERMANENT_SESSION_LIFETIME
    has passed since its signing; any other value (one byte changed) is verified as Flask does; other
    keys (SECRET_KEY, SECRET_KEY_FALLBACKS) keep values of their own, so a key dropped from the
    fallbacks verifies nothing more. Only sessions of immutable values are kept (each open copies the
    dictionary, not what it holds). At most MAX_KEPT values per set of keys, the oldest going first.
    """

    MAX_KEPT = 1024

    def __init__(self) -> None:
        self._signing: dict[tuple, tuple[URLSafeTimedSerializer, dict[str, tuple[MappingProxyType, int]]]] = {}

    def _signing_for(self, app: Flask):
        keys = (app.secret_key, tuple(app.config["SECRET_KEY_FALLBACKS"] or ()))
        signing = self._signing.get(keys)
        if signing is None:
            signing = self._signing[keys] = (super().get_signing_serializer(app), {})
        return signing

    def get_signing_serializer(self, app: Flask):
        return self._signing_for(app)[0]

    def verified(self, app: Flask, value: str) -> Mapping | None:
        """The data of session cookie ``value`` (read-only), or None when its signature is wrong or it is
        older than the session's lifetime (or signed in the future): what Flask's open_session accepts."""
        serializer, kept = self._signing_for(app)
        if serializer is None:
            return None
        max_age = int(app.permanent_session_lifetime.total_seconds())  # as Flask's open_session
        entry = kept.get(value)
        if entry is None:
            try:
                data, signed_at = serializer.loads(value, max_age=max_age, return_timestamp=True)
            except BadSignature:
                return None
            entry = (MappingProxyType(data), int(signed_at.timestamp()))
            if all(immutable(item) for item in data.values()):
                if len(kept) >= self.MAX_KEPT:
                    kept.pop(next(iter(kept), None), None)  # the oldest (another thread may have taken it)
                kept[value] = entry
        data, signed_at = entry
        age = int(time.time()) - signed_at  # as itsdangerous's TimestampSigner.unsign
        return data if 0 <= age <= max_age else None

    def open_session(self, app: Flask, request) -> SecureCookieSession | None:
        if not app.secret_key:
            return None
        value = request.cookies.get(self.get_cookie_name(app))
        data = self.verified(app, value) if value else None
        return self.session_class(data) if data is not None else self.session_class()


IMMUTABLE = (str, bytes, int, float, bool, type(None), datetime, UUID, Markup)  # what Flask's tagged JSON gives back


def immutable(value) -> bool:
    if isinstance(value, tuple):
        return all(immutable(item) for item in value)
    return isinstance(value, IMMUTABLE)


db = SQLAlchemy(model_class=Base)
csrf = CSRFProtect()
babel = Babel()
talisman = FixedPolicyTalisman()
login_manager = LazyUserLoginManager()
limiter = RouteLimiter(key_func=get_remote_address)
migrate = Migrate()
