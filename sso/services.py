"""Writes of single sign-on: the person an identity provider vouches for, made or updated just in
time, and the login that follows (with or without the provider's second factor).

The protocol modules (``sso.oidc``, ``sso.saml``) check the signatures, state, nonce and times,
and hand over an ``Assertion``; from there OpenID Connect and SAML take the same path.
"""

import logging
from dataclasses import dataclass, field

from django.contrib.auth import login
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_otp import login as otp_login
from django_otp import user_has_device

from clinics.models import LeaderScope, User
from clinics.security import client_ip, pending_login_start, two_factor_required

from .models import ClaimMapping, ExternalIdentity, IdentityProvider, IdentityProviderDevice

security_log = logging.getLogger("security")

# Sessions made by SSO keep what is needed to end the provider's session too at logout.
SSO_SESSION_KEY = "sso"
SESSION_BACKEND = "django.contrib.auth.backends.ModelBackend"


@dataclass(frozen=True)
class Assertion:
    """What a provider said about a person, after the protocol's checks passed."""

    subject: str
    claims: dict
    # amr and acr values (OpenID Connect) or authentication context classes (SAML).
    auth_contexts: tuple[str, ...] = ()
    # What logout needs later: the ID token (OIDC), the NameID and session index (SAML).
    logout_data: dict = field(default_factory=dict)


class LoginRefused(Exception):
    """The provider vouched for the person, but Partnerskap does not let them in."""

    NO_ROLE = "no_role"
    NO_CLINIC = "no_clinic"
    EMAIL_UNVERIFIED = "email_unverified"
    NOT_LINKABLE = "not_linkable"
    INACTIVE = "inactive"

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class LoginResult:
    user: User
    created: bool
    linked: bool
    two_factor: bool


def claim_values(claims: dict, name: str) -> list[str]:
    """A claim as a list of strings: SAML attributes are lists, OIDC claims one or a list."""
    if not name:
        return []
    value = claims.get(name)
    if value is None:
        return []
    if isinstance(value, list | tuple):
        return [str(item) for item in value if item not in (None, "")]
    return [str(value)] if value != "" else []


def claim_value(claims: dict, name: str) -> str:
    values = claim_values(claims, name)
    return values[0] if values else ""


def _email_verified(provider: IdentityProvider, claims: dict) -> bool:
    if provider.email_always_verified:
        return True
    value = claim_value(claims, provider.email_verified_claim)
    return value.lower() in {"true", "1", "yes"}


@dataclass(frozen=True)
class _Mapped:
    role: str
    clinic: object  # Clinic or None
    leads_whole_region: bool


def _map_claims(provider: IdentityProvider, claims: dict) -> _Mapped:
    """The role and clinic the provider's mapping table gives these claims; refuses if none.

    With several matching groups the leader's role wins (it includes what staff may do); with
    several clinic values, the first in the claim that has a mapping.
    """
    groups = claim_values(claims, provider.groups_claim)
    units = claim_values(claims, provider.clinic_claim)
    mappings = list(
        ClaimMapping.objects.filter(provider=provider)
        .filter(
            Q(kind=ClaimMapping.Kind.ROLE, value__in=groups)
            | Q(kind=ClaimMapping.Kind.CLINIC, value__in=units)
        )
        .select_related("clinic")
    )
    roles = [m for m in mappings if m.kind == ClaimMapping.Kind.ROLE]
    role_mapping = next((m for m in roles if m.role == ClaimMapping.Role.LEADER), None) or next(
        iter(roles), None
    )
    if role_mapping is None:
        raise LoginRefused(LoginRefused.NO_ROLE)
    clinics = {m.value: m.clinic for m in mappings if m.kind == ClaimMapping.Kind.CLINIC}
    clinic = next((clinics[unit] for unit in units if unit in clinics), None)
    if clinic is None and not role_mapping.leads_whole_region:
        raise LoginRefused(LoginRefused.NO_CLINIC)
    return _Mapped(role_mapping.role, clinic, role_mapping.leads_whole_region)


def _unique_username(base: str) -> str:
    base = base[:140] or "sso-user"
    candidate, number = base, 1
    while User.objects.filter(username__iexact=candidate).exists():
        number += 1
        candidate = f"{base}.{number}"
    return candidate


def _apply_claims(user: User, provider: IdentityProvider, claims: dict, mapped: _Mapped) -> None:
    """Name, e-mail and clinic follow the provider at every login; the role is set at the
    first login only (an administrator may change it here afterwards)."""
    first_name = claim_value(claims, provider.first_name_claim)
    last_name = claim_value(claims, provider.last_name_claim)
    email = claim_value(claims, provider.email_claim)
    if first_name:
        user.first_name = first_name[:150]
    if last_name:
        user.last_name = last_name[:150]
    if email:
        user.email = email
    if mapped.clinic is not None and user.role in (User.Role.STAFF, User.Role.LEADER):
        user.clinic = mapped.clinic
    if user.region_id is None:
        user.region = provider.region


def _ensure_leader_scope(user: User, provider: IdentityProvider, mapped: _Mapped) -> None:
    """A leader leads what the mapping says; scopes added here are never removed by a login
    (an administrator narrows a leader's remit in the admin)."""
    if user.role != User.Role.LEADER or mapped.role != ClaimMapping.Role.LEADER:
        return
    clinic = None if mapped.leads_whole_region else mapped.clinic
    if not LeaderScope.objects.filter(leader=user, region=provider.region, clinic=clinic).exists():
        scope = LeaderScope(leader=user, region=provider.region, clinic=clinic)
        scope.full_clean()
        scope.save()


