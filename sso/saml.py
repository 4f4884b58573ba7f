"""SAML 2.0 through pysaml2: AuthnRequest by HTTP-Redirect, the response by HTTP-POST.

pysaml2 (rather than djangosaml2's views) so that SAML ends in the same account, two-factor and
security-log path as OpenID Connect (``sso.services.sso_login``); djangosaml2 logs the person in
itself and would bypass the two-factor step. pysaml2 does every protocol check: the XML
signature (with xmlsec1) against the identity provider's certificate from its metadata, the
audience, the response's destination, NotBefore/NotOnOrAfter, and InResponseTo against the
request we sent. The service provider's configuration is built per provider and request from
the database, as djangosaml2's SAML_CONFIG_LOADER would.
"""

import hashlib
import shutil

import requests
from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT, xmldsig
from saml2.client import Saml2Client
from saml2.config import SPConfig
from saml2.metadata import entity_descriptor
from saml2.saml import NAMEID_FORMAT_UNSPECIFIED, name_id_from_string

from .models import IdentityProvider
from .oidc import TIMEOUT_SECONDS, ProtocolError
from .services import Assertion, claim_value

# How far apart our clock and the identity provider's may be, in seconds.
ACCEPTED_CLOCK_SKEW = 60


def entity_id(request, provider: IdentityProvider) -> str:
    """Our entity id towards this provider: the address of our metadata for it."""
    return request.build_absolute_uri(reverse("sso:saml_metadata", args=[provider.slug]))


def acs_url(request, provider: IdentityProvider) -> str:
    return request.build_absolute_uri(reverse("sso:saml_acs", args=[provider.slug]))


def sls_url(request, provider: IdentityProvider) -> str:
    return request.build_absolute_uri(reverse("sso:saml_sls", args=[provider.slug]))


def idp_metadata(provider: IdentityProvider) -> str:
    """The identity provider's metadata: pasted, or fetched and kept for a while."""
    if provider.metadata_xml:
        return provider.metadata_xml
    digest = hashlib.sha256(provider.metadata_url.encode()).hexdigest()[:16]
    key = f"sso:saml-metadata:{provider.pk}:{digest}"
    xml = cache.get(key)
    if xml is None:
        try:
            response = requests.get(provider.metadata_url, timeout=TIMEOUT_SECONDS)
            response.raise_for_status()
        except requests.RequestException as error:
            raise ProtocolError(f"metadata unreachable: {type(error).__name__}") from error
        xml = response.text
        cache.set(key, xml, settings.SSO_SAML_METADATA_CACHE_SECONDS)
    return xml


def _signing() -> bool:
    return bool(settings.SSO_SAML_KEY_FILE and settings.SSO_SAML_CERT_FILE)


def _config(request, provider: IdentityProvider, *, with_idp: bool = True) -> SPConfig:
    signing = _signing()
    conf = {
        "entityid": entity_id(request, provider),
        "xmlsec_binary": shutil.which("xmlsec1"),
        "service": {
            "sp": {
                "name": "Partnerskap",
                "endpoints": {
                    "assertion_consumer_service": [(acs_url(request, provider), BINDING_HTTP_POST)],
                    "single_logout_service": [(sls_url(request, provider), BINDING_HTTP_REDIRECT)],
                },
                # Only answers to our own requests: no IdP-initiated logins, which could not be
                # tied to this browser.
                "allow_unsolicited": False,
                "authn_requests_signed": signing,
                "logout_requests_signed": signing,
                # Entra ID and ADFS sign the assertion, Keycloak by default the response: either
                # will do, but one of them must be signed.
                "want_assertions_signed": False,
                "want_response_signed": False,
                "want_assertions_or_response_signed": True,
                "name_id_format": NAMEID_FORMAT_UNSPECIFIED,
            }
        },
        "accepted_time_diff": ACCEPTED_CLOCK_SKEW,
        "allow_unknown_attributes": True,
    }
    if signing:
        conf["key_file"] = settings.SSO_SAML_KEY_FILE
        conf["cert_file"] = settings.SSO_SAML_CERT_FILE
        conf["encryption_keypairs"] = [
            {"key_file": settings.SSO_SAML_KEY_FILE, "cert_file": settings.SSO_SAML_CERT_FILE}
        ]
    if with_idp:
        conf["metadata"] = {"inline": [idp_metadata(provider)]}
    config = SPConfig()
    config.load(conf)
    return config


