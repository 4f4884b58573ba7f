from axes.backends import AxesStandaloneBackend


class LoginThrottleBackend(AxesStandaloneBackend):
    """django-axes' lockout check, for logins that come from a request.

    Every login over the web (the login form, the API's basic authentication) passes the
    request, so every one of them is counted and refused when locked out. Code that checks a
    password without a request (a management command, a test client's ``login()``) has no client
    address to count against; django-axes would raise there, this backend steps aside instead.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