@transaction.atomic
def sso_person_provision(
    *, provider: IdentityProvider, subject: str, claims: dict
) -> tuple[User, bool, bool]:
    """The person a provider's subject is, created or updated from its claims.

    Returns ``(user, created, linked)``. Raises ``LoginRefused`` (having written nothing) when
    the claims map to no role or clinic, or an existing account with the same e-mail may not
    be linked.
    """
    mapped = _map_claims(provider, claims)
    identity = (
        ExternalIdentity.objects.select_for_update()
        .select_related("user")
        .filter(provider=provider, subject=subject)
        .first()
    )
    created = linked = False
    if identity is not None:
        user = identity.user
        if not user.is_active:
            raise LoginRefused(LoginRefused.INACTIVE)
    else:
        email = claim_value(claims, provider.email_claim)
        existing = (
            list(User.objects.filter(email__iexact=email, erased_at__isnull=True)[:2])
            if email
            else []
        )
        if existing:
            if not _email_verified(provider, claims):
                raise LoginRefused(LoginRefused.EMAIL_UNVERIFIED)
            user = existing[0]
            # Administrators keep their password and authenticator: a provider may not take
            # over an account that opens the admin. Two accounts with one address: ask a human.
            if len(existing) > 1 or user.is_staff or user.is_superuser:
                raise LoginRefused(LoginRefused.NOT_LINKABLE)
            if not user.is_active:
                raise LoginRefused(LoginRefused.INACTIVE)
            linked = True
        else:
            user = User(username=_unique_username(email or f"{provider.slug}.{subject}"))
            user.role = mapped.role
            user.set_unusable_password()
            created = True
        identity = ExternalIdentity(provider=provider, user=user, subject=subject)
    _apply_claims(user, provider, claims, mapped)
    user.full_clean()
    user.save()
    _ensure_leader_scope(user, provider, mapped)
    identity.user = user
    identity.last_login_at = timezone.now()
    identity.full_clean()
    identity.save()
    return user, created, linked


def _provider_device(user: User, provider: IdentityProvider) -> IdentityProviderDevice:
    device, _ = IdentityProviderDevice.objects.get_or_create(
        user=user,
        provider=provider,
        defaults={"name": provider.name[:64], "confirmed": True},
    )
    return device


def sso_login(request, *, provider: IdentityProvider, assertion: Assertion, next_url: str):
    """Let in the person the provider vouched for; returns where to send them.

    The provider's second factor counts as Partnerskap's when it asserts one of the provider's
    two-factor values. Otherwise the person goes on exactly as after a right password: to their
    authenticator code if they have one, to setting one up if their role requires it.
    """
    ip = client_ip(request)
    try:
        user, created, linked = sso_person_provision(
            provider=provider, subject=assertion.subject, claims=assertion.claims
        )
    except LoginRefused as refusal:
        security_log.warning(
            "sso login refused provider=%s reason=%s ip=%s", provider.slug, refusal.reason, ip
        )
        raise
    two_factor = bool(provider.two_factor_value_set & set(assertion.auth_contexts))
    security_log.info(
        "sso login provider=%s user_id=%s created=%s linked=%s two_factor=%s ip=%s",
        provider.slug,
        user.pk,
        created,
        linked,
        two_factor,
        ip,
    )
    user.backend = SESSION_BACKEND
    sso_data = {"provider": provider.pk, **assertion.logout_data}
    if not two_factor:
        has_device = user_has_device(user, confirmed=True)
        if has_device or two_factor_required(user):
            pending_login_start(request, user, next_url)
            request.session[SSO_SESSION_KEY] = sso_data
            return "two_factor_verify" if has_device else "account:two_factor_setup"
    login(request, user, backend=SESSION_BACKEND)
    if two_factor:
        otp_login(request, _provider_device(user, provider))
    request.session[SSO_SESSION_KEY] = sso_data
    return next_url


# Fields of a provider that SSO_PROVIDERS may set (everything but the region, named by slug).
_LOADABLE_FIELDS = {
    field.name
    for field in IdentityProvider._meta.get_fields()
    if field.concrete and field.name not in {"id", "region", "created_at", "updated_at"}
}


@transaction.atomic
def identity_providers_load(*, data: list[dict]) -> list[IdentityProvider]:
    """Create or update providers (by slug) and replace their mappings, from plain data such as
    the SSO_PROVIDERS variable holds. All or nothing: one invalid entry changes nothing."""
    from django.core.exceptions import ValidationError

    from clinics.models import Clinic, Region

    providers = []
    for entry in data:
        entry = dict(entry)
        mappings = entry.pop("mappings", [])
        region_slug = entry.pop("region", "")
        unknown = set(entry) - _LOADABLE_FIELDS
        if unknown:
            raise ValidationError(f"{entry.get('slug')}: unknown fields {sorted(unknown)}")
        region = Region.objects.filter(slug=region_slug).first()
        if region is None:
            raise ValidationError(f"{entry.get('slug')}: no region {region_slug!r}")
        provider = IdentityProvider.objects.filter(slug=entry.get("slug")).first()
        provider = provider or IdentityProvider()
        provider.region = region
        for name, value in entry.items():
            setattr(provider, name, value)
        provider.full_clean()
        provider.save()
        provider.mappings.all().delete()
        for row in mappings:
            row = dict(row)
            clinic_slug = row.pop("clinic", None)
            mapping = ClaimMapping(provider=provider, **row)
            if clinic_slug:
                mapping.clinic = Clinic.objects.filter(region=region, slug=clinic_slug).first()
                if mapping.clinic is None:
                    raise ValidationError(f"{provider.slug}: no clinic {clinic_slug!r}")
            mapping.full_clean()
            mapping.save()
        providers.append(provider)
    return providers
