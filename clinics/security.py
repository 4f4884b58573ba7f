"""Helpers of the login protection: the client's address and who must use two-factor login."""

import time

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
