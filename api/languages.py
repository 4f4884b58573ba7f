"""The language an API answer names things in (catalogue names such as themes)."""

from django.conf import settings
from django.utils import translation
from django.utils.translation.trans_real import parse_accept_lang_header
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]

LANG_PARAMETER = OpenApiParameter(
    "lang",
    OpenApiTypes.STR,
    enum=LANGUAGE_CODES,
    description=(
        "The language of the localized names (e.g. a theme's `name`). Without it, the "
        "request's `Accept-Language` header decides, else the account's language."
    ),
)


def request_language(request) -> str:
    """``?lang=`` if it is a site language, else the first site language of the
    ``Accept-Language`` header, else the active one (the account's, set by the middleware)."""
    if request is not None:
        asked = request.GET.get("lang", "").strip().lower()
        if asked in LANGUAGE_CODES:
            return asked
        for code, _quality in parse_accept_lang_header(request.headers.get("Accept-Language", "")):
            base = code.split("-")[0].lower()
            if base in LANGUAGE_CODES:
                return base
    return (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
