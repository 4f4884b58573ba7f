"""A person's part in single sign-on: which providers know them, under which subject."""

from clinics.personal_data import rows

from .models import ExternalIdentity, IdentityProviderDevice


def sso_personal_data(user) -> dict:
    identities = ExternalIdentity.objects.filter(user=user).order_by("pk")
    return {
        "external_identities": rows(
            identities, "provider__slug", "subject", "created_at", "last_login_at"
        )
    }


def sso_personal_data_erase(user, old_username) -> None:
    # The subject ties the erased account to the person at their region's provider: drop it,
    # so a later login through the provider makes a new account instead of reviving this one.
    ExternalIdentity.objects.filter(user=user).delete()
    IdentityProviderDevice.objects.filter(user=user).delete()
