"""The API token in a person's data export and erasure (see ``clinics.personal_data``)."""

from rest_framework.authtoken.models import Token

from api.services import api_token_revoke
from clinics.personal_data import rows


def api_personal_data(user) -> dict:
    # That a token exists and since when; never the token itself.
    return {"api_token": rows(Token.objects.filter(user=user), "created")}


def api_personal_data_erase(user, old_username: str) -> None:
    # A deactivated account's token is refused anyway; an erased one has none at all.
    api_token_revoke(user=user)