def _idp_entity_id(client: Saml2Client, provider: IdentityProvider) -> str:
    if provider.idp_entity_id:
        return provider.idp_entity_id
    idps = client.metadata.identity_providers()
    if len(idps) != 1:
        raise ProtocolError("metadata names no single identity provider: set its entity id")
    return idps[0]


def sp_metadata(request, provider: IdentityProvider) -> str:
    return str(entity_descriptor(_config(request, provider, with_idp=False)))


def login_redirect(request, provider: IdentityProvider) -> tuple[str, str]:
    """The provider's address with our AuthnRequest, and the request's id."""
    try:
        client = Saml2Client(_config(request, provider))
        request_id, info = client.prepare_for_authenticate(
            entityid=_idp_entity_id(client, provider),
            binding=BINDING_HTTP_REDIRECT,
            sign=_signing(),
            sigalg=xmldsig.SIG_RSA_SHA256 if _signing() else None,
        )
    except ProtocolError:
        raise
    except Exception as error:  # pysaml2 raises many kinds; any of them means no login
        raise ProtocolError(f"request: {type(error).__name__}") from error
    return dict(info["headers"])["Location"], request_id


def complete(request, provider: IdentityProvider, request_id: str) -> Assertion:
    """Check the posted response (signature, audience, times, InResponseTo) and read it."""
    saml_response = request.POST.get("SAMLResponse", "")
    if not saml_response or not request_id:
        raise ProtocolError("no response or no request of ours")
    try:
        client = Saml2Client(_config(request, provider))
        response = client.parse_authn_request_response(
            saml_response, BINDING_HTTP_POST, outstanding={request_id: ""}
        )
    except ProtocolError:
        raise
    except Exception as error:  # bad signature, expired, unsolicited, wrong audience ...
        raise ProtocolError(f"response: {type(error).__name__}: {error}") from error
    if response is None or response.assertion is None or response.name_id is None:
        raise ProtocolError("response without assertion")
    if provider.idp_entity_id and response.issuer() != provider.idp_entity_id:
        raise ProtocolError("response from another identity provider")
    claims = {name: list(values) for name, values in response.ava.items()}
    subject = claim_value(claims, provider.subject_claim) if provider.subject_claim else ""
    subject = subject or response.name_id.text or ""
    if not subject:
        raise ProtocolError("no subject")
    statements = response.assertion.authn_statement or []
    return Assertion(
        subject=subject,
        claims=claims,
        auth_contexts=tuple(context for context, _, _ in response.authn_info() if context),
        logout_data={
            "name_id": str(response.name_id),
            "session_index": statements[0].session_index if statements else "",
        },
    )


def logout_url(request, provider: IdentityProvider, sso_data: dict) -> str | None:
    """A LogoutRequest to the provider's single logout service, if it has one by redirect."""
    try:
        client = Saml2Client(_config(request, provider))
        idp = _idp_entity_id(client, provider)
        services = client.metadata.single_logout_service(idp, BINDING_HTTP_REDIRECT, "idpsso")
        if not services or not sso_data.get("name_id"):
            return None
        destination = services[0]["location"]
        _, logout_request = client.create_logout_request(
            destination,
            idp,
            name_id=name_id_from_string(sso_data["name_id"]),
            session_indexes=[sso_data["session_index"]] if sso_data.get("session_index") else None,
            sign=False,
        )
        info = client.apply_binding(
            BINDING_HTTP_REDIRECT,
            str(logout_request),
            destination,
            sign=_signing(),
            sigalg=xmldsig.SIG_RSA_SHA256 if _signing() else None,
        )
    except Exception:  # noqa: BLE001 (the local logout is done; the provider's is a courtesy)
        return None
    return dict(info["headers"])["Location"]
