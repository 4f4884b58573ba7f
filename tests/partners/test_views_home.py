from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from partners.models import Agreement, Milestone
from tests.partners.factories import MilestoneFactory, agreement_with_parties
from tests.portfolio.factories import ProjectFactory

pytestmark = pytest.mark.django_db


def _add_projects(count, organisation, clinic, leader):
    today = timezone.localdate()
    for index in range(count):
        project = ProjectFactory(lead_clinic=clinic, owner=leader)
        agreement_with_parties(organisation, project=project, status=Agreement.Status.SIGNED)
        for offset in (-3, 5, 60):
            MilestoneFactory(
                project=project,
                responsible_party=organisation,
                responsible_leader=leader,
                due_on=today + timedelta(days=offset + index),
            )


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_partner_home_query_count_does_not_grow_with_data(
    client, partner_user, partner_organisation, clinic, leader
):
    client.force_login(partner_user)
    url = reverse("partners:home")
    _add_projects(2, partner_organisation, clinic, leader)
    small = _queries(client, url)

    _add_projects(12, partner_organisation, clinic, leader)
    large = _queries(client, url)

    assert large == small
    assert small <= 18


@pytest.mark.parametrize(
    "query", ["?status=blocked", "?due=overdue&q=Project", "?due=soon&page=2&projects_page=2"]
)
def test_partner_home_filtered_query_count_does_not_grow_with_data(
    client, partner_user, partner_organisation, clinic, leader, query
):
    client.force_login(partner_user)
    url = reverse("partners:home") + query
    _add_projects(2, partner_organisation, clinic, leader)
    small = _queries(client, url)

    _add_projects(30, partner_organisation, clinic, leader)

    assert _queries(client, url) == small


def test_partner_home_size_is_bounded_however_many_projects(
    client, partner_user, partner_organisation, clinic, leader
):
    """One page of milestones and one of projects: the page weighs the same with 30 projects
    as with 90 (the demo partner at ten times the demo has 1,344)."""
    client.force_login(partner_user)
    url = reverse("partners:home")
    _add_projects(30, partner_organisation, clinic, leader)
    small = len(client.get(url).content)

    _add_projects(60, partner_organisation, clinic, leader)
    response = client.get(url)

    large = len(response.content)
    assert large < 300_000
    assert abs(large - small) < small * 0.05, (small, large)
    assert len(response.context["milestones"].object_list) == 25
    assert response.context["milestones"].paginator.count == 270
    assert len(response.context["projects"].object_list) == 25


def test_partner_home_lists_overdue_then_due_soon_and_only_own_projects(
    client, partner_user, partner_organisation, other_partner_organisation, clinic, leader
):
    today = timezone.localdate()
    project = ProjectFactory(lead_clinic=clinic, owner=leader, title="Shared project")
    agreement_with_parties(partner_organisation, project=project)
    later = MilestoneFactory(project=project, title="Later", due_on=today + timedelta(days=90))
    soon = MilestoneFactory(project=project, title="Soon", due_on=today + timedelta(days=3))
    late = MilestoneFactory(project=project, title="Late", due_on=today - timedelta(days=2))
    foreign = ProjectFactory(lead_clinic=clinic, owner=leader, title="Foreign project")
    agreement_with_parties(other_partner_organisation, project=foreign)
    MilestoneFactory(project=foreign, title="Not yours")
    client.force_login(partner_user)

    response = client.get(reverse("partners:home"))

    listed = list(response.context["milestones"].object_list)
    titles = [m.title for m in listed]
    assert titles.index("Late") < titles.index("Soon") < titles.index("Later")
    assert "Not yours" not in titles
    page = response.content.decode()
    assert "Shared project" in page and "Foreign project" not in page
    assert {late.pk, soon.pk, later.pk} <= {m.pk for m in listed}


def test_organisation_page_for_leaders_counts_on_time_rate_and_contributions(
    client, leader, partner_organisation, clinic, django_assert_max_num_queries
):
    today = timezone.localdate()
    project = ProjectFactory(lead_clinic=clinic, owner=leader)
    agreement_with_parties(partner_organisation, project=project, status=Agreement.Status.SIGNED)
    for due, done in ((-10, -12), (-10, -5), (-1, -1), (5, None)):
        milestone = MilestoneFactory(
            project=project, responsible_party=partner_organisation, due_on=today + timedelta(due)
        )
        if done is not None:
            Milestone.objects.filter(pk=milestone.pk).update(
                status="done", progress=100, completed_on=today + timedelta(done)
            )
    client.force_login(leader)
    url = reverse("partners:organisation_detail", kwargs={"pk": partner_organisation.pk})

    # The engagement table is one query, and its "contributions against the plan" column,
    # registered by partnership, one more (tests/partnership/test_contributions_engagement.py
    # shows both stay the same with more data).
    with django_assert_max_num_queries(13):
        response = client.get(url)

    overview = response.context["overview"]
    assert (overview.done, overview.on_time, overview.on_time_rate) == (3, 2, 67)
    assert project in overview.projects


def test_organisation_page_query_count_does_not_grow(client, leader, partner_organisation, clinic):
    client.force_login(leader)
    url = reverse("partners:organisation_detail", kwargs={"pk": partner_organisation.pk})
    _add_projects(2, partner_organisation, clinic, leader)
    small = _queries(client, url)
    _add_projects(10, partner_organisation, clinic, leader)

    assert _queries(client, url) == small


def test_organisation_contributions_count_only_the_version_in_force(
    client, leader, partner_organisation, project
):
    from partners.services.agreements import agreement_new_version

    signed = agreement_with_parties(partner_organisation, project=project, status="signed")
    signed.parties.update(contribution_hours=100)
    agreement_new_version(agreement=signed, actor=leader)  # a draft: v1 stays in force
    client.force_login(leader)

    response = client.get(
        reverse("partners:organisation_detail", kwargs={"pk": partner_organisation.pk})
    )

    assert response.context["overview"].hours == 100


def test_overdue_open_milestones_count_as_late_in_the_on_time_rate(
    client, leader, partner_organisation, clinic
):
    today = timezone.localdate()
    project = ProjectFactory(lead_clinic=clinic, owner=leader)
    agreement_with_parties(partner_organisation, project=project, status=Agreement.Status.SIGNED)
    done_on_time = MilestoneFactory(
        project=project, responsible_party=partner_organisation, due_on=today - timedelta(10)
    )
    Milestone.objects.filter(pk=done_on_time.pk).update(
        status="done", progress=100, completed_on=today - timedelta(12)
    )
    for due in (-3, -1):  # overdue and still open
        MilestoneFactory(
            project=project, responsible_party=partner_organisation, due_on=today + timedelta(due)
        )
    MilestoneFactory(  # not due yet: does not count
        project=project, responsible_party=partner_organisation, due_on=today + timedelta(3)
    )
    client.force_login(leader)

    response = client.get(
        reverse("partners:organisation_detail", kwargs={"pk": partner_organisation.pk})
    )

    overview = response.context["overview"]
    assert (overview.on_time, overview.due, overview.overdue, overview.on_time_rate) == (
        1,
        3,
        2,
        33,
    )
    assert "1 of 3 done on or before the due date (2 overdue and still open)" in (
        response.content.decode()
    )
