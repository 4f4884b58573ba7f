"""A leader's digest preference (how often, which language) and the signed unsubscribe link.

The digests themselves are built and sent by ``insights.services.digests``."""

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse

from clinics.models import User
from portfolio.models import DigestPreference

UNSUBSCRIBE_SALT = "portfolio.digest.unsubscribe"


def digest_preference_of(leader: User) -> DigestPreference:
    """The leader's saved preference, or the defaults (weekly) if they never saved one."""
    try:
        return leader.digest_preference
    except DigestPreference.DoesNotExist:
        return DigestPreference(leader=leader)


def digest_language(leader: User, preference: DigestPreference | None = None) -> str:
    preference = preference or digest_preference_of(leader)
    return preference.language or leader.language or settings.LANGUAGE_CODE


def digest_unsubscribe_token(leader: User) -> str:
    """A signed, non-expiring token naming the leader: old e-mails keep working."""
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign_object({"leader": leader.pk})


def digest_unsubscribe_url(leader: User) -> str:
    path = reverse("portfolio:digest_unsubscribe", args=[digest_unsubscribe_token(leader)])
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def digest_leader_from_token(token: str) -> User | None:
    """The leader a token names, or None if it was tampered with or names nobody."""
    try:
        data = signing.Signer(salt=UNSUBSCRIBE_SALT).unsign_object(token)
    except (signing.BadSignature, ValueError, TypeError, UnicodeError):
        return None
    leader_id = data.get("leader") if isinstance(data, dict) else None
    if not isinstance(leader_id, int):
        return None
    return User.objects.filter(pk=leader_id, role=User.Role.LEADER).first()


@transaction.atomic
def digest_preference_update(
    *, leader: User, frequency: str, language: str = "", send_when_empty: bool = True
) -> DigestPreference:
    preference, _created = DigestPreference.objects.select_for_update().get_or_create(leader=leader)
    preference.frequency = frequency
    preference.language = language
    preference.send_when_empty = send_when_empty
    preference.full_clean()
    preference.save()
    return preference


def digest_unsubscribe(*, leader: User) -> DigestPreference:
    """Stop all digests for ``leader`` (the signed link in every digest)."""
    preference = digest_preference_of(leader)
    return digest_preference_update(
        leader=leader,
        frequency=DigestPreference.Frequency.NONE,
        language=preference.language,
        send_when_empty=preference.send_when_empty,
    )
