"""Providers described in the environment (SSO_PROVIDERS) are loaded by slug, all or nothing."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from sso.models import IdentityProvider

pytestmark = pytest.mark.django_db


def entry(**overrides):
    return {
        "slug": "vasterbotten",
        "region": "vasterbotten",
        "protocol": "oidc",
        "metadata_url": "https://login.microsoftonline.com/tenant-id/v2.0",
        "client_id": "client",
        "client_secret_env": "SSO_VASTERBOTTEN_SECRET",
        "clinic_claim": "hsa_unit",
        "mappings": [
            {"kind": "clinic", "value": "SE-IDUN", "clinic": "idun"},
            {"kind": "role", "value": "staff-group", "role": "staff"},
        ],
        **overrides,
    }


def test_providers_are_created_then_updated_by_slug(settings, clinic):
    settings.SSO_PROVIDERS = json.dumps([entry()])
    call_command("sso_providers_load", stdout=StringIO())
    provider = IdentityProvider.objects.get()
    assert (provider.region, provider.mappings.count()) == (clinic.region, 2)
    assert provider.mappings.get(kind="clinic").clinic == clinic

    settings.SSO_PROVIDERS = json.dumps([entry(display_name="Region VB", mappings=[])])
    call_command("sso_providers_load", stdout=StringIO())
    provider = IdentityProvider.objects.get()
    assert (provider.name, provider.mappings.count()) == ("Region VB", 0)


@pytest.mark.parametrize(
    "bad",
    [
        entry(region="nowhere"),
        entry(colour="blue"),
        entry(client_id=""),
        entry(mappings=[{"kind": "clinic", "value": "x", "clinic": "no-such-clinic"}]),
    ],
)
def test_an_invalid_entry_changes_nothing(settings, clinic, bad):
    settings.SSO_PROVIDERS = json.dumps([entry(slug="first"), bad])
    with pytest.raises(CommandError):
        call_command("sso_providers_load")
    assert not IdentityProvider.objects.exists()
