"""The security log: logins, failed logins, lockouts and logouts.

Receivers only write log lines (no business rules here). Passwords never reach them: Django
masks them in ``credentials``, and only the username is read — and only when it names an
account, since people sometimes type their password into the username field.
"""

import logging

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from .security import client_ip

security_log = logging.getLogger("security")


def _ip(request):
    return client_ip(request) if request is not None else "-"


def _known_username(username):
    from .models import User

    if username and User.objects.filter(username=username).exists():
        return username
    return "(unknown)"


@receiver(user_logged_in, dispatch_uid="security_log_login")
def log_login(sender, request, user, **kwargs):
    security_log.info("login user_id=%s username=%s ip=%s", user.pk, user.username, _ip(request))


@receiver(user_login_failed, dispatch_uid="security_log_login_failed")
def log_login_failed(sender, credentials, request=None, **kwargs):
    security_log.warning(
        "login failed username=%s ip=%s",
        _known_username(credentials.get("username")),
        _ip(request),
    )


@receiver(user_logged_out, dispatch_uid="security_log_logout")
def log_logout(sender, request, user, **kwargs):
    security_log.info("logout user_id=%s ip=%s", user.pk if user else "-", _ip(request))


@receiver(user_locked_out, dispatch_uid="security_log_locked_out")
def log_locked_out(sender, request, username, ip_address, **kwargs):
    security_log.warning(
        "login locked out username=%s ip=%s", _known_username(username), ip_address
    )
