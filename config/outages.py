"""Answers for when a dependency is away: the database unreachable, or an unexpected error.

A database outage answers 503 with ``Retry-After``: pages in the site's layout, in the
visitor's language; the API (``/api/``) in JSON like its other errors. That covers a failure
in a view (``DatabaseUnavailableMiddleware.process_exception``) and one in a middleware (the
session or the signed-in person loaded by the session and auth middleware): Django turns those
into a response before any other middleware sees them, through ``handler500``, which is
``server_error`` below.

The page is rendered without a request context: no context processor runs (the signed-in
person, the messages and the session all need the database), and the layout gets an
anonymous visitor and no messages instead.
"""

import logging
import sys

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import DisallowedHost
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.template import loader
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

logger = logging.getLogger("partnerskap.outages")

DATABASE_ERRORS = (OperationalError, InterfaceError)


def is_database_outage(error: BaseException | None) -> bool:
    """Whether the database is unreachable, also when that error caused the one raised."""
    seen = 0
    while error is not None and seen < 5:
        if isinstance(error, DATABASE_ERRORS):
            return True
        error = error.__cause__ or error.__context__
        seen += 1
    return False


def is_api(request) -> bool:
    return request.path.startswith("/api/")


def back_url(request) -> str:
    """Where "back" goes on an error page: the page the person came from, if it is ours."""
    referer = request.META.get("HTTP_REFERER", "")
    try:
        host = request.get_host()
    except DisallowedHost:
        return ""
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={host}, require_https=request.is_secure()
    ):
        return referer
    return ""


def _page(request, *, status: int, title: str, message: str) -> HttpResponse:
    context = {
        "title": title,
        "message": message,
        "back_url": back_url(request),
        # What base.html would otherwise take from the context processors.
        "request": request,
        "user": AnonymousUser(),
        "messages": [],
        "csrf_token": get_token(request),
    }
    return HttpResponse(loader.render_to_string("error.html", context), status=status)


def unavailable_response(request) -> HttpResponse:
    """503 with Retry-After: the database cannot be reached."""
    language = translation.get_language_from_request(request)
    with translation.override(language):
        title = _("Partnerskap is unavailable for a moment")
        message = _(
            "We cannot reach our database just now, so this page cannot be shown. Nothing you "
            "did caused this, and nothing you saved is lost. Please try again in a minute."
        )
        if is_api(request):
            response = JsonResponse({"detail": message}, status=503)
        else:
            response = _page(request, status=503, title=title, message=message)
        response["Content-Language"] = language
    response["Retry-After"] = str(settings.OUTAGE_RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    return response


def _error_response(request) -> HttpResponse:
    """500 in the site's layout (JSON for the API) instead of Django's bare text."""
    language = translation.get_language_from_request(request)
    with translation.override(language):
        message = _("Something went wrong on our side. It has been logged; please try again.")
        if is_api(request):
            return JsonResponse({"detail": message}, status=500)
        return _page(request, status=500, title=_("Server error"), message=message)


class DatabaseUnavailableMiddleware:
    """A view that cannot reach the database answers 503 instead of a server error."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if is_database_outage(exception):
            logger.error("database unavailable: %s %s: %s", request.method, request.path, exception)
            return unavailable_response(request)
        return None


def server_error(request):
    """``handler500``: called while the error is being handled, so it can tell what it was."""
    if is_database_outage(sys.exc_info()[1]):
        return unavailable_response(request)
    return _error_response(request)
