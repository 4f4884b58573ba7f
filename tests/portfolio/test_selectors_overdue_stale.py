"""Issue 15: one definition of "overdue" (a stopped or completed project's milestones never are)
and of a "stale" project (running, no status update for 30 days), on the dashboard and in the
digest alike."""

import datetime
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import timezone

from insights.selectors.dashboard import (
    PortfolioFilters,
    portfolio_dashboard,
    portfolio_project_list,
)
from insights.selectors.digests import portfolio_changes_for_leader
from partners.models import Milestone
from partners.selectors import organisation_overview
from portfolio.models import Project, StatusUpdate
from tests.partners.factories import MilestoneFactory, PartnerOrganisationFactory
from tests.portfolio.factories import ProjectFactory, StatusUpdateFactory

pytestmark = pytest.mark.django_db

LONG_AGO = 260


def _project(clinic, leader, stage, title, *, started_days_ago=LONG_AGO):
    return ProjectFactory(
        lead_clinic=clinic,
        owner=leader,
        stage=stage,
        title=title,
        started_on=timezone.localdate() - datetime.timedelta(days=started_days_ago),
    )


@pytest.fixture
def late_milestones(clinic, leader):
    """One milestone 260 days late in a running, a stopped and a completed project."""
    today = timezone.localdate()
    milestones = {}
    for stage in (Project.Stage.PILOT, Project.Stage.STOPPED, Project.Stage.COMPLETED):
        project = _project(clinic, leader, stage, f"{stage} project")
        milestones[stage] = MilestoneFactory(
            project=project, due_on=today - datetime.timedelta(days=LONG_AGO)
        )
    return milestones


def test_only_running_projects_milestones_are_overdue(late_milestones):
    overdue = Milestone.objects.overdue()

    assert list(overdue) == [late_milestones[Project.Stage.PILOT]]
    assert late_milestones[Project.Stage.PILOT].is_overdue
    assert not late_milestones[Project.Stage.STOPPED].is_overdue
    assert not late_milestones[Project.Stage.COMPLETED].is_overdue


def test_dashboard_counts_no_stopped_or_completed_projects_milestone_as_overdue(
    leader, late_milestones
):
    board = portfolio_dashboard(user=leader, filters=PortfolioFilters())

    assert board.milestones["overdue"] == 1
    assert board.overdue_milestones == [late_milestones[Project.Stage.PILOT]]
    rows = {
        p.title: p.overdue_milestones
        for p in portfolio_project_list(user=leader, filters=PortfolioFilters())
    }
    assert rows == {"pilot project": 1, "stopped project": 0, "completed project": 0}


def test_digest_reports_no_stopped_or_completed_projects_milestone_as_overdue(
    leader, late_milestones
):
    now = timezone.now()
    today = timezone.localdate()
    changes = portfolio_changes_for_leader(
        leader=leader,
        period_start=now - datetime.timedelta(days=7),
        period_end=now,
        start_date=today - datetime.timedelta(days=7),
        end_date=today,
        today=today,
        horizon=today + datetime.timedelta(days=7),
    )

    assert changes.milestones_overdue == [late_milestones[Project.Stage.PILOT]]
    assert not changes.milestones_updated


def test_a_partners_on_time_rate_ignores_stopped_projects_milestones(leader, late_milestones):
    partner = PartnerOrganisationFactory()
    Milestone.objects.filter(pk__in=[m.pk for m in late_milestones.values()]).update(
        responsible_party=partner
    )

    assert organisation_overview(leader, partner).overdue == 1


def test_running_projects_without_a_status_update_for_30_days_are_stale(client, clinic, leader):
    silent = _project(clinic, leader, Project.Stage.PILOT, "Silent")
    reported = _project(clinic, leader, Project.Stage.PILOT, "Reported")
    StatusUpdateFactory(project=reported)
    reported_long_ago = _project(clinic, leader, Project.Stage.DEVELOPMENT, "Reported long ago")
    old = StatusUpdateFactory(project=reported_long_ago)
    StatusUpdate.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=31)
    )
    _project(clinic, leader, Project.Stage.CONCEPT, "Just started", started_days_ago=5)
    _project(clinic, leader, Project.Stage.STOPPED, "Stopped")

    assert set(Project.objects.stale().values_list("title", flat=True)) == {
        "Silent",
        "Reported long ago",
    }
    board = portfolio_dashboard(user=leader, filters=PortfolioFilters())
    assert board.stale_projects == 2
    assert [p.title for p in board.stale] == ["Silent", "Reported long ago"]
    flags = {
        p.title: p.is_stale for p in portfolio_project_list(user=leader, filters=PortfolioFilters())
    }
    assert flags == {
        "Silent": True,
        "Reported": False,
        "Reported long ago": True,
        "Just started": False,
        "Stopped": False,
    }

    client.force_login(leader)
    html = client.get(reverse("portfolio:dashboard")).content.decode()
    # The flag on the project list, and the project under "needs your action".
    assert html.count('data-stale="true"') == 2
    assert (
        f'href="{reverse("portfolio:project_detail", args=[silent.pk])}"'
        in html.split('id="needs-action"')[1].split("</section>")[0]
    )


class _ChartTables(HTMLParser):
    """Records, for every table marked data-chart, whether it sits inside a <details>."""

    def __init__(self):
        super().__init__()
        self.open_details = 0
        self.chart_tables = []

    def handle_starttag(self, tag, attrs):
        if tag == "details":
            self.open_details += 1
        if tag == "table" and "data-chart" in dict(attrs):
            self.chart_tables.append(self.open_details > 0)

    def handle_endtag(self, tag):
        if tag == "details":
            self.open_details -= 1


def test_every_charts_table_sits_behind_a_disclosure(client, clinic, leader, late_milestones):
    client.force_login(leader)
    parser = _ChartTables()
    parser.feed(client.get(reverse("portfolio:dashboard")).content.decode())

    assert len(parser.chart_tables) == 7
    assert all(parser.chart_tables)


def test_the_dashboard_opens_with_headline_figures_and_the_active_filters_as_chips(
    client, clinic, leader, late_milestones
):
    leader.preferred_language = "en"  # the labels below, whatever the region's language
    leader.save(update_fields=["preferred_language"])
    client.force_login(leader)
    html = client.get(reverse("portfolio:dashboard"), {"stage": "pilot", "q": "pilot"}).content
    html = html.decode()

    # The headline comes before any chart, and says what matters first.
    assert html.index('id="headline"') < html.index('id="needs-action"') < html.index("data-chart")
    headline = html.split('id="headline"')[1].split("</section>")[0]
    for label in (
        "Active projects",
        "At risk or off track",
        "Overdue milestones",
        "Ideas waiting for review",
        "Median days to first response",
        "Indicators on target",
    ):
        assert label in headline
    # Each active filter is a chip that links to the view without it.
    assert 'href="?q=pilot"' in html  # removes the stage
    assert 'href="?stage=pilot"' in html  # removes the search
