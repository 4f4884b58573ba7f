import pytest
from django.contrib.auth.hashers import make_password

from clinics.models import Clinic, LeaderScope, SupportContact, User
from tests.clinics.factories import ClinicFactory, LeaderFactory
from tests.constraints import PATHS, assert_refused, named_constraints

pytestmark = pytest.mark.django_db


def _duplicate_slug(clinic, leader):
    return Clinic, {"region": clinic.region, "name": "Another name", "slug": clinic.slug}


def _duplicate_name(clinic, leader):
    return Clinic, {"region": clinic.region, "name": clinic.name, "slug": "another-slug"}


def _unreachable_contact(clinic, leader):
    return SupportContact, {
        "region": clinic.region,
        "clinic": clinic,
        "area": "technical",
        "name": "Nobody",
    }


def _staff_without_clinic(clinic, leader):
    return User, {"username": "lost", "role": "staff", "password": make_password(None)}


def _second_region_wide_scope(clinic, leader):
    return LeaderScope, {"leader": leader, "region": clinic.region}


def _second_scope_for_same_clinic(clinic, leader):
    LeaderScope.objects.create(leader=leader, region=clinic.region, clinic=clinic)
    return LeaderScope, {"leader": leader, "region": clinic.region, "clinic": clinic}


def _clinic_scope_administering_the_region(clinic, leader):
    other = LeaderFactory(region=clinic.region)
    return LeaderScope, {
        "leader": other,
        "region": clinic.region,
        "clinic": clinic,
        "administers_region": True,
    }


CASES = {
    "clinic_unique_slug_in_region": _duplicate_slug,
    "clinic_unique_name_in_region": _duplicate_name,
    "support_contact_reachable": _unreachable_contact,
    "user_staff_has_clinic": _staff_without_clinic,
    "leader_scope_unique_region_wide": _second_region_wide_scope,
    "leader_scope_unique_clinic": _second_scope_for_same_clinic,
    "leader_scope_administers_whole_region": _clinic_scope_administering_the_region,
}


def test_every_named_constraint_has_a_case():
    assert set(CASES) == named_constraints("clinics")


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("name", sorted(CASES))
def test_constraint_refuses_bad_rows(name, path):
    clinic = ClinicFactory()
    leader = LeaderFactory(region=clinic.region)  # with a region-wide scope
    model, values = CASES[name](clinic, leader)

    assert_refused(path, model, name, values)


def test_a_clinic_slug_may_repeat_in_another_region():
    clinic = ClinicFactory(slug="akut")

    ClinicFactory(slug="akut").full_clean()

    assert Clinic.objects.filter(slug=clinic.slug).count() == 2


def test_support_contact_with_only_a_phone_number_is_reachable():
    clinic = ClinicFactory()
    contact = SupportContact(region=clinic.region, area="funding", name="Ann", phone="090-1")

    contact.full_clean()
    contact.save()
