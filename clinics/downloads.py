"""Protected downloads: files and exports that only their viewer may see.

Every view that answers with someone's files or data (idea attachments, milestone evidence,
portfolio and milestone exports, the personal-data download) is wrapped in
``protected_download``, so no browser, proxy or shared cache keeps a copy: a shared computer
at a clinic must not hand the next person yesterday's export from its cache.
"""

from functools import wraps

from django.http import FileResponse, Http404

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


def stored_file_download(stored_file, *, filename: str, content_type: str | None = None):
    """A stored upload as a download under its original name; 404 if the file is gone from
    the storage (a row whose file was lost is "missing" to the reader, not a server error)."""
    try:
        handle = stored_file.open("rb")
    except (FileNotFoundError, OSError) as error:
        raise Http404 from error
    return FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type)
