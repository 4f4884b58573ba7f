"""Protected downloads: files and exports that only their viewer may see.

Every view that answers with someone's files or data (idea attachments, milestone evidence,
portfolio and milestone exports, the personal-data download) is wrapped in
``protected_download``, so no browser, proxy or shared cache keeps a copy: a shared computer
at a clinic must not hand the next person yesterday's export from its cache.
"""

from functools import wraps

PROTECTED_CACHE_CONTROL = "private, no-store"


def protected_download(view):
    """Answer ``Cache-Control: private, no-store`` (and ``nosniff``), whatever the view said.

    Put it outermost, so that every answer the view returns gets it, the login redirect too.
    """

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["Cache-Control"] = PROTECTED_CACHE_CONTROL
        response["X-Content-Type-Options"] = "nosniff"
        return response

    return wrapped
