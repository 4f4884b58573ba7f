"""Helpers of the login protection: the client's address and who must use two-factor login."""

import time

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth import login
from django_otp import login as otp_login

from .models import User


def client_ip(request) -> str:
    """The address the request came from, as seen by the outermost proxy we trust.

    With ``TRUSTED_PROXY_COUNT = 0`` X-Forwarded-For is ignored: a client could write anything
    into it and so dodge the lockout. Behind N proxies that each append the address they saw,
    the N-th entry from the right is the one a client cannot forge.
    """
    count = settings.TRUSTED_PROXY_COUNT
    if count > 0:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= count:
            return forwarded[-count]
    return request.META.get("REMOTE_ADDR", "")


def two_factor_required(user) -> bool:
    """Whether this person must log in with a second factor (the setting decides).

    Anyone who may open the admin (``is_staff``, superusers included) counts as an
    administrator, whatever their role: the admin reaches every person's data.
    """
    required = settings.TWO_FACTOR_REQUIRED_ROLES
    if "admin" in required and (user.is_superuser or user.is_staff):
        return True
    return user.role in required


# --- Wrong second-factor codes ---------------------------------------------------------------
# They count like wrong passwords, in django-axes' records, per person AND address: the
# lockout of one address (LOGIN_FAILURE_LIMIT codes or passwords) leaves the person free to log
# in from elsewhere. django-otp's own throttle is off (OTP_*_THROTTLE_FACTOR = 0 in settings):
# it counts per device, so anyone who knew the password could lock the person out everywhere.


def _credentials(user) -> dict:
    return {settings.AXES_USERNAME_FORM_FIELD: user.get_username()}


def second_factor_locked_out(request, user) -> bool:
    """Whether this person is locked out from this request's address (passwords or codes)."""
    if not settings.AXES_ENABLED:
        return False
    return not AxesProxyHandler.is_allowed(request, _credentials(user))


def second_factor_failed(request, user) -> None:
    """Count a wrong code against this person from this address, as a wrong password counts.

    At the limit django-axes flags the request and its middleware answers with the lockout
    page. Called directly, not through Django's ``user_login_failed`` signal, so the attempt is
    counted once and logged as a failed second factor, not as a wrong password.
    """
    AxesProxyHandler.user_login_failed(
        sender=second_factor_failed, credentials=_credentials(user), request=request
    )


# --- The login between the password and the second factor ---------------------------------------
# After a right password, a person who must (or chose to) use two-factor login is not logged in
# yet: the session only remembers who they said they are, for a few minutes, until the code from
# their app (or a recovery code) completes the login.
PENDING_LOGIN_KEY = "two_factor_pending"
PENDING_LOGIN_SECONDS = 5 * 60


def pending_login_start(request, user, redirect_to: str) -> None:
    request.session.cycle_key()
    request.session[PENDING_LOGIN_KEY] = {
        "user_id": user.pk,
        "backend": user.backend,
        "next": redirect_to,
        "started": time.time(),
    }


def pending_login_user(request):
    """The person half-way through logging in, or None (none, expired or deactivated)."""
    pending = request.session.get(PENDING_LOGIN_KEY)
    if not pending:
        return None
    if time.time() - pending["started"] > PENDING_LOGIN_SECONDS:
        del request.session[PENDING_LOGIN_KEY]
        return None
    user = User.objects.filter(pk=pending["user_id"], is_active=True).first()
    if user is not None:
        user.backend = pending["backend"]
    return user


def pending_login_finish(request, user, device) -> str:
    """Complete the login with the device that verified the second factor; returns where to go."""
    pending = request.session.pop(PENDING_LOGIN_KEY, {})
    login(request, user, backend=pending.get("backend", user.backend))
    otp_login(request, device)
    return pending.get("next") or settings.LOGIN_REDIRECT_URL
