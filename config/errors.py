"""The site's error pages: 400, 403, 404 and a refused form (CSRF), in its layout and language.

Django's defaults are bare English pages without the menu. Here the page keeps the signed-in
person's menu, speaks their language (the locale middleware has run by the time these are
called), and offers a way back: their start page and, when they came from one of our pages,
that page. "Not allowed to see" answers 404 on purpose (ARCHITECTURE.md, "Access"), so the 404
page says it may be either. The API (``/api/``) keeps JSON, like its other errors.

500 and the database outage (503) are in ``config/outages.py``: those must not touch the
database, so they render without the request's context.
"""

from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from config.outages import back_url, is_api


def _error_page(request, *, status: int, title: str, message: str, hint: str = ""):
    if is_api(request):
        return JsonResponse({"detail": message}, status=status)
    context = {"title": title, "message": message, "hint": hint, "back_url": back_url(request)}
    return render(request, "error.html", context, status=status)


def bad_request(request, exception=None):
    """``handler400``: a malformed request or one Django found suspicious."""
    return _error_page(
        request,
        status=400,
        title=_("Bad request"),
        message=_("We could not understand what your browser sent. Please go back and try again."),
    )


def permission_denied(request, exception=None):
    """``handler403``: the person may see the page but not take this action."""
    return _error_page(
        request,
        status=403,
        title=_("Not allowed"),
        message=_("You do not have permission to do this."),
        hint=_("If you think you should, ask your innovation leader or an administrator."),
    )


def page_not_found(request, exception=None):
    """``handler404``: missing and "not yours" look the same, so the page says both."""
    return _error_page(
        request,
        status=404,
        title=_("Page not found"),
        message=_("This page does not exist, or you do not have access to it."),
        hint=_("The address may be mistyped, or what it showed may have been removed."),
    )


def csrf_failure(request, reason=""):
    """``CSRF_FAILURE_VIEW``: a form sent without its security token (usually a page left
    open for a long time, or cookies blocked). The reason is for the log, not the person."""
    return _error_page(
        request,
        status=403,
        title=_("Your form could not be sent"),
        message=_(
            "We could not check that the form came from you: the page may have been open for "
            "a long time, or your browser blocks cookies."
        ),
        hint=_("Go back, reload the page and send the form again."),
    )
