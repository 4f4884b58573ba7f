"""Fixtures of the partners app's tests, around the shared role fixtures of tests/conftest.py."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from partners.models import MilestoneUpdate
from tests.clinics.factories import ClinicFactory, LeaderFactory
from tests.partners.factories import MilestoneFactory

PDF_BYTES = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


def pdf_file(name="report.pdf", content=PDF_BYTES):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture
def milestone(project, partner_organisation, leader, agreement):
    return MilestoneFactory(
        project=project,
        responsible_party=partner_organisation,
        responsible_leader=leader,
        title="Pilot starts at the clinic",
    )


@pytest.fixture
def evidence_update(milestone, partner_user):
    update = MilestoneUpdate(milestone=milestone, author=partner_user, comment="Report")
    update.evidence.save("report.pdf", pdf_file(), save=False)
    update.evidence_name = "report.pdf"
    update.save()
    return update


@pytest.fixture
def lead_clinic_leader(clinic):
    """A leader of the project's lead clinic only (not of the whole region): steers it."""
    return LeaderFactory(
        username="lead_clinic_leader",
        region=clinic.region,
        clinics=[clinic],
        preferred_language="en",
    )


@pytest.fixture
def joint_leader(project):
    """A leader of a third clinic of the region that takes part in ``project`` (an "other
    clinic" of it): sees the project, its milestones and agreements, but does not steer it."""
    joint_clinic = ClinicFactory(region=project.lead_clinic.region, name="Joint clinic")
    project.other_clinics.add(joint_clinic)
    return LeaderFactory(
        username="joint_leader",
        region=joint_clinic.region,
        clinics=[joint_clinic],
        preferred_language="en",
    )


@pytest.fixture
def people(
    staff_user,
    other_clinic_staff,
    leader,
    other_region_leader,
    partner_user,
    other_partner_user,
    lead_clinic_leader,
    joint_leader,
    admin_user,
):
    """Every role of the permission matrix (anonymous is None)."""
    return {
        "anonymous": None,
        "staff": staff_user,
        "other_clinic_staff": other_clinic_staff,
        "leader": leader,
        "other_region_leader": other_region_leader,
        "partner": partner_user,
        "other_partner": other_partner_user,
        "lead_clinic_leader": lead_clinic_leader,
        "joint_leader": joint_leader,
        "superuser": admin_user,
    }


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    """The role fixtures hash a password per person; the slow default hasher would dominate."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def leader(leader):
    """Pages are asserted in English; the translated texts have their own tests."""
    leader.preferred_language = "en"
    leader.save(update_fields=["preferred_language"])
    return leader
