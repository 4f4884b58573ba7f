"""``visible_to`` of ideas, projects and challenges: every role × own / other clinic / region."""

import pytest
from django.utils import timezone

from portfolio.models import Challenge, Idea, Project
from tests.access_world import ROLES, visible_keys, world_fixture  # noqa: F401

pytestmark = pytest.mark.django_db

ALL = object()

IDEAS = {
    "anonymous": set(),
    # Staff open only their own ideas (colleagues' appear as title and status elsewhere).
    "staff_user": {"own_draft", "own_submitted"},
    "other_clinic_staff": {"other_clinic_submitted"},
    # Leaders: submitted ideas of the clinics they lead, never anyone's draft.
    "leader": {"own_submitted", "colleague_submitted", "other_clinic_submitted"},
    "clinic_leader": {"other_clinic_submitted"},
    "other_region_leader": {"foreign_submitted"},
    "partner_user": set(),
    "other_partner_user": set(),
    "admin_user": ALL,
}

PROJECTS = {
    "anonymous": set(),
    "staff_user": {"project", "joint_project"},
    "other_clinic_staff": {"joint_project", "other_clinic_project"},
    "leader": {"project", "joint_project", "other_clinic_project"},
    "clinic_leader": {"joint_project", "other_clinic_project"},
    "other_region_leader": {"foreign_project"},
    "partner_user": {"project"},
    "other_partner_user": set(),
    "admin_user": ALL,
}

CHALLENGES = {
    "anonymous": set(),
    "staff_user": {"region_wide", "region_wide_open", "own_clinic"},
    "other_clinic_staff": {"region_wide", "region_wide_open", "other_clinic"},
    "leader": {"region_wide", "region_wide_open", "own_clinic", "other_clinic"},
    # A leader of some clinics reads the region-wide challenges and their clinics' own.
    "clinic_leader": {"region_wide", "region_wide_open", "other_clinic"},
    "other_region_leader": {"foreign"},
    # Partners read challenges opened to partners, whether or not they are party to anything.
    "partner_user": {"region_wide_open"},
    "other_partner_user": {"region_wide_open"},
    "admin_user": ALL,
}

TABLES = [
    (Idea, "ideas", IDEAS),
    (Project, "projects", PROJECTS),
    (Challenge, "challenges", CHALLENGES),
]


@pytest.mark.parametrize("role", ROLES)
def test_visible_to(world, role):
    for model, attribute, expected in TABLES:
        objects = getattr(world, attribute)
        wanted = set(objects) if expected[role] is ALL else expected[role]

        visible = visible_keys(model.objects.visible_to(world.people[role]), objects)

        assert visible == wanted, model.__name__


def test_project_visible_through_two_clinics_is_listed_once(world):
    projects = Project.objects.visible_to(world.people["leader"])

    assert projects.count() == len(set(projects.values_list("pk", flat=True)))


def test_partner_without_an_organisation_sees_no_project(world, django_user_model):
    orphan = django_user_model.objects.create(username="orphan", role="partner")

    assert not Project.objects.visible_to(orphan).exists()


def test_staff_see_the_project_their_idea_became_wherever_it_is_led(
    staff_user, other_clinic, foreign_clinic
):
    from tests.clinics.factories import LeaderFactory, StaffFactory
    from tests.portfolio.factories import IdeaFactory, ProjectFactory

    idea = IdeaFactory(submitter=staff_user, status="accepted", submitted_at=timezone.now())
    project = ProjectFactory(
        idea=idea, lead_clinic=other_clinic, owner=LeaderFactory(region=other_clinic.region)
    )
    colleague = StaffFactory(clinic=staff_user.clinic)
    there = StaffFactory(clinic=other_clinic)
    abroad = StaffFactory(clinic=foreign_clinic)

    assert list(Project.objects.visible_to(staff_user)) == [project]
    # A colleague sees it only if their clinic leads or joins it; here it is the other clinic's.
    assert list(Project.objects.visible_to(colleague)) == []
    assert list(Project.objects.visible_to(there)) == [project]
    assert list(Project.objects.visible_to(abroad)) == []
