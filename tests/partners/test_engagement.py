"""Partner engagement (partners/engagement.py): figures hand-computed with fixed dates, the
needing-action thresholds at their edges, scope, the first-login record, the organisation page,
the dashboard block, and query counts at two data sizes."""

from datetime import date, datetime, time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from partners.engagement import (
    engagement_for_organisation,
    engagement_summary,
    needing_action,
    register_engagement_figure,
)
from partners.models import Milestone, MilestoneUpdate, PartnerMembership
from portfolio.models import Project
from tests.partners.factories import (
    MilestoneFactory,
    PartnerOrganisationFactory,
    PartnerUserFactory,
    agreement_with_parties,
)
from tests.portfolio.factories import ProjectFactory

pytestmark = pytest.mark.django_db

TODAY = date(2026, 6, 15)


def at(day: date, hour: int = 12) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def days_ago(n: int, hour: int = 12) -> datetime:
    return at(TODAY - timedelta(days=n), hour)


def _party_since(agreement, moment):
    agreement.parties.update(created_at=moment)


@pytest.fixture
def silent_world(project, agreement, partner_organisation):
    """The organisation became party long ago and a member was invited on 1 March."""
    _party_since(agreement, days_ago(200))
    member = PartnerUserFactory(username="member", organisation=partner_organisation)
    PartnerMembership.objects.filter(user=member).update(invited_at=at(date(2026, 3, 1), 9))
    return member


def test_figures_hand_computed(leader, project, partner_organisation, silent_world):
    member = silent_world
    # First activity: a login on 4 March (3 days after the invitation); a milestone update on
    # 10 June is the latest activity (5 days before TODAY).
    PartnerMembership.objects.filter(user=member).update(first_login_at=at(date(2026, 3, 4)))
    type(member).objects.filter(pk=member.pk).update(last_login=at(date(2026, 5, 1)))
    milestone = MilestoneFactory(
        project=project, responsible_party=partner_organisation, due_on=date(2026, 5, 1)
    )
    MilestoneUpdate.objects.create(
        milestone=milestone, author=member, created_at=at(date(2026, 6, 10))
    )
    # On time: done on its due date; late: done a day after; late: open and overdue.
    MilestoneFactory(
        project=project,
        responsible_party=partner_organisation,
        due_on=date(2026, 4, 1),
        status=Milestone.Status.DONE,
        progress=100,
        completed_on=date(2026, 4, 1),
    )
    MilestoneFactory(
        project=project,
        responsible_party=partner_organisation,
        due_on=date(2026, 4, 1),
        status=Milestone.Status.DONE,
        progress=100,
        completed_on=date(2026, 4, 2),
    )
    [row] = engagement_for_organisation(leader, partner_organisation, today=TODAY)
    assert row.project_id == project.pk
    assert row.days_to_first_activity == 3
    assert row.days_since_last_activity == 5
    assert (row.on_time, row.late) == (1, 2)  # the open one due 1 May is overdue on TODAY


def test_first_activity_can_be_a_milestone_update(
    leader, project, partner_organisation, silent_world
):
    milestone = MilestoneFactory(project=project, responsible_party=partner_organisation)
    MilestoneUpdate.objects.create(
        milestone=milestone, author=silent_world, created_at=at(date(2026, 3, 11))
    )
    [row] = engagement_for_organisation(leader, partner_organisation, today=TODAY)
    assert row.days_to_first_activity == 10


def test_login_records_the_first_login_once(client, partner_organisation, agreement):
    member = PartnerUserFactory(username="new_member", organisation=partner_organisation)
    client.force_login(member)
    first = PartnerMembership.objects.get(user=member).first_login_at
    assert first is not None
    client.force_login(member)
    assert PartnerMembership.objects.get(user=member).first_login_at == first


@pytest.mark.parametrize(("days", "listed"), [(59, False), (60, True), (61, True)])
def test_inactive_partner_threshold(leader, project, silent_world, days, listed):
    type(silent_world).objects.filter(pk=silent_world.pk).update(last_login=days_ago(days, 23))
    result = needing_action(leader, today=TODAY)
    assert bool(result.inactive) is listed
    if listed:
        assert result.inactive[0].days_since_last_activity == days


def test_inactive_only_on_running_projects(leader, project, silent_world):
    Project.objects.filter(pk=project.pk).update(stage=Project.Stage.COMPLETED)
    assert not needing_action(leader, today=TODAY).inactive


def test_a_new_party_is_not_inactive(leader, project, agreement, partner_organisation):
    _party_since(agreement, days_ago(10))
    assert not needing_action(leader, today=TODAY).inactive
    _party_since(agreement, days_ago(60))
    assert needing_action(leader, today=TODAY).inactive


