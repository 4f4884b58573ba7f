"""A project's team: asking to join, answering, adding, roles, leaving, and who hears what."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import Notification
from portfolio.models import Project, ProjectMember, gate_criteria_keys
from portfolio.selectors.team import project_team_users
from portfolio.services.projects import project_change_stage
from portfolio.services.team import project_join_request
from tests.clinics.factories import LeaderFactory, StaffFactory
from tests.portfolio.factories import ProjectFactory

pytestmark = pytest.mark.django_db


def _page(project):
    return reverse("portfolio:project_detail", args=[project.pk])


def _member_url(member):
    return reverse("portfolio:project_member", args=[member.project_id, member.pk])


def test_staff_ask_to_join_and_the_owner_hears_of_it(client, staff_user, leader, project):
    client.force_login(staff_user)
    page = client.get(_page(project)).content.decode()
    assert reverse("portfolio:project_join", args=[project.pk]) in page

    response = client.post(reverse("portfolio:project_join", args=[project.pk]))

    assert response.status_code == 302
    member = ProjectMember.objects.get()
    assert (member.user, member.is_pending) == (staff_user, True)
    assert Notification.objects.filter(recipient=leader).count() == 1
    page = client.get(_page(project)).content.decode()
    assert 'data-testid="team-request"' in page
    assert reverse("portfolio:project_join", args=[project.pk]) not in page


def test_asking_twice_leaves_one_request(client, staff_user, project):
    client.force_login(staff_user)
    client.post(reverse("portfolio:project_join", args=[project.pk]))

    response = client.post(reverse("portfolio:project_join", args=[project.pk]), follow=True)

    assert ProjectMember.objects.count() == 1
    assert response.status_code == 200
    assert "alert-danger" in response.content.decode() or "alert-error" in response.content.decode()


def test_a_finished_project_takes_no_requests(client, staff_user, clinic, leader):
    project = ProjectFactory(lead_clinic=clinic, owner=leader, stage=Project.Stage.COMPLETED)
    client.force_login(staff_user)

    assert client.post(reverse("portfolio:project_join", args=[project.pk])).status_code == 403
    assert not ProjectMember.objects.exists()


def test_the_steering_leader_accepts_and_the_requester_hears_of_it(
    client, staff_user, leader, project
):
    member = project_join_request(project=project, actor=staff_user)
    client.force_login(leader)
    page = client.get(_page(project)).content.decode()
    assert 'value="accept"' in page

    response = client.post(_member_url(member), {"action": "accept"})

    assert response.status_code == 302
    member.refresh_from_db()
    assert not member.is_pending
    assert list(project_team_users(project)) == [staff_user]
    assert Notification.objects.filter(recipient=staff_user).count() == 1
    # Answering again changes nothing.
    client.post(_member_url(member), {"action": "decline"})
    assert ProjectMember.objects.filter(pk=member.pk).exists()


def test_declining_removes_the_request_and_tells_the_requester(client, staff_user, leader, project):
    member = project_join_request(project=project, actor=staff_user)
    client.force_login(leader)

    client.post(_member_url(member), {"action": "decline"})

    assert not ProjectMember.objects.exists()
    assert Notification.objects.filter(recipient=staff_user).count() == 1
    assert project_team_users(project).count() == 0


def test_a_leader_adds_roles_and_removes(client, leader, project, clinic):
    colleague = StaffFactory(clinic=clinic)
    client.force_login(leader)
    add = reverse("portfolio:project_team_add", args=[project.pk])
    assert client.get(add).status_code == 200

    assert client.post(add, {"user": colleague.pk, "role": "lead"}).status_code == 302
    member = ProjectMember.objects.get(user=colleague)
    assert (member.role, member.is_pending) == ("lead", False)

    client.post(_member_url(member), {"action": "role", "role": "follower"})
    member.refresh_from_db()
    assert member.role == "follower"
    bad = client.post(_member_url(member), {"action": "role", "role": "boss"})
    assert bad.status_code == 302
    member.refresh_from_db()
    assert member.role == "follower"

    client.post(_member_url(member), {"action": "remove"})
    assert not ProjectMember.objects.exists()


@pytest.mark.parametrize("who", ["foreign_staff", "other_partner", "twice", "forged"])
def test_who_may_not_be_added_is_refused_next_to_the_field(
    client, leader, project, foreign_clinic, other_partner_user, staff_user, who
):
    if who == "twice":
        ProjectMember.objects.create(
            project=project, user=staff_user, accepted_at="2026-01-01T00:00Z"
        )
    user_id = {
        "foreign_staff": lambda: StaffFactory(clinic=foreign_clinic).pk,
        "other_partner": lambda: other_partner_user.pk,
        "twice": lambda: staff_user.pk,
        "forged": lambda: "x",
    }[who]()
    client.force_login(leader)

    response = client.post(
        reverse("portfolio:project_team_add", args=[project.pk]),
        {"user": user_id, "role": "member"},
    )

    assert response.status_code == 400
    assert [e.code for e in response.context["form"].errors.as_data()["user"]] == ["invalid_choice"]
    assert ProjectMember.objects.count() == (1 if who == "twice" else 0)


def test_a_partner_of_a_party_may_be_added(client, leader, project, partner_user):
    client.force_login(leader)

    response = client.post(
        reverse("portfolio:project_team_add", args=[project.pk]),
        {"user": partner_user.pk, "role": "follower"},
    )

    assert response.status_code == 302
    assert ProjectMember.objects.get().user == partner_user


def test_a_member_leaves_but_cannot_remove_others(client, clinic, project):
    one, other = StaffFactory(clinic=clinic), StaffFactory(clinic=clinic)
    mine = ProjectMember.objects.create(project=project, user=one, accepted_at="2026-01-01T00:00Z")
    theirs = ProjectMember.objects.create(
        project=project, user=other, accepted_at="2026-01-01T00:00Z"
    )
    client.force_login(one)

    assert client.post(_member_url(theirs), {"action": "remove"}).status_code == 403
    assert client.post(_member_url(mine), {"action": "remove"}).status_code == 302
    assert list(ProjectMember.objects.values_list("user", flat=True)) == [other.pk]


def test_members_hear_of_gate_decisions(leader, project, clinic):
    member, pending = StaffFactory(clinic=clinic), StaffFactory(clinic=clinic)
    ProjectMember.objects.create(project=project, user=member, accepted_at="2026-01-01T00:00Z")
    ProjectMember.objects.create(project=project, user=pending)
    ProjectMember.objects.create(project=project, user=leader, accepted_at="2026-01-01T00:00Z")

    project_change_stage(
        project=project,
        to_stage="development",
        actor=leader,
        note="Go",
        expected_version=project.version,
        criteria_met=gate_criteria_keys("development"),
    )

    assert Notification.objects.filter(recipient=member).count() == 1
    assert not Notification.objects.filter(recipient=pending).exists()
    assert not Notification.objects.filter(recipient=leader).exists()  # who decided


def test_partners_see_only_themselves_on_the_team(client, project, partner_user, clinic):
    staff = StaffFactory(clinic=clinic, first_name="Inga", last_name="Intern")
    ProjectMember.objects.create(project=project, user=staff, accepted_at="2026-01-01T00:00Z")
    ProjectMember.objects.create(
        project=project, user=partner_user, accepted_at="2026-01-01T00:00Z"
    )
    client.force_login(partner_user)

    page = client.get(_page(project)).content.decode()

    assert "Inga Intern" not in page
    assert page.count('data-testid="team-member"') == 1


def test_project_page_queries_do_not_grow_with_the_team(client, leader, project, clinic):
    client.force_login(leader)

    def grow(n):
        for _ in range(n):
            ProjectMember.objects.create(
                project=project, user=StaffFactory(clinic=clinic), accepted_at="2026-01-01T00:00Z"
            )
            ProjectMember.objects.create(project=project, user=StaffFactory(clinic=clinic))

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(_page(project)).status_code == 200
        return len(queries)

    grow(2)
    few = count()
    grow(8)
    assert count() == few


def test_the_similar_ideas_panel_links_to_joining_a_running_project(
    client, staff_user, clinic, leader
):
    ProjectFactory(lead_clinic=clinic, owner=leader, title="Reminder texts project")
    ProjectFactory(
        lead_clinic=clinic, owner=leader, title="Reminder texts done", stage=Project.Stage.COMPLETED
    )
    client.force_login(staff_user)

    html = client.get(
        reverse("portfolio:similar_ideas"), {"title": "Reminder texts", "problem": ""}
    ).content.decode()

    assert html.count('data-testid="join-similar-project"') == 1


def test_a_leader_of_another_clinic_is_no_candidate(client, leader, project, region, other_clinic):
    stranger = LeaderFactory(region=region, clinics=[other_clinic])
    client.force_login(leader)

    response = client.post(
        reverse("portfolio:project_team_add", args=[project.pk]),
        {"user": stranger.pk, "role": "member"},
    )

    assert response.status_code == 400
    assert not ProjectMember.objects.exists()
