"""Role fixtures shared by every app's tests: one person per role, around one project.

The world: region A with clinics A1 (the project's lead clinic) and A2; region B with one
clinic. ``partner_user`` belongs to an organisation that is party to ``project``;
``other_partner_user`` to one that is not.
"""

import os

import pytest
from django.core.cache import cache

from partners.models import Agreement
from tests.clinics.factories import (
    AdminFactory,
    ClinicFactory,
    LeaderFactory,
    RegionFactory,
    StaffFactory,
)
from tests.partners.factories import (
    PartnerOrganisationFactory,
    PartnerUserFactory,
    agreement_with_parties,
)
from tests.portfolio.factories import ProjectFactory


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """On SQLite keep the test database in a file under var/, not in memory: the tests that run
    a real Celery worker (marked ``celery_worker``) need it to see the same database."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        # One file per pytest process, so two runs in one checkout (tests, bench) never meet.
        name = f"test_partnerskap_{os.getpid()}.sqlite3"
        database.setdefault("TEST", {})["NAME"] = str(settings.VAR_DIR / name)
        # A throwaway database: no fsync, so the file costs next to nothing over memory.
        options = database.setdefault("OPTIONS", {})
        options["init_command"] = options.get("init_command", "") + "PRAGMA synchronous=OFF;"


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Uploads of a test go to its own folder, never to var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: a rolled-back test's ids can come again on SQLite,
    so a cached dashboard of the previous test could otherwise match the next one's data."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Hashing at production strength costs a third of a second per user: not in tests."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def region(db):
    return RegionFactory(name="Region Västerbotten", slug="vasterbotten", language="sv")


@pytest.fixture
def other_region(db):
    return RegionFactory(name="Region Midtjylland", slug="midtjylland", language="da")


@pytest.fixture
def clinic(region):
    return ClinicFactory(region=region, name="Tandvårdskliniken Idun", slug="idun")


@pytest.fixture
def other_clinic(region):
    return ClinicFactory(region=region, name="Bjurholms hälsocentral", slug="bjurholm")


@pytest.fixture
def foreign_clinic(other_region):
    return ClinicFactory(region=other_region, name="Akutafdelingen", slug="akut")


@pytest.fixture
def staff_user(clinic):
    return StaffFactory(username="staff", clinic=clinic)


@pytest.fixture
def other_clinic_staff(other_clinic):
    return StaffFactory(username="staff_other", clinic=other_clinic)


@pytest.fixture
def leader(region):
    return LeaderFactory(username="leader", region=region)


@pytest.fixture
def other_region_leader(other_region):
    return LeaderFactory(username="leader_other", region=other_region)


@pytest.fixture
def admin_user(db):
    return AdminFactory(username="admin")


@pytest.fixture
def partner_organisation(db):
    return PartnerOrganisationFactory(name="Medtech Nord AB")


@pytest.fixture
def other_partner_organisation(db):
    return PartnerOrganisationFactory(name="Other Partner A/S")


@pytest.fixture
def project(clinic, leader):
    return ProjectFactory(lead_clinic=clinic, owner=leader, title="Digital dental triage")


@pytest.fixture
def agreement(project, partner_organisation):
    return agreement_with_parties(
        partner_organisation, project=project, status=Agreement.Status.PROPOSED
    )


@pytest.fixture
def partner_user(partner_organisation, agreement):
    return PartnerUserFactory(username="partner", organisation=partner_organisation)


@pytest.fixture
def other_partner_user(other_partner_organisation):
    return PartnerUserFactory(username="partner_other", organisation=other_partner_organisation)
