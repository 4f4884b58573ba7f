"""The REST API's token authentication: ``Authorization: Token <key>``, checked against the
stored digest (``api.models.ApiToken``)."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from clinics.security import two_factor_required

from .models import ApiToken
from .services import api_token_mark_used

REFUSALS = {
    "expired": _("The token has expired. Create a new one on your account page."),
    "second_factor": _(
        "The token was created without two-factor login, which your account now requires. "
        "Create a new one on your account page."
    ),
    "inactive": _("User inactive or deleted."),
}


def api_token_refusal(token: ApiToken, *, now=None) -> str | None:
    """Why ``token`` no longer works ("expired", "second_factor", "inactive"), or None."""
    if not token.user.is_active:
        return "inactive"
    if token.is_expired(now):
        return "expired"
    # A token made before the person had to use a second factor (their role changed, or the
    # setting was turned on), or made from a session that skipped it, is not good enough.
    if two_factor_required(token.user) and not token.created_with_second_factor:
        return "second_factor"
    return None


def api_token_for_key(key: str) -> ApiToken | None:
    """The token whose key this is, or None: found by the key's beginning, then its digest
    compared in constant time."""
    if len(key) <= ApiToken.PREFIX_LENGTH:
        return None
    candidates = ApiToken.objects.select_related("user").filter(
        key_prefix=key[: ApiToken.PREFIX_LENGTH]
    )
    return next((token for token in candidates if token.key_matches(key)), None)


class ApiTokenAuthentication(authentication.TokenAuthentication):
    """DRF's header parsing and 401 answers, with our hashed, expiring tokens behind them."""

    keyword = "Token"

    def authenticate_credentials(self, key):
        token = api_token_for_key(key)
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        now = timezone.now()
        refusal = api_token_refusal(token, now=now)
        if refusal is not None:
            raise exceptions.AuthenticationFailed(REFUSALS[refusal])
        api_token_mark_used(token=token, now=now)
        return (token.user, token)
