"""Reads of single sign-on."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from .models import IdentityProvider


def providers_for_login() -> QuerySet[IdentityProvider]:
    """The providers the login page offers (anyone may see them: they are public buttons)."""
    return (
        IdentityProvider.objects.enabled()
        .select_related("region")
        .order_by("region__name", "display_name", "pk")
    )


def provider_for_login_or_404(slug: str, protocol: str | None = None) -> IdentityProvider:
    """An enabled provider by slug (of the protocol its address belongs to), else 404."""
    providers = providers_for_login()
    if protocol:
        providers = providers.filter(protocol=protocol)
    return get_object_or_404(providers, slug=slug)
