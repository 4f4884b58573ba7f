import pytest
from django.contrib.auth.models import AnonymousUser

from clinics.models import LeaderScope
from clinics.selectors import (
    clinics_led_by,
    clinics_visible_to,
    leaders_of_clinic,
    support_contacts_for_clinic,
)
from tests.clinics.factories import ClinicFactory, LeaderFactory, SupportContactFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def clinic_leader(region, other_clinic):
    return LeaderFactory(username="leader_bjurholm", region=region, clinics=[other_clinic])


@pytest.mark.parametrize(
    ("person", "expected"),
    [
        ("anonymous", set()),
        ("staff_user", set()),
        ("partner_user", set()),
        # A superuser holds every leader's right in every region (clinics.access).
        ("admin_user", {"clinic", "other_clinic", "foreign_clinic"}),
        ("leader", {"clinic", "other_clinic"}),  # region-wide: every clinic of the region
        ("clinic_leader", {"other_clinic"}),
        ("other_region_leader", {"foreign_clinic"}),
    ],
)
def test_clinics_led_by(request, clinic, other_clinic, foreign_clinic, person, expected):
    user = AnonymousUser() if person == "anonymous" else request.getfixturevalue(person)
    clinics = {"clinic": clinic, "other_clinic": other_clinic, "foreign_clinic": foreign_clinic}

    led = set(clinics_led_by(user))

    assert led == {clinics[name] for name in expected}


def test_region_wide_leader_also_leads_clinics_added_later(leader, region):
    new_clinic = ClinicFactory(region=region)

    assert new_clinic in clinics_led_by(leader)


def test_leader_with_scopes_in_two_regions_leads_the_union(
    leader, clinic, other_clinic, foreign_clinic
):
    LeaderScope.objects.create(leader=leader, region=foreign_clinic.region, clinic=foreign_clinic)

    assert set(clinics_led_by(leader)) == {clinic, other_clinic, foreign_clinic}
    assert clinics_led_by(leader).count() == 3  # no duplicates from the two paths


@pytest.mark.parametrize(
    ("person", "expected"),
    [
        ("staff_user", {"clinic"}),
        ("other_clinic_staff", {"other_clinic"}),
        ("leader", {"clinic", "other_clinic"}),
        ("other_region_leader", {"foreign_clinic"}),
        ("partner_user", set()),
        ("admin_user", {"clinic", "other_clinic", "foreign_clinic"}),
    ],
)
def test_clinics_visible_to(request, clinic, other_clinic, foreign_clinic, person, expected):
    clinics = {"clinic": clinic, "other_clinic": other_clinic, "foreign_clinic": foreign_clinic}

    visible = set(clinics_visible_to(request.getfixturevalue(person)))

    assert visible == {clinics[name] for name in expected}


def test_leaders_of_clinic_are_region_wide_and_clinic_leaders(
    clinic, other_clinic, leader, other_region_leader
):
    bjurholm_leader = LeaderFactory(region=clinic.region, clinics=[other_clinic])

    assert set(leaders_of_clinic(clinic)) == {leader}
    assert set(leaders_of_clinic(other_clinic)) == {leader, bjurholm_leader}


def test_support_contacts_are_the_clinics_own_and_region_wide(clinic, other_clinic, foreign_clinic):
    own = SupportContactFactory(clinic=clinic)
    region_wide = SupportContactFactory(clinic=None, region=clinic.region)
    SupportContactFactory(clinic=other_clinic)
    SupportContactFactory(clinic=None, region=foreign_clinic.region)

    assert set(support_contacts_for_clinic(clinic)) == {own, region_wide}
