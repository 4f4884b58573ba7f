"""``visible_to`` of agreements and milestones: every role × own / other clinic / region / party."""

import pytest

from partners.models import Agreement, Milestone
from tests.access_world import ROLES, visible_keys, world_fixture  # noqa: F401

pytestmark = pytest.mark.django_db

ALL = object()

AGREEMENTS = {
    "anonymous": set(),
    "staff_user": set(),  # staff never see agreements
    "other_clinic_staff": set(),
    "leader": {"proposed", "draft", "other_clinic_active"},
    "clinic_leader": {"other_clinic_active"},
    "other_region_leader": {"foreign_proposed"},
    # A party sees its agreements once proposed: a draft is the region's working copy.
    "partner_user": {"proposed"},
    "other_partner_user": set(),
    "admin_user": ALL,
}

MILESTONES = {
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

TABLES = [(Agreement, "agreements", AGREEMENTS), (Milestone, "milestones", MILESTONES)]


@pytest.mark.parametrize("role", ROLES)
def test_visible_to(world, role):
    for model, attribute, expected in TABLES:
        objects = getattr(world, attribute)
        wanted = set(objects) if expected[role] is ALL else expected[role]

        visible = visible_keys(model.objects.visible_to(world.people[role]), objects)

        assert visible == wanted, model.__name__


def test_party_to_a_draft_agreement_only_sees_nothing_of_the_project(
    partner_organisation, leader, clinic
):
    from portfolio.models import Project
    from tests.partners.factories import (
        MilestoneFactory,
        PartnerUserFactory,
        agreement_with_parties,
    )
    from tests.portfolio.factories import ProjectFactory

    project = ProjectFactory(lead_clinic=clinic, owner=leader)
    agreement = agreement_with_parties(
        partner_organisation, project=project, status=Agreement.Status.DRAFT
    )
    MilestoneFactory(project=project, responsible_party=partner_organisation)
    partner = PartnerUserFactory(organisation=partner_organisation)

    assert not Project.objects.visible_to(partner).filter(pk=project.pk).exists()
    assert not Milestone.objects.visible_to(partner).filter(project=project).exists()

    agreement.status = Agreement.Status.PROPOSED
    agreement.save()

    assert Project.objects.visible_to(partner).filter(pk=project.pk).exists()
    assert Milestone.objects.visible_to(partner).filter(project=project).count() == 1
