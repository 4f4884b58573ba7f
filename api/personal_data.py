"""The API token in a person's data export, erasure and deactivation (``clinics.personal_data``)."""

from api.models import ApiToken
from api.services import api_token_revoke
from clinics.personal_data import rows


def api_personal_data(user) -> dict:
    # That a token exists, since when and until when; never the key nor its digest.
    return {
        "api_token": rows(
            ApiToken.objects.filter(user=user), "created_at", "expires_at", "last_used_at"
        )
    }


def api_token_end(user, old_username: str = "") -> None:
    """Erasure and deactivation end the token for good: a reactivated account makes a new one."""
    api_token_revoke(user=user)
