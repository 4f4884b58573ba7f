"""OpenID Connect through Authlib: the authorization code flow with PKCE, state and nonce.

Why Authlib rather than mozilla-django-oidc or django-allauth: several regions each bring their
own provider, configured in the database. Authlib's Django client is made per provider from its
issuer alone (it reads the discovery document), keeps state, nonce and the PKCE verifier in the
session under the provider's name, and validates the ID token fully (signature against the
provider's published keys, issuer, audience, expiry, nonce). mozilla-django-oidc reads one
provider from the settings and needs every endpoint spelled out; django-allauth would bring its
own account model, pages and login flow beside ours. Here the protocol is Authlib's and what
follows it (accounts, two-factor, the security log) is ours, shared with SAML.
"""

import os

from authlib.integrations.base_client import OAuthError
from authlib.integrations.django_client import DjangoIntegration, DjangoOAuth2App
from django.urls import reverse
from joserfc.errors import JoseError
from requests import RequestException

from .models import IdentityProvider
from .services import Assertion, claim_value

DISCOVERY_PATH = "/.well-known/openid-configuration"
# Every call to a provider gives up after this many seconds rather than hold a web worker.
TIMEOUT_SECONDS = 10


class ProtocolError(Exception):
    """The provider's answer failed a check (state, nonce, signature, expiry ...)."""


def discovery_url(provider: IdentityProvider) -> str:
    url = provider.metadata_url.rstrip("/")
    return url if url.endswith(DISCOVERY_PATH) else url + DISCOVERY_PATH


def client_secret(provider: IdentityProvider) -> str:
    if provider.client_secret_env:
        return os.environ.get(provider.client_secret_env, "")
    return provider.client_secret


def _client(provider: IdentityProvider) -> DjangoOAuth2App:
    # A fresh client per request: the configuration may have changed in the admin meanwhile.
    name = f"sso-{provider.pk}"
    return DjangoOAuth2App(
        framework=DjangoIntegration(name),
        name=name,
        client_id=provider.client_id,
        client_secret=client_secret(provider),
        server_metadata_url=discovery_url(provider),
        client_kwargs={
            "scope": provider.scopes,
            "code_challenge_method": "S256",
            "default_timeout": TIMEOUT_SECONDS,
        },
    )


def redirect_uri(request, provider: IdentityProvider) -> str:
    return request.build_absolute_uri(reverse("sso:oidc_callback", args=[provider.slug]))


def login_redirect(request, provider: IdentityProvider):
    """Send the browser to the provider, remembering state, nonce and verifier in the session."""
    try:
        return _client(provider).authorize_redirect(request, redirect_uri(request, provider))
    except (RequestException, ValueError, KeyError, RuntimeError) as error:
        raise ProtocolError(f"provider unreachable: {type(error).__name__}") from error


def complete(request, provider: IdentityProvider) -> Assertion:
    """Exchange the code and check the ID token; the claims merge the ID token and userinfo."""
    client = _client(provider)
    try:
        token = client.authorize_access_token(request)
        claims = dict(token.get("userinfo") or {})
        if not claims:
            raise ProtocolError("no ID token")
        if client.load_server_metadata().get("userinfo_endpoint"):
            userinfo = client.userinfo(token=token)
            if userinfo.get("sub") != claims.get("sub"):
                raise ProtocolError("userinfo is about another subject")
            # What the signed ID token says wins over the userinfo endpoint.
            claims = {**userinfo, **claims}
    except OAuthError as error:
        raise ProtocolError(f"{error.error}") from error
    except JoseError as error:
        raise ProtocolError(f"id token: {type(error).__name__}: {error}") from error
    except (RequestException, ValueError, KeyError) as error:
        raise ProtocolError(f"{type(error).__name__}") from error
    subject = claim_value(claims, provider.subject_claim) if provider.subject_claim else ""
    subject = subject or str(claims.get("sub", ""))
    if not subject:
        raise ProtocolError("no subject")
    amr = claims.get("amr") or []
    contexts = [str(value) for value in (amr if isinstance(amr, list) else [amr])]
    if claims.get("acr"):
        contexts.append(str(claims["acr"]))
    return Assertion(
        subject=subject,
        claims=claims,
        auth_contexts=tuple(contexts),
        logout_data={"id_token": token.get("id_token", "")},
    )


def logout_url(request, provider: IdentityProvider, sso_data: dict) -> str | None:
    """The provider's end-session address (RP-initiated logout), if it has one."""
    client = _client(provider)
    try:
        if not client.load_server_metadata().get("end_session_endpoint"):
            return None
        result = client.create_logout_url(
            post_logout_redirect_uri=request.build_absolute_uri(reverse("login")),
            id_token_hint=sso_data.get("id_token") or None,
            client_id=provider.client_id,
        )
    except (RequestException, ValueError, RuntimeError):
        return None
    return result["url"]
