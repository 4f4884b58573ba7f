import logging

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.utils import translation

from .access import request_scope
from .security import client_ip, two_factor_required

security_log = logging.getLogger("security")


class UserLanguageMiddleware:
    """Speak the signed-in person's language (their choice, else their region's).

    An explicit choice from the language switcher (the language cookie) wins, so a Danish
    partner can still read a Swedish region's pages in English.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and settings.LANGUAGE_COOKIE_NAME not in request.COOKIES
            and user.language
        ):
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        return self.get_response(request)


class TwoFactorRequiredMiddleware:
    """A person whose role must use two-factor login gets no page without it.

    The login form already asks for the second factor; this catches the sessions that did not
    pass through it (the admin's own login form, a session from before the setting was turned
    on): they are logged out and sent to the login page.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and two_factor_required(user) and not user.is_verified():
            security_log.warning(
                "session without second factor ended user_id=%s ip=%s", user.pk, client_ip(request)
            )
            logout(request)
            return redirect_to_login(request.get_full_path())
        return self.get_response(request)


class RefusedAccessLogMiddleware:
    """Log every refused request to the security log: 401 (the API's missing, wrong or revoked
    token), 403 (PermissionDenied, CSRF failures) and 429 (rate limit or login lockout).

    Never the token or any other header: only method, path, user and address. 404s are not
    logged: "not allowed" answers 404 on purpose, and every mistyped address would drown the
    log.
    """

    LOGGED_STATUSES = frozenset({401, 403, 429})

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code in self.LOGGED_STATUSES:
            user = getattr(request, "user", None)
            security_log.warning(
                "access refused status=%s method=%s path=%s user_id=%s ip=%s",
                response.status_code,
                request.method,
                request.path,
                user.pk if user is not None and user.is_authenticated else "-",
                client_ip(request),
            )
        return response


class AccessRequestScopeMiddleware:
    """Opens the request's scope for ``Access.remember``: sets derived from the person's rights
    (a partner's projects) are computed once per request, and never outlive it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with request_scope():
            return self.get_response(request)
