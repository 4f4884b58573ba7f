"""Every named constraint of the sso app, on both paths (full_clean and the database)."""

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from sso.models import ClaimMapping, ExternalIdentity, IdentityProvider, IdentityProviderDevice
from tests.clinics.factories import ClinicFactory, RegionFactory, StaffFactory
from tests.constraints import PATHS, assert_refused, named_constraints

pytestmark = pytest.mark.django_db


def _provider():
    return IdentityProvider.objects.create(
        region=RegionFactory(),
        slug="p",
        protocol="oidc",
        metadata_url="https://idp.example/",
        client_id="c",
    )


def _mapping(**values):
    provider = _provider()
    return ClaimMapping, {"provider": provider, "value": "v", **values}


def _duplicate_mapping():
    provider = _provider()
    ClaimMapping.objects.create(provider=provider, kind="role", value="g", role="staff")
    return ClaimMapping, {"provider": provider, "kind": "role", "value": "g", "role": "leader"}


def _second_identity(**values):
    provider = _provider()
    user = StaffFactory()
    ExternalIdentity.objects.create(provider=provider, user=user, subject="s")
    return ExternalIdentity, {"provider": provider, "user": user, "subject": "s", **values}


def _second_device():
    provider = _provider()
    user = StaffFactory()
    IdentityProviderDevice.objects.create(provider=provider, user=user, name="p")
    return IdentityProviderDevice, {"provider": provider, "user": user, "name": "p"}


CASES = {
    "identity_provider_oidc_complete": lambda: (
        IdentityProvider,
        {"region": RegionFactory(), "slug": "o", "protocol": "oidc", "metadata_url": "https://x/"},
    ),
    "identity_provider_saml_complete": lambda: (
        IdentityProvider,
        {"region": RegionFactory(), "slug": "s", "protocol": "saml"},
    ),
    "claim_mapping_unique_value": _duplicate_mapping,
    "claim_mapping_target_matches_kind": lambda: _mapping(kind="clinic", role="staff"),
    "claim_mapping_region_only_for_leaders": lambda: _mapping(
        kind="role", role="staff", leads_whole_region=True
    ),
    "external_identity_unique_subject": lambda: _second_identity(user=StaffFactory()),
    "external_identity_one_per_provider": lambda: _second_identity(subject="other"),
    "identity_provider_device_unique": _second_device,
}


def test_every_named_constraint_has_a_case():
    assert set(CASES) == named_constraints("sso")


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("name", sorted(CASES))
def test_constraint_refuses_bad_rows(name, path):
    model, values = CASES[name]()
    assert_refused(path, model, name, values)


def test_a_role_row_with_a_clinic_is_refused_too():
    clinic = ClinicFactory()
    model, values = _mapping(kind="role", role="staff", clinic=clinic)
    for path in PATHS:
        assert_refused(path, model, "claim_mapping_target_matches_kind", values)


def test_the_providers_second_factor_is_no_device_the_person_holds():
    """It verifies an SSO session, but never makes the password form ask for a code."""
    from django_otp import user_has_device

    user = StaffFactory()
    IdentityProviderDevice.objects.create(provider=_provider(), user=user, name="p")
    assert not user_has_device(user)
    assert not TOTPDevice.objects.exists()
