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


@pytest.fixture
def versions(partner_organisation, other_partner_organisation, leader, clinic):
    """v1 (active) between the region, ``partner_organisation`` and ``other_partner_organisation``;
    v2 drops ``other_partner_organisation`` and is still a draft."""
    from partners.services.agreements import agreement_new_version
    from tests.partners.factories import (
        MilestoneFactory,
        PartnerUserFactory,
        agreement_with_parties,
    )
    from tests.portfolio.factories import ProjectFactory

    project = ProjectFactory(lead_clinic=clinic, owner=leader)
    v1 = agreement_with_parties(
        partner_organisation,
        other_partner_organisation,
        project=project,
        status=Agreement.Status.ACTIVE,
    )
    v2 = agreement_new_version(agreement=v1, actor=leader)
    v2.parties.filter(organisation=other_partner_organisation).delete()
    region = v2.parties.get(organisation__isnull=True)
    region.risk_share = region.value_share = 50
    region.save()
    v2.parties.filter(organisation=partner_organisation).update(risk_share=50, value_share=50)
    return {
        "project": project,
        "v1": v1,
        "v2": v2,
        "milestone": MilestoneFactory(project=project, responsible_party=partner_organisation),
        "stays": PartnerUserFactory(organisation=partner_organisation),
        "dropped": PartnerUserFactory(organisation=other_partner_organisation),
    }


def _sees(user, world):
    from portfolio.models import Project

    return {
        "project": Project.objects.visible_to(user).filter(pk=world["project"].pk).exists(),
        "milestone": Milestone.objects.visible_to(user).filter(pk=world["milestone"].pk).exists(),
        "agreements": set(
            Agreement.objects.visible_to(user)
            .filter(project=world["project"])
            .values_list("version", flat=True)
        ),
    }


def _set_status(agreement, status):
    from django.utils import timezone

    signed_at = None if status in ("draft", "proposed") else timezone.now()
    Agreement.objects.filter(pk=agreement.pk).update(status=status, signed_at=signed_at)


def test_while_the_new_version_is_a_draft_the_old_parties_still_see_the_project(versions):
    assert _sees(versions["dropped"], versions) == {
        "project": True,
        "milestone": True,
        "agreements": {1},
    }
    assert _sees(versions["stays"], versions) == {
        "project": True,
        "milestone": True,
        "agreements": {1},
    }


@pytest.mark.parametrize("status", ["proposed", "signed", "active"])
def test_a_party_dropped_from_the_new_version_loses_the_project_once_it_leaves_draft(
    versions, status
):
    _set_status(versions["v2"], status)

    assert _sees(versions["dropped"], versions) == {
        "project": False,
        "milestone": False,
        "agreements": set(),
    }
    # The party that stays reads the new version and, still, the earlier one it was party to.
    assert _sees(versions["stays"], versions) == {
        "project": True,
        "milestone": True,
        "agreements": {1, 2},
    }


def test_withdrawing_the_new_version_to_draft_gives_the_old_parties_the_project_back(versions):
    _set_status(versions["v2"], "proposed")
    _set_status(versions["v2"], "draft")

    assert _sees(versions["dropped"], versions)["project"] is True


def test_a_party_added_in_the_new_version_does_not_read_the_earlier_one(
    versions, partner_organisation
):
    from tests.partners.factories import PartnerOrganisationFactory, PartnerUserFactory

    newcomer = PartnerOrganisationFactory()
    v2 = versions["v2"]
    v2.parties.create(organisation=newcomer, risk_share=0, value_share=0)
    _set_status(v2, "proposed")

    assert _sees(PartnerUserFactory(organisation=newcomer), versions) == {
        "project": True,
        "milestone": True,
        "agreements": {2},
    }


def test_a_dropped_party_cannot_be_made_responsible_for_a_milestone(
    versions, other_partner_organisation, partner_organisation, leader
):
    from django.core.exceptions import ValidationError

    from partners.services.milestones import milestone_create

    def create(organisation):
        return milestone_create(
            project=versions["project"],
            actor=leader,
            title="Report",
            due_on="2027-01-01",
            responsible_party=organisation,
        )

    assert create(other_partner_organisation).pk  # v2 is a draft: still a party
    _set_status(versions["v2"], "proposed")

    with pytest.raises(ValidationError) as error:
        create(other_partner_organisation)
    assert "responsible_party" in error.value.message_dict
    assert create(partner_organisation).pk
