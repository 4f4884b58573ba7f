from django.conf import settings
from django.utils import translation


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
