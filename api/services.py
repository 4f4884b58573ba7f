"""Writes of the API app: a person's own API token, created and revoked on their account page."""

from django.db import transaction
from rest_framework.authtoken.models import Token

from clinics.models import User


@transaction.atomic
def api_token_create(*, user: User) -> Token:
    """A new token for ``user``; any token they had stops working at once."""
    Token.objects.filter(user=user).delete()
    return Token.objects.create(user=user)


@transaction.atomic
def api_token_revoke(*, user: User) -> bool:
    """Revoke ``user``'s token; False if they had none."""
    deleted, _ = Token.objects.filter(user=user).delete()
    return deleted > 0
