"""A small world for access tests: every role next to objects it may and may not see.

Region A (``region``) has the clinics ``clinic`` and ``other_clinic``; region B has
``foreign_clinic``. People: the role fixtures of tests/conftest.py, plus ``clinic_leader``
(a leader of ``other_clinic`` only). ``partner_user``'s organisation is party to ``project``.
"""

from types import SimpleNamespace

import pytest

from partners.models import Agreement
from tests.clinics.factories import LeaderFactory, StaffFactory
from tests.partners.factories import (
    MilestoneFactory,
    PartnerOrganisationFactory,
    agreement_with_parties,
)
from tests.portfolio.factories import ChallengeFactory, IdeaFactory, ProjectFactory

ROLES = [
    "anonymous",
    "staff_user",
    "other_clinic_staff",
    "leader",
    "clinic_leader",
    "other_region_leader",
    "partner_user",
    "other_partner_user",
    "admin_user",
]


@pytest.fixture(name="world")
def world_fixture(
    clinic,
    other_clinic,
    foreign_clinic,
    staff_user,
    other_clinic_staff,
    leader,
    other_region_leader,
    admin_user,
    project,
    agreement,
    partner_user,
    other_partner_user,
    partner_organisation,
):
    from django.contrib.auth.models import AnonymousUser

    colleague = StaffFactory(clinic=clinic)
    foreign_staff = StaffFactory(clinic=foreign_clinic)
    joint_project = ProjectFactory(lead_clinic=other_clinic, owner=leader, title="Joint")
    joint_project.other_clinics.add(clinic)
    other_clinic_project = ProjectFactory(lead_clinic=other_clinic, owner=leader, title="Other")
    foreign_project = ProjectFactory(
        lead_clinic=foreign_clinic, owner=other_region_leader, title="Foreign"
    )
    people = {
        "anonymous": AnonymousUser(),
        "staff_user": staff_user,
        "other_clinic_staff": other_clinic_staff,
        "leader": leader,
        "clinic_leader": LeaderFactory(region=clinic.region, clinics=[other_clinic]),
        "other_region_leader": other_region_leader,
        "partner_user": partner_user,
        "other_partner_user": other_partner_user,
        "admin_user": admin_user,
    }
    objects = {
        "ideas": {
            "own_draft": IdeaFactory(submitter=staff_user),
            "own_submitted": IdeaFactory(submitter=staff_user, submitted=True),
            "colleague_submitted": IdeaFactory(submitter=colleague, submitted=True),
            "colleague_draft": IdeaFactory(submitter=colleague),
            "other_clinic_submitted": IdeaFactory(submitter=other_clinic_staff, submitted=True),
            "foreign_submitted": IdeaFactory(submitter=foreign_staff, submitted=True),
        },
        "projects": {
            "project": project,
            "joint_project": joint_project,
            "other_clinic_project": other_clinic_project,
            "foreign_project": foreign_project,
        },
        "challenges": {
            "region_wide": ChallengeFactory(clinic=None, region=clinic.region, posted_by=leader),
            "own_clinic": ChallengeFactory(clinic=clinic, posted_by=leader),
            "other_clinic": ChallengeFactory(clinic=other_clinic, posted_by=leader),
            "region_wide_open": ChallengeFactory(
                clinic=None, region=clinic.region, posted_by=leader, open_to_partners=True
            ),
            "foreign": ChallengeFactory(clinic=foreign_clinic, posted_by=other_region_leader),
        },
        "agreements": {
            "proposed": agreement,
            "draft": agreement_with_parties(
                partner_organisation, project=project, status=Agreement.Status.DRAFT
            ),
            "other_clinic_active": agreement_with_parties(
                PartnerOrganisationFactory(), project=other_clinic_project, status="active"
            ),
            "foreign_proposed": agreement_with_parties(
                PartnerOrganisationFactory(), project=foreign_project
            ),
        },
        "milestones": {
            "project": MilestoneFactory(project=project, responsible_party=partner_organisation),
            "joint_project": MilestoneFactory(project=joint_project, responsible_party=None),
            "other_clinic_project": MilestoneFactory(project=other_clinic_project),
            "foreign_project": MilestoneFactory(project=foreign_project),
        },
    }
    return SimpleNamespace(people=people, **objects)


def visible_keys(queryset, objects: dict) -> set[str]:
    """Which of the named ``objects`` the queryset contains."""
    pks = set(queryset.values_list("pk", flat=True))
    return {key for key, obj in objects.items() if obj.pk in pks}