@pytest.mark.parametrize(("days", "listed"), [(6, False), (7, True), (8, True)])
def test_unused_invitation_threshold(leader, agreement, partner_organisation, days, listed):
    invitee = PartnerUserFactory(username="invitee", organisation=partner_organisation)
    invitee.set_unusable_password()
    invitee.save()
    PartnerMembership.objects.filter(user=invitee).update(invited_at=days_ago(days, 23))
    result = needing_action(leader, today=TODAY)
    assert bool(result.invitations) is listed
    if listed:
        assert result.invitations[0]["days"] == days


def test_used_invitation_is_not_listed(leader, agreement, silent_world):
    # The member has a password: the invitation was used.
    assert silent_world.has_usable_password()
    assert not needing_action(leader, today=TODAY).invitations


@pytest.mark.parametrize(("days", "listed"), [(14, False), (15, True)])
def test_blocked_milestone_threshold(leader, project, partner_organisation, days, listed):
    milestone = MilestoneFactory(
        project=project, responsible_party=partner_organisation, status=Milestone.Status.BLOCKED
    )
    MilestoneUpdate.objects.create(
        milestone=milestone,
        author=leader,
        changes={"status": ["in_progress", "blocked"]},
        created_at=days_ago(days, 1),
    )
    result = needing_action(leader, today=TODAY)
    assert bool(result.blocked) is listed
    if listed:
        assert result.blocked[0]["days"] == days


def test_needing_action_is_scoped(other_region_leader, staff_user, partner_user, silent_world):
    type(silent_world).objects.filter(pk=silent_world.pk).update(last_login=days_ago(90))
    for person in (other_region_leader, staff_user, partner_user):
        assert not needing_action(person, today=TODAY)


def test_registered_figure_is_a_column(leader, partner_organisation, project, silent_world):
    register_engagement_figure(
        name="test_contributions",
        label="Contributions",
        compute=lambda user, pairs: dict.fromkeys(pairs, "3 of 4"),
    )
    try:
        [row] = engagement_for_organisation(leader, partner_organisation, today=TODAY)
        assert row.extra["test_contributions"] == "3 of 4"
    finally:
        from partners import engagement

        engagement._figures.pop("test_contributions")


def test_summary(leader, silent_world):
    type(silent_world).objects.filter(pk=silent_world.pk).update(last_login=days_ago(90))
    summary = engagement_summary(leader, today=TODAY)
    assert summary["pairs"] == 1
    assert summary["inactive_partners"] == 1
    assert summary["active_recently"] == 0


def test_organisation_page_and_dashboard_show_engagement(
    client, leader, partner_organisation, silent_world
):
    type(silent_world).objects.filter(pk=silent_world.pk).update(
        last_login=timezone.now() - timedelta(days=90)
    )
    client.force_login(leader)
    page = client.get(reverse("partners:organisation_detail", args=[partner_organisation.pk]))
    assert page.status_code == 200
    assert 'data-testid="engagement-row"' in page.content.decode()
    dashboard = client.get(reverse("portfolio:dashboard"))
    assert dashboard.status_code == 200
    body = dashboard.content.decode()
    assert 'data-testid="needing-inactive"' in body
    assert partner_organisation.name in body


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def _grow(leader, clinic, count):
    for _index in range(count):
        project = ProjectFactory(lead_clinic=clinic, owner=leader)
        organisation = PartnerOrganisationFactory()
        agreement = agreement_with_parties(organisation, project=project)
        agreement.parties.update(created_at=timezone.now() - timedelta(days=120))
        invitee = PartnerUserFactory(organisation=organisation)
        invitee.set_unusable_password()
        invitee.save()
        PartnerMembership.objects.filter(user=invitee).update(
            invited_at=timezone.now() - timedelta(days=30)
        )
        milestone = MilestoneFactory(
            project=project, responsible_party=organisation, status=Milestone.Status.BLOCKED
        )
        MilestoneUpdate.objects.filter(milestone=milestone).delete()
        Milestone.objects.filter(pk=milestone.pk).update(
            updated_at=timezone.now() - timedelta(days=30)
        )


def test_query_counts_do_not_grow(client, leader, clinic, partner_organisation, silent_world):
    """The organisation page and the needing-action list (the dashboard's block, whose other
    figures are counted by the dashboard's own tests) at two data sizes."""
    client.force_login(leader)
    url = reverse("partners:organisation_detail", args=[partner_organisation.pk])

    def needing_queries():
        with CaptureQueriesContext(connection) as queries:
            needing_action(leader)
        return len(queries)

    _grow(leader, clinic, 2)
    small, small_needing = _queries(client, url), needing_queries()
    _grow(leader, clinic, 8)
    large, large_needing = _queries(client, url), needing_queries()
    assert (small, small_needing) == (large, large_needing)
    assert small_needing <= 6
    result = needing_action(leader)
    assert result.inactive_count >= 10 and result.invitations_count >= 10
    assert result.blocked_count >= 10
