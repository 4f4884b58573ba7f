"""Pages of single sign-on: start a login, receive the provider's answer, log out of both.

Every failed check (state, nonce, signature, expiry, InResponseTo) ends on one page that says
the login did not work, with the reason in the security log only.
"""

import logging

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.core import signing
from django.http import HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from clinics.security import client_ip

from . import oidc, saml
from .models import IdentityProvider
from .oidc import ProtocolError
from .selectors import provider_for_login_or_404
from .services import SSO_SESSION_KEY, LoginRefused, sso_login

security_log = logging.getLogger("security")

NEXT_SESSION_KEY = "sso_next"
# SAML's answer arrives as a POST from the provider's site, and browsers send no SameSite=Lax
# cookie (so no session) with a cross-site POST. What the answer must be checked against (the id
# of our request, and where to go after) travels in this signed cookie instead, made
# SameSite=None over HTTPS. It is bound to this browser, so an answer captured elsewhere
# (or replayed after use) finds no request of ours.
SAML_COOKIE = "partnerskap_saml"
SAML_COOKIE_SALT = "sso.saml.request"
SAML_COOKIE_SECONDS = 10 * 60


def _next_url(request) -> str:
    next_url = request.GET.get("next", "")
    if next_url and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return next_url
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _failed(request, provider: IdentityProvider, error: Exception):
    security_log.warning(
        "sso login failed provider=%s error=%s ip=%s", provider.slug, error, client_ip(request)
    )
    return render(request, "sso/login_failed.html", {"provider": provider}, status=400)


def _finish(request, provider: IdentityProvider, assertion, next_url: str):
    try:
        target = sso_login(request, provider=provider, assertion=assertion, next_url=next_url)
    except LoginRefused as refusal:
        context = {"provider": provider, "reason": refusal.reason}
        return render(request, "sso/login_refused.html", context, status=403)
    return redirect(target)


@never_cache
@require_GET
def login_start(request, slug):
    """Send the browser to the region's identity provider."""
    provider = provider_for_login_or_404(slug)
    next_url = _next_url(request)
    try:
        if provider.protocol == IdentityProvider.Protocol.OIDC:
            response = oidc.login_redirect(request, provider)
            request.session[NEXT_SESSION_KEY] = next_url
            return response
        location, request_id = saml.login_redirect(request, provider)
    except ProtocolError as error:
        return _failed(request, provider, error)
    response = redirect(location)
    secure = request.is_secure()
    response.set_cookie(
        SAML_COOKIE,
        signing.dumps(
            {"provider": provider.pk, "request_id": request_id, "next": next_url},
            salt=SAML_COOKIE_SALT,
        ),
        max_age=SAML_COOKIE_SECONDS,
        secure=secure,
        httponly=True,
        # SameSite=None needs Secure; over plain HTTP (development) Lax is the most we can have.
        samesite="None" if secure else "Lax",
    )
    return response


@never_cache
@require_GET
def oidc_callback(request, slug):
    """The provider's answer: Authlib checks state, nonce and the ID token's signature."""
    provider = provider_for_login_or_404(slug, IdentityProvider.Protocol.OIDC)
    next_url = request.session.pop(NEXT_SESSION_KEY, None) or resolve_url(
        settings.LOGIN_REDIRECT_URL
    )
    try:
        assertion = oidc.complete(request, provider)
    except ProtocolError as error:
        return _failed(request, provider, error)
    return _finish(request, provider, assertion, next_url)


def _saml_request(request, provider: IdentityProvider) -> dict:
    try:
        data = signing.loads(
            request.COOKIES.get(SAML_COOKIE, ""), salt=SAML_COOKIE_SALT, max_age=SAML_COOKIE_SECONDS
        )
    except signing.BadSignature:
        return {}
    return data if data.get("provider") == provider.pk else {}


@csrf_exempt  # posted by the provider's page; held by the signature and the request cookie
@never_cache
@require_POST
def saml_acs(request, slug):
    """The assertion consumer service: pysaml2 checks signature, audience, times, InResponseTo."""
    provider = provider_for_login_or_404(slug, IdentityProvider.Protocol.SAML)
    pending = _saml_request(request, provider)
    try:
        assertion = saml.complete(request, provider, pending.get("request_id", ""))
    except ProtocolError as error:
        response = _failed(request, provider, error)
    else:
        next_url = pending.get("next") or resolve_url(settings.LOGIN_REDIRECT_URL)
        response = _finish(request, provider, assertion, next_url)
    response.delete_cookie(SAML_COOKIE, samesite="None" if request.is_secure() else "Lax")
    return response


@require_GET
def saml_metadata(request, slug):
    """Our service provider's metadata for this provider: give its address to the IdP."""
    provider = provider_for_login_or_404(slug, IdentityProvider.Protocol.SAML)
    return HttpResponse(saml.sp_metadata(request, provider), content_type="text/xml")


@never_cache
@require_GET
def saml_sls(request, slug):
    """Where the provider sends the browser back after its logout; ours ended before."""
    provider_for_login_or_404(slug, IdentityProvider.Protocol.SAML)
    return redirect(settings.LOGOUT_REDIRECT_URL)


class LogoutView(auth_views.LogoutView):
    """Django's logout; after an SSO login it then ends the provider's session too, where the
    provider offers that (OpenID Connect's end-session endpoint, SAML's single logout).

    The provider is reached by a page that forwards the browser, not by a redirect: the logout
    is a form, and the Content-Security-Policy's form-action keeps form submissions (and their
    redirects) on our own site.
    """

    def post(self, request, *args, **kwargs):
        sso_data = request.session.get(SSO_SESSION_KEY) or {}
        response = super().post(request, *args, **kwargs)
        provider = IdentityProvider.objects.filter(pk=sso_data.get("provider")).first()
        if provider is None:
            return response
        if provider.protocol == IdentityProvider.Protocol.OIDC:
            url = oidc.logout_url(request, provider, sso_data)
        else:
            url = saml.logout_url(request, provider, sso_data)
        if not url:
            return response
        return render(request, "sso/logout_provider.html", {"provider": provider, "url": url})
