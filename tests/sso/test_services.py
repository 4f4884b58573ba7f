"""Just-in-time accounts: what the claims map to, whom an existing account is joined with, and
when nothing is written."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from clinics.models import LeaderScope, User
from sso.models import ClaimMapping, ExternalIdentity
from sso.services import LoginRefused, sso_person_provision
from tests.clinics.factories import AdminFactory, StaffFactory
from tests.sso.conftest import BJURHOLM_UNIT, IDUN_UNIT, LEADER_GROUP, STAFF_GROUP

pytestmark = pytest.mark.django_db


def claims(**overrides):
    return {
        "sub": "subject-1",
        "given_name": "Anna",
        "family_name": "Berg",
        "email": "anna@regionvasterbotten.example",
        "email_verified": True,
        "hsa_unit": IDUN_UNIT,
        "groups": [STAFF_GROUP],
        **overrides,
    }


def provision(provider, subject="subject-1", **overrides):
    return sso_person_provision(provider=provider, subject=subject, claims=claims(**overrides))


def test_the_first_login_creates_staff_at_the_mapped_clinic(oidc_provider, clinic):
    user, created, linked = provision(oidc_provider)
    assert (created, linked) == (True, False)
    assert (user.username, user.role, user.clinic, user.region) == (
        "anna@regionvasterbotten.example",
        "staff",
        clinic,
        clinic.region,
    )
    assert not user.has_usable_password()
    assert ExternalIdentity.objects.get().user == user


def test_later_logins_update_name_email_and_clinic_but_not_the_role(oidc_provider, other_clinic):
    user, *_ = provision(oidc_provider)
    user.role = User.Role.LEADER  # an administrator promoted her here
    user.save()
    again, created, _ = provision(
        oidc_provider,
        family_name="Ek",
        email="anna.ek@regionvasterbotten.example",
        hsa_unit=BJURHOLM_UNIT,
    )
    assert again.pk == user.pk and not created
    assert (again.last_name, again.email, again.clinic, again.role) == (
        "Ek",
        "anna.ek@regionvasterbotten.example",
        other_clinic,
        "leader",
    )


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"groups": ["unknown"]}, LoginRefused.NO_ROLE),
        ({"groups": []}, LoginRefused.NO_ROLE),
        ({"hsa_unit": "unknown"}, LoginRefused.NO_CLINIC),
        ({"hsa_unit": None}, LoginRefused.NO_CLINIC),
    ],
)
def test_claims_that_map_to_no_role_or_clinic_are_refused_and_nothing_is_made(
    oidc_provider, overrides, reason
):
    with pytest.raises(LoginRefused) as refused:
        provision(oidc_provider, **overrides)
    assert refused.value.reason == reason
    assert not User.objects.exists()
    assert not ExternalIdentity.objects.exists()


def test_a_person_who_lost_their_group_is_refused_at_the_next_login(oidc_provider):
    provision(oidc_provider)
    with pytest.raises(LoginRefused):
        provision(oidc_provider, groups=["former-staff"])


def test_the_leader_group_wins_and_leads_the_whole_region(oidc_provider, region):
    user, *_ = provision(oidc_provider, groups=[STAFF_GROUP, LEADER_GROUP], hsa_unit="none")
    assert user.role == "leader"
    assert list(LeaderScope.objects.filter(leader=user).values_list("region", "clinic")) == [
        (region.pk, None)
    ]
    provision(oidc_provider, groups=[LEADER_GROUP])  # a second login adds no second scope
    assert LeaderScope.objects.filter(leader=user).count() == 1


def test_a_clinic_leader_leads_the_mapped_clinic(oidc_provider, clinic):
    ClaimMapping.objects.create(
        provider=oidc_provider, kind="role", value="clinic-leaders", role="leader"
    )
    user, *_ = provision(oidc_provider, groups=["clinic-leaders"])
    assert list(LeaderScope.objects.filter(leader=user).values_list("clinic", flat=True)) == [
        clinic.pk
    ]


def test_an_existing_account_is_joined_when_the_email_is_verified(oidc_provider, clinic):
    existing = StaffFactory(email="Anna@RegionVasterbotten.example", clinic=clinic)
    user, created, linked = provision(oidc_provider)
    assert (user.pk, created, linked) == (existing.pk, False, True)
    assert user.has_usable_password()  # the password still works
    assert ExternalIdentity.objects.get().user == existing


@pytest.mark.parametrize("verified", [False, "false", None])
def test_an_existing_account_is_not_joined_without_a_verified_email(
    oidc_provider, clinic, verified
):
    StaffFactory(email="anna@regionvasterbotten.example", clinic=clinic)
    with pytest.raises(LoginRefused) as refused:
        provision(oidc_provider, email_verified=verified)
    assert refused.value.reason == LoginRefused.EMAIL_UNVERIFIED
    assert User.objects.count() == 1
    assert not ExternalIdentity.objects.exists()


def test_a_provider_that_vouches_for_its_addresses_joins_without_the_claim(oidc_provider, clinic):
    oidc_provider.email_always_verified = True
    oidc_provider.save()
    existing = StaffFactory(email="anna@regionvasterbotten.example", clinic=clinic)
    user, _, linked = provision(oidc_provider, email_verified=None)
    assert (user.pk, linked) == (existing.pk, True)


def test_an_administrators_account_is_never_joined(oidc_provider):
    AdminFactory(email="anna@regionvasterbotten.example")
    with pytest.raises(LoginRefused) as refused:
        provision(oidc_provider)
    assert refused.value.reason == LoginRefused.NOT_LINKABLE


def test_a_deactivated_person_is_refused(oidc_provider):
    user, *_ = provision(oidc_provider)
    user.is_active = False
    user.save()
    with pytest.raises(LoginRefused) as refused:
        provision(oidc_provider)
    assert refused.value.reason == LoginRefused.INACTIVE


def test_a_taken_username_gets_a_number(oidc_provider, clinic):
    StaffFactory(username="anna@regionvasterbotten.example", email="", clinic=clinic)
    user, created, _ = provision(oidc_provider)
    assert created and user.username == "anna@regionvasterbotten.example.2"


def test_saml_attribute_lists_are_read_like_claims(saml_provider, clinic):
    from tests.sso.conftest import SAML_EMAIL, SAML_GIVEN_NAME, SAML_GROUPS, SAML_UNIT

    user, created, _ = sso_person_provision(
        provider=saml_provider,
        subject="name-id",
        claims={
            SAML_EMAIL: ["sven@regionvasterbotten.example"],
            SAML_GIVEN_NAME: ["Sven"],
            SAML_UNIT: ["other", IDUN_UNIT],
            SAML_GROUPS: ["x", STAFF_GROUP],
        },
    )
    assert created and (user.first_name, user.clinic) == ("Sven", clinic)


def test_a_clinic_mapping_stays_in_the_providers_region(oidc_provider, other_region):
    from tests.clinics.factories import ClinicFactory

    foreign = ClaimMapping(
        provider=oidc_provider, kind="clinic", value="z", clinic=ClinicFactory(region=other_region)
    )
    with pytest.raises(ValidationError) as refused:
        foreign.full_clean()
    assert list(refused.value.message_dict) == ["clinic"]


def test_one_identity_per_subject(oidc_provider, clinic):
    user, *_ = provision(oidc_provider)
    with pytest.raises(IntegrityError):
        ExternalIdentity.objects.create(
            provider=oidc_provider, user=StaffFactory(clinic=clinic), subject="subject-1"
        )
