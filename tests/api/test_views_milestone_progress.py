"""POST /api/v1/milestones/{id}/progress/: the web form's service and rules, over the API."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from partners.models import Milestone, MilestoneUpdate
from tests.partners.factories import MilestoneFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def milestone(project, partner_organisation, agreement):
    return MilestoneFactory(project=project, responsible_party=partner_organisation)


def _post(client, milestone, **data):
    body = {"version": 1, "status": "in_progress", "progress": 30, "comment": ""} | data
    return client.post(reverse("api:milestone-progress", args=[milestone.pk]), body, format="json")


def test_update_goes_through_the_service(token_client, partner_user, milestone):
    response = _post(token_client(partner_user), milestone, comment="Prototype ready")

    assert response.status_code == 200
    assert response.json()["progress"] == 30
    assert response.json()["version"] == 2
    update = MilestoneUpdate.objects.get(milestone=milestone)
    assert update.author == partner_user
    assert update.comment == "Prototype ready"
    assert update.changes == {"status": ["planned", "in_progress"], "progress": [0, 30]}


def test_stale_version_is_409_with_the_current_state(token_client, partner_user, leader, milestone):
    _post(token_client(leader), milestone, progress=50)  # someone saves first

    response = _post(token_client(partner_user), milestone, progress=80)

    assert response.status_code == 409
    body = response.json()
    assert body["current"]["version"] == 2
    assert body["current"]["progress"] == 50
    assert "detail" in body
    milestone.refresh_from_db()
    assert milestone.progress == 50  # nothing overwritten
    assert MilestoneUpdate.objects.filter(milestone=milestone).count() == 1


def test_done_sets_progress_to_100_and_asks_the_leader(token_client, partner_user, milestone):
    response = _post(token_client(partner_user), milestone, status="done", progress=10)

    assert response.status_code == 200
    assert response.json()["progress"] == 100
    assert response.json()["confirmed_at"] is None
    assert milestone.project.owner.notifications.exists()


@pytest.mark.parametrize(
    "data,field",
    [
        ({"progress": 101}, "progress"),
        ({"progress": -1}, "progress"),
        ({"status": "finished"}, "status"),
        ({"version": "x"}, "version"),
        ({"version": None}, "version"),
    ],
)
def test_bad_input_is_400_with_the_field(token_client, partner_user, milestone, data, field):
    response = _post(token_client(partner_user), milestone, **data)

    assert response.status_code == 400
    assert field in response.json()


def test_nothing_changed_is_400(token_client, partner_user, milestone):
    response = _post(token_client(partner_user), milestone, status="planned", progress=0)

    assert response.status_code == 400
    assert response.json()["non_field_errors"]
    assert Milestone.objects.get(pk=milestone.pk).version == 1


def test_unknown_milestone_is_404(token_client, partner_user):
    response = token_client(partner_user).post(
        reverse("api:milestone-progress", args=[999999]),
        {"version": 1, "status": "done", "progress": 100},
        format="json",
    )

    assert response.status_code == 404


def test_session_post_needs_the_csrf_token(partner_user, milestone):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(partner_user)

    refused = _post(client, milestone)
    assert refused.status_code == 403
    read = client.get(reverse("api:milestone-detail", args=[milestone.pk]))
    assert read.status_code == 200  # reading with the browser's session needs no token


def test_revoked_token_no_longer_works(token_client, partner_user, milestone):
    from api.services import api_token_revoke

    client = token_client(partner_user)
    api_token_revoke(user=partner_user)

    assert client.get(reverse("api:milestone-list")).status_code == 401


def test_inactive_users_token_is_refused(token_client, partner_user, milestone):
    client = token_client(partner_user)
    partner_user.is_active = False
    partner_user.save()

    assert client.get(reverse("api:milestone-list")).status_code == 401
