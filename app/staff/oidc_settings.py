"""The OpenID Connect settings, read and checked once at start; what a verified ID token's claims grant."""
from __future__ import annotations

import json
from dataclasses import dataclass, field

from .models import ADMIN, AGENT, ROLES

RANK = {AGENT: 1, ADMIN: 2}  # several mapped values: the highest role wins
ENTRA_TENANT_PLACEHOLDER = "{tenantid}"  # in the issuer of Entra ID's multi-tenant metadata


@dataclass(frozen=True)
class OidcSettings:
    issuer: str
    client_id: str
    client_secret: str
    role_claim: str
    role_map: dict[str, str]
    allowed_tenants: frozenset[str] = field(default_factory=frozenset)
    provider_name: str = "Microsoft"

    @property
    def metadata_url(self) -> str:
        return self.issuer + "/.well-known/openid-configuration"

    def role_for(self, claims: dict) -> str | None:
        """The staff role the claim's values map to, or None."""
        values = claims.get(self.role_claim)
        if isinstance(values, str):
            values = [values]
        if not isinstance(values, list):
            return None
        roles = [self.role_map[value] for value in values if isinstance(value, str) and value in self.role_map]
        return max(roles, key=RANK.__getitem__) if roles else None

    def tenant_allowed(self, claims: dict) -> bool:
        if not self.allowed_tenants:
            return True
        tenant = claims.get("tid")
        return isinstance(tenant, str) and tenant.strip().casefold() in self.allowed_tenants


def parse_role_map(text: str) -> dict[str, str]:
    """``{"claim value": "role"}`` from JSON or ``value=role,value=role`` (a value may hold spaces, not commas)."""
    text = text.strip()
    if not text:
        return {}
    if text.startswith("{"):
        pairs = json.loads(text)
        if not isinstance(pairs, dict):
            raise ValueError("OIDC_ROLE_MAP: give a JSON object")
        pairs = list(pairs.items())
    else:
        pairs = [item.rsplit("=", 1) for item in text.split(",") if item.strip()]
    mapped = {}
    for pair in pairs:
        if len(pair) != 2 or not str(pair[0]).strip():
            raise ValueError(f"OIDC_ROLE_MAP: {'='.join(map(str, pair))!r} is not value=role")
        value, role = str(pair[0]).strip(), str(pair[1]).strip().lower()
        if role not in ROLES:
            raise ValueError(f"OIDC_ROLE_MAP: {role!r} is not a staff role ({', '.join(ROLES)})")
        mapped[value] = role
    return mapped


def load_settings(config) -> OidcSettings | None:
    """The settings when OIDC_ISSUER is set, else None. A setting that cannot work stops the start."""
    issuer = config.get("OIDC_ISSUER") or ""
    if not issuer:
        return None
    try:
        role_map = parse_role_map(config.get("OIDC_ROLE_MAP") or "")
    except ValueError as error:
        raise RuntimeError(str(error)) from None
    missing = [name for name in ("OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET") if not config.get(name)]
    if not role_map:
        missing.append("OIDC_ROLE_MAP")
    if missing:
        raise RuntimeError(f"OIDC_ISSUER is set, so {', '.join(missing)} must be too (README, Staff sign-in with Microsoft Entra ID)")
    tenants = frozenset(t.strip().casefold() for t in (config.get("OIDC_ALLOWED_TENANTS") or "").split(",") if t.strip())
    if ENTRA_TENANT_PLACEHOLDER in issuer or issuer.rstrip("/").rsplit("/", 2)[-2] in ("common", "organizations"):
        if not tenants:
            raise RuntimeError("OIDC_ISSUER is multi-tenant: set OIDC_ALLOWED_TENANTS to the tenant ids that may sign in")
    return OidcSettings(issuer=issuer, client_id=config["OIDC_CLIENT_ID"], client_secret=config["OIDC_CLIENT_SECRET"],
                        role_claim=config.get("OIDC_ROLE_CLAIM") or "roles", role_map=role_map,
                        allowed_tenants=tenants, provider_name=config.get("OIDC_PROVIDER_NAME") or "Microsoft")


def expected_issuer(metadata_issuer: str, claims: dict) -> str:
    """The issuer a token must carry: Entra ID's multi-tenant metadata names it with the token's own tenant."""
    if ENTRA_TENANT_PLACEHOLDER in metadata_issuer:
        tenant = claims.get("tid")
        return metadata_issuer.replace(ENTRA_TENANT_PLACEHOLDER, tenant) if isinstance(tenant, str) and tenant else ""
    return metadata_issuer


def issuer_accepted(configured: str, metadata_issuer: str, claims: dict) -> bool:
    """The token's ``iss`` is the one the metadata names, and that is the issuer configured (OpenID Discovery
    requires them equal); Entra ID's multi-tenant metadata names a template instead, filled with ``tid``."""
    if ENTRA_TENANT_PLACEHOLDER not in metadata_issuer and metadata_issuer.rstrip("/") != configured.rstrip("/"):
        return False
    expected = expected_issuer(metadata_issuer, claims)
    return bool(expected) and claims.get("iss") == expected
