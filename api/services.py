"""Writes of the API app: a person's own API token, created and revoked on their account page."""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from clinics.models import User
from clinics.security import two_factor_required

from .models import ApiToken, api_token_digest, api_token_new_key

# last_used_at is written at most this often per token, so a busy script does not turn every
# read into a write.
LAST_USED_RESOLUTION = timedelta(minutes=1)


@transaction.atomic
def api_token_create(*, user: User, second_factor: bool = False) -> ApiToken:
    """A new token for ``user``, valid for ``API_TOKEN_DAYS``; any token they had stops working.

    ``second_factor``: the request comes from a session verified with two-factor login. Where
    the person's role requires it, no token is made without it. The key is stored as a digest
    only: it is on the returned instance (``token.key``) and nowhere else, to be shown once.
    """
    if two_factor_required(user) and not second_factor:
        raise PermissionDenied(_("Log in with your second factor to create an API token."))
    ApiToken.objects.filter(user=user).delete()
    key = api_token_new_key()
    now = timezone.now()
    token = ApiToken(
        user=user,
        key_prefix=key[: ApiToken.PREFIX_LENGTH],
        digest=api_token_digest(key),
        created_at=now,
        expires_at=now + timedelta(days=settings.API_TOKEN_DAYS),
        created_with_second_factor=second_factor,
    )
    token.full_clean()
    token.save()
    token.key = key
    return token


@transaction.atomic
def api_token_revoke(*, user: User) -> bool:
    """Revoke ``user``'s token; False if they had none."""
    deleted, _counts = ApiToken.objects.filter(user=user).delete()
    return deleted > 0


def api_token_mark_used(*, token: ApiToken, now: datetime | None = None) -> None:
    """Note when the token was last used: one UPDATE that writes only if the last note is
    older than ``LAST_USED_RESOLUTION`` (the same query on every request, whatever it finds)."""
    now = now or timezone.now()
    ApiToken.objects.filter(pk=token.pk).filter(
        Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - LAST_USED_RESOLUTION)
    ).update(last_used_at=now)
