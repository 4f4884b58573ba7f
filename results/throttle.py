"""A cap on anonymous requests to the public pages: the API's anonymous throttle (Django REST
framework's, counting in the shared cache), with its own rate and the address the login
lockout trusts (``clinics.security.client_ip``)."""

from django.conf import settings
from rest_framework.throttling import AnonRateThrottle

from clinics.security import client_ip


class PublicResultsThrottle(AnonRateThrottle):
    scope = "results_anon"

    def __init__(self):
        self.rate = settings.RESULTS_THROTTLE_ANON
        super().__init__()

    def get_ident(self, request):
        return client_ip(request)


def throttled(request) -> int | None:
    """None if the request may go on; else the seconds to wait. Signed-in people are not
    throttled here (the site's other limits hold them)."""
    if request.user.is_authenticated:
        return None
    throttle = PublicResultsThrottle()
    if throttle.allow_request(request, None):
        return None
    return max(1, int(throttle.wait() or 1))
