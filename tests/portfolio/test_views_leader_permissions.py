"""Permission matrix of every leader URL: role × URL → expected status.

The world (tests/conftest.py): region A with clinics A1 (``clinic``, the project's lead clinic)
and A2; region B. ``leader`` leads all of region A; ``other_region_leader`` leads region B.
"""

import pytest
from django.urls import reverse

from tests.clinics.factories import LeaderFactory
from tests.portfolio.factories import ChallengeFactory, IdeaFactory

pytestmark = pytest.mark.django_db

ROLES = (
    "anonymous",
    "staff_user",
    "other_clinic_staff",
    "leader",
    "other_region_leader",
    "partner_user",
    "other_partner_user",
)


@pytest.fixture
def world(staff_user, project, agreement, clinic, leader):
    idea = IdeaFactory(submitter=staff_user, submitted=True)
    challenge = ChallengeFactory(clinic=clinic, posted_by=leader)
    return {"project": project, "idea": idea, "challenge": challenge}


def _client_for(request, client, role):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    return client


# Pages only leaders use: others are refused (403); a leader of another region gets 404 for
# objects of this region and empty pages otherwise.
LEADER_PAGES = {
    "dashboard": (lambda w: reverse("portfolio:dashboard"), 200),
    "export_csv": (lambda w: reverse("portfolio:export_csv"), 200),
    "export_xlsx": (lambda w: reverse("portfolio:export_xlsx"), 200),
    "review_queue": (lambda w: reverse("portfolio:review_queue"), 200),
    "review_idea": (lambda w: reverse("portfolio:review_idea", args=[w["idea"].pk]), 404),
    "challenges": (lambda w: reverse("portfolio:leader_challenges"), 200),
    "challenge_create": (lambda w: reverse("portfolio:leader_challenge_create"), 200),
    "challenge_edit": (
        lambda w: reverse("portfolio:leader_challenge_edit", args=[w["challenge"].pk]),
        404,
    ),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", sorted(LEADER_PAGES))
def test_leader_pages_matrix(request, client, world, role, page):
    url_for, other_region_status = LEADER_PAGES[page]
    url = url_for(world)
    expected = {
        "anonymous": 302,
        "leader": 200,
        "other_region_leader": other_region_status,
    }.get(role, 403)

    response = _client_for(request, client, role).get(url)

    assert response.status_code == expected, (role, page)
    if role == "anonymous":
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", 302),
        ("staff_user", 200),  # staff of the lead clinic read it (without agreements)
        ("other_clinic_staff", 404),
        ("leader", 200),
        ("other_region_leader", 404),
        ("partner_user", 200),  # a party to the project reads the summary and milestones
        ("other_partner_user", 404),
    ],
)
def test_project_page_matrix(request, client, world, role, expected):
    url = reverse("portfolio:project_detail", args=[world["project"].pk])

    response = _client_for(request, client, role).get(url)

    assert response.status_code == expected


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", 302),
        ("staff_user", 403),
        ("other_clinic_staff", 404),
        ("leader", 302),
        ("other_region_leader", 404),
        ("partner_user", 403),
        ("other_partner_user", 404),
    ],
)
def test_only_leaders_move_a_project(request, client, world, role, expected):
    project = world["project"]
    url = reverse("portfolio:project_detail", args=[project.pk])

    response = _client_for(request, client, role).post(
        url,
        {"action": "stage", "to_stage": "development", "note": "Go", "expected_stage": "concept"},
    )

    assert response.status_code == expected
    project.refresh_from_db()
    assert project.stage == ("development" if role == "leader" else "concept")


@pytest.mark.parametrize("role", ["staff_user", "partner_user", "other_region_leader"])
def test_others_cannot_decide_an_idea(request, client, world, role):
    idea = world["idea"]
    url = reverse("portfolio:review_idea", args=[idea.pk])

    response = _client_for(request, client, role).post(url, {"action": "accept"})

    assert response.status_code in (403, 404)
    idea.refresh_from_db()
    assert idea.status == "submitted"


def test_partner_does_not_see_status_updates_or_value(client, world, partner_user):
    from tests.portfolio.factories import StatusUpdateFactory

    StatusUpdateFactory(project=world["project"], text="Internal worry about budget")
    client.force_login(partner_user)

    response = client.get(reverse("portfolio:project_detail", args=[world["project"].pk]))

    assert b"Internal worry about budget" not in response.content
    assert world["project"].title.encode() in response.content


def test_staff_do_not_see_agreements(client, world, staff_user, agreement):
    client.force_login(staff_user)

    response = client.get(reverse("portfolio:project_detail", args=[world["project"].pk]))

    assert agreement.title.encode() not in response.content


def test_clinic_limited_leader_sees_only_their_clinics(client, world, clinic, other_clinic):
    limited = LeaderFactory(username="limited", region=clinic.region, clinics=[other_clinic])
    client.force_login(limited)

    assert (
        client.get(reverse("portfolio:project_detail", args=[world["project"].pk])).status_code
        == 404
    )
    assert client.get(reverse("portfolio:review_idea", args=[world["idea"].pk])).status_code == 404
    csv = client.get(reverse("portfolio:export_csv")).content.decode()
    assert world["project"].title not in csv


def test_home_sends_leaders_to_the_dashboard(client, leader):
    client.force_login(leader)

    response = client.get(reverse("home"))

    assert response.status_code == 302
    assert response["Location"] == reverse("portfolio:dashboard")
