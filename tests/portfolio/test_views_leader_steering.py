"""Who steers a project, and who edits a challenge, through the pages (and the API).

A joint project is led by ``other_clinic``; ``clinic`` takes part. ``clinic_leader`` leads only
``clinic``: they read the joint project but do not steer it, and they read the region-wide
challenges without editing them.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from api.services import api_token_create
from partners.models import Milestone
from portfolio.models import Challenge
from tests.clinics.factories import LeaderFactory
from tests.partners.factories import MilestoneFactory
from tests.portfolio.factories import ChallengeFactory, ProjectFactory, ValueIndicatorFactory

pytestmark = pytest.mark.django_db

FORGED_POSTS = {
    "stage": {"to_stage": "development", "note": "Mine now", "version": "2"},
    "status": {"health": "off_track", "text": "Mine now"},
    "measure": {"value": "1", "note": "Mine now"},
}


@pytest.fixture
def clinic_leader(region, clinic):
    leader = LeaderFactory(username="clinic_leader", region=region, clinics=[clinic])
    leader.preferred_language = "en"
    leader.save()
    return leader


@pytest.fixture
def joint_project(leader, clinic, other_clinic):
    project = ProjectFactory(lead_clinic=other_clinic, owner=leader, title="Joint triage")
    project.other_clinics.add(clinic)
    project.started_on = timezone.localdate() - datetime.timedelta(days=100)
    project.save()
    return project


def _forms_on(response) -> set[str]:
    content = response.content.decode()
    return {action for action in FORGED_POSTS if f'name="action" value="{action}"' in content}


def test_a_leader_of_a_taking_part_clinic_reads_the_joint_project_without_forms(
    client, joint_project, clinic_leader
):
    ValueIndicatorFactory(project=joint_project)
    client.force_login(clinic_leader)

    response = client.get(reverse("portfolio:project_detail", args=[joint_project.pk]))

    assert response.status_code == 200
    assert "Joint triage" in response.content.decode()
    assert _forms_on(response) == set()
    assert response.context["can_steer"] is False
    assert 'data-testid="read-only"' in response.content.decode()


def test_the_leader_of_the_lead_clinic_gets_the_forms(client, joint_project, leader):
    ValueIndicatorFactory(project=joint_project)
    client.force_login(leader)

    response = client.get(reverse("portfolio:project_detail", args=[joint_project.pk]))

    assert _forms_on(response) == set(FORGED_POSTS)
    assert 'data-testid="read-only"' not in response.content.decode()


@pytest.mark.parametrize("action", sorted(FORGED_POSTS))
def test_a_forged_post_on_a_joint_project_is_forbidden(
    client, joint_project, clinic_leader, action
):
    indicator = ValueIndicatorFactory(project=joint_project)
    data = {"action": action, **FORGED_POSTS[action]}
    if action == "measure":
        data |= {"indicator": indicator.pk, "measured_on": timezone.localdate().isoformat()}
    client.force_login(clinic_leader)

    response = client.post(reverse("portfolio:project_detail", args=[joint_project.pk]), data)

    assert response.status_code == 403
    joint_project.refresh_from_db()
    assert (joint_project.stage, joint_project.health) == ("concept", "on_track")
    assert not joint_project.status_updates.exists()
    assert not indicator.measurements.exists()


def test_a_clinic_leader_steers_the_projects_their_clinic_leads(client, clinic, clinic_leader):
    project = ProjectFactory(lead_clinic=clinic, title="Ours")
    client.force_login(clinic_leader)

    response = client.post(
        reverse("portfolio:project_detail", args=[project.pk]),
        {"action": "status", "health": "at_risk", "text": "Delayed"},
    )

    assert response.status_code == 302
    project.refresh_from_db()
    assert project.health == "at_risk"


def test_the_api_does_not_let_a_joint_projects_reader_update_its_milestones(
    joint_project, clinic_leader, leader, partner_organisation
):
    milestone = MilestoneFactory(project=joint_project, responsible_party=partner_organisation)
    url = reverse("api:milestone-progress", args=[milestone.pk])
    body = {"version": 1, "status": "in_progress", "progress": 30, "comment": ""}

    def client_for(user):
        api = APIClient()
        api.credentials(HTTP_AUTHORIZATION=f"Token {api_token_create(user=user).key}")
        return api

    reader = client_for(clinic_leader)
    assert reader.get(reverse("api:milestone-detail", args=[milestone.pk])).status_code == 200
    assert reader.post(url, body, format="json").status_code == 403
    assert Milestone.objects.get(pk=milestone.pk).progress == 0

    assert client_for(leader).post(url, body, format="json").status_code == 200
    assert Milestone.objects.get(pk=milestone.pk).progress == 30


# --- Challenges ---------------------------------------------------------------------------------


def _in_a_month() -> str:
    return (timezone.localdate() + datetime.timedelta(days=30)).isoformat()


def test_a_clinic_leader_cannot_open_or_take_over_a_region_wide_challenge(
    client, region, clinic, leader, clinic_leader
):
    challenge = ChallengeFactory(clinic=None, region=region, posted_by=leader, title="Region's")
    url = reverse("portfolio:leader_challenge_edit", args=[challenge.pk])
    client.force_login(clinic_leader)

    assert client.get(url).status_code == 404
    response = client.post(
        url,
        {
            "title": "Taken over",
            "description": "D",
            "region": region.pk,
            "clinic": clinic.pk,
            "closes_on": _in_a_month(),
        },
    )

    assert response.status_code == 404
    challenge.refresh_from_db()
    assert (challenge.title, challenge.clinic) == ("Region's", None)


def test_the_challenge_list_offers_edit_only_where_one_may_edit(
    client, region, clinic, other_clinic, leader, clinic_leader
):
    region_wide = ChallengeFactory(clinic=None, region=region, posted_by=leader)
    own = ChallengeFactory(clinic=clinic, posted_by=leader)
    ChallengeFactory(clinic=other_clinic, posted_by=leader, title="Not listed")
    client.force_login(clinic_leader)

    content = client.get(reverse("portfolio:leader_challenges")).content.decode()

    assert region_wide.title in content  # read, as the region's staff do
    assert reverse("portfolio:leader_challenge_edit", args=[region_wide.pk]) not in content
    assert reverse("portfolio:leader_challenge_edit", args=[own.pk]) in content
    assert "Not listed" not in content


def test_a_clinic_leader_cannot_move_their_challenge_to_the_whole_region(
    client, region, clinic, clinic_leader
):
    challenge = ChallengeFactory(clinic=clinic, posted_by=clinic_leader, title="Ours")
    url = reverse("portfolio:leader_challenge_edit", args=[challenge.pk])
    client.force_login(clinic_leader)
    form = client.get(url).context["form"]

    response = client.post(
        url,
        {
            **{k: v for k, v in form.initial.items() if v is not None},
            "clinic": "",
            "title": "Everyone's now",
        },
    )

    assert response.status_code == 400
    assert "you do not lead the whole region" in " ".join(response.context["form"].errors["clinic"])
    challenge.refresh_from_db()
    assert (challenge.title, challenge.clinic) == ("Ours", clinic)


def test_the_region_leader_edits_a_region_wide_challenge(client, region, clinic, leader):
    challenge = ChallengeFactory(clinic=None, region=region, posted_by=leader)
    url = reverse("portfolio:leader_challenge_edit", args=[challenge.pk])
    client.force_login(leader)
    form = client.get(url).context["form"]

    response = client.post(
        url, {**{k: v for k, v in form.initial.items() if v is not None}, "title": "Renamed"}
    )

    assert response.status_code == 302
    assert Challenge.objects.get(pk=challenge.pk).title == "Renamed"
