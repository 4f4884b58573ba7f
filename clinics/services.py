"""Writes of the clinics app: two-factor devices, password-reset mail, ending sessions, erasing
a person."""

import logging
from importlib import import_module

from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import User
from .personal_data import personal_data_parts

security_log = logging.getLogger("security")

RECOVERY_CODE_COUNT = 10
AUTHENTICATOR_DEVICE_NAME = "authenticator"
RECOVERY_DEVICE_NAME = "recovery codes"


def _normalise_code(code: str) -> str:
    return "".join(code.split()).lower()


def two_factor_setup_start(*, user: User) -> TOTPDevice:
    """The authenticator app to pair: the person's unconfirmed one, or a new one.

    Reusing the unconfirmed device means a reload of the setup page shows the same QR code
    the person may already have scanned.
    """
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None:
        device = TOTPDevice(user=user, name=AUTHENTICATOR_DEVICE_NAME, confirmed=False)
        device.full_clean()
        device.save()
    return device


@transaction.atomic
def two_factor_setup_confirm(*, user: User, device: TOTPDevice, code: str) -> list[str] | None:
    """Pair the app if ``code`` is the one it shows now; returns the new recovery codes.

    Any earlier authenticator is replaced (a new phone), and so are earlier recovery codes.
    Returns None when the code is wrong.
    """
    device = (
        TOTPDevice.objects.select_for_update()
        .filter(pk=device.pk, user=user, confirmed=False)
        .first()
    )
    # None: a second submit of the same form, after the first one paired the app.
    if device is None or not device.verify_token(_normalise_code(code)):
        return None
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.full_clean()
    device.save()
    security_log.info("two-factor enabled user_id=%s", user.pk)
    return two_factor_recovery_codes_renew(user=user)


@transaction.atomic
def two_factor_recovery_codes_renew(*, user: User) -> list[str]:
    """New single-use recovery codes; the old ones stop working."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    device.full_clean()
    device.save()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@transaction.atomic
def two_factor_disable(*, user: User) -> None:
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    security_log.info("two-factor disabled user_id=%s", user.pk)


def two_factor_verify(*, user: User, code: str):
    """The device that accepts ``code`` (authenticator first, then a recovery code), or None.

    django-otp throttles each device after failures, and a recovery code is deleted once used.
    """
    code = _normalise_code(code)
    # Six digits come from the app, anything else is a recovery code: each code goes to its own
    # kind of device only, so a recovery code does not count as a failed app code (throttling).
    model = TOTPDevice if code.isdigit() and len(code) == 6 else StaticDevice
    for device in model.objects.filter(user=user, confirmed=True):
        with transaction.atomic():
            locked = type(device).objects.select_for_update().get(pk=device.pk)
            if locked.verify_token(code):
                return locked
    return None


def sessions_end_for_user(*, user: User) -> int:
    """End every session of a person, on every device; returns how many ended.

    Sessions are stored signed and encoded, so each live one is decoded to find its owner:
    fine for an administrator's occasional action, not for a request path.
    """
    ended = []
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") == str(user.pk):
            ended.append(session.pk)
    # Through the session engine, so that a cached copy (cached_db sessions) ends too.
    store = import_module(settings.SESSION_ENGINE).SessionStore
    for session_key in ended:
        store(session_key=session_key).delete()
    return len(ended)


@transaction.atomic
def user_deactivate(*, user: User, deactivated_by: User | None = None) -> User:
    """Stop an account: it can no longer log in, and what it had open ends for good.

    Its sessions are deleted and its REST API token revoked, so reactivating the account
    later revives neither: the person logs in again and creates a new token. (Django refuses
    an inactive account's session and DRF its token, but only while it stays inactive.)
    Calling it again on an inactive account ends whatever is left.
    """
    if user.is_active:
        user.is_active = False
        user.save(update_fields=["is_active"])
    sessions_end_for_user(user=user)
    # The apps above end what they hold for the account (the api app: its token).
    for part in personal_data_parts():
        if part.deactivate is not None:
            part.deactivate(user)
    security_log.info(
        "user deactivated user_id=%s by_user_id=%s",
        user.pk,
        deactivated_by.pk if deactivated_by is not None else "-",
    )
    return user


@transaction.atomic
def user_erase(*, user: User, erased_by: User) -> User:
    """Erase a person's personal data; what they did stays, shown as "Former user".

    Name, e-mail, phone and username are replaced, the password made unusable, the account
    deactivated, its two-factor devices, sessions, login records and notifications removed.
    Their status-digest records lose the address and the stored message (it greets them by
    name) but stay, so each period stays claimed and nothing is sent twice.
    Each app erases its own part through ``clinics.personal_data``.
    Ideas, reviews, updates and every history row keep pointing at the (now anonymous) account,
    so the portfolio's record stays whole.
    """
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    if user.pk == erased_by.pk:
        raise ValidationError(_("You cannot erase your own account."))
    if user.erased_at is not None:
        raise ValidationError(_("This person's data has already been erased."))

    old_username = user.username
    user.username = f"former-user-{user.pk}"
    user.first_name = ""
    user.last_name = ""
    user.email = ""
    user.phone = ""
    user.preferred_language = ""
    user.notify_by_email = False
    user.notify_in_app = False
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.erased_at = timezone.now()
    user.set_unusable_password()
    user.full_clean()
    user.save()
    user.groups.clear()
    user.user_permissions.clear()

    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        model.objects.filter(username=old_username).delete()
    sessions_end_for_user(user=user)
    # What the apps above hold: notifications, digest records, the API token.
    for part in personal_data_parts():
        if part.erase is not None:
            part.erase(user, old_username)

    security_log.info("user erased user_id=%s by_user_id=%s", user.pk, erased_by.pk)
    return user
