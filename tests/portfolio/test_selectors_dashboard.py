import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.search import text_search
from insights.selectors.dashboard import (
    PortfolioFilters,
    portfolio_dashboard,
    portfolio_project_list,
    portfolio_projects,
)
from partners.models import Agreement
from partners.services.milestones import milestone_update
from portfolio.models import Idea, Project, gate_criteria_keys
from portfolio.services.ideas import idea_submit
from portfolio.services.projects import project_change_stage
from tests.clinics.factories import ClinicFactory, LeaderFactory, StaffFactory
from tests.partners.factories import (
    MilestoneFactory,
    PartnerOrganisationFactory,
    agreement_with_parties,
)
from tests.partnership.factories import instalment_of, phase_with_budgets, target_of
from tests.portfolio.factories import (
    IdeaFactory,
    ProjectFactory,
    ThemeFactory,
    ValueIndicatorFactory,
)

pytestmark = pytest.mark.django_db

# User and the user's region (language; the session is read from the cache: cached_db); the
# cache stamp (the leader's clinics, the data version); the filter form's choice lists
# (regions, clinics, themes, and the partners: their ids, then the names); the 13 dashboard
# queries (the filtered projects' ids read once; one grouped pass for the funnel, health and
# clinics; themes; the at-risk and stale lists; milestones counted and listed; agreements by
# status; partners; ideas waiting with the time to a first response; the oldest ideas; value
# per dimension; the indicators behind; overdue targets and instalments awaiting payment, each
# counted and listed in one); the project list's count, page and themes; the innovation time
# of the leader's clinics (one grouped query, not cached: hours recorded write no log entry);
# saving the session (savepoint, update, release); the unread-notifications badge in the
# header. The same for 3 projects or 30.
DASHBOARD_QUERIES = 2 + 2 + 5 + 13 + 3 + 1 + 3 + 1
# One more: parties behind their planned contributions (one grouped query with the
# agreements' dates and titles alongside, whatever the number of rows).
DASHBOARD_QUERIES += 1
# The partners needing action (issue 17): three lists, each with its count; not cached.
DASHBOARD_QUERIES += 3
# SQLite has no median aggregate: the times to a first response are read by a query of their
# own and summed up in Python (insights/selectors/dashboard.py, _first_response).
if connection.vendor != "postgresql":
    DASHBOARD_QUERIES += 1
# The portfolio's progress roll-up (partnership.progress): one query.
DASHBOARD_QUERIES += 1
# Once the page is cached and nothing changed since: user and region; the stamp; the
# innovation time; saving the session; the header's badge.
DASHBOARD_QUERIES_CACHED = 2 + 2 + 1 + 3 + 1 + 3  # + the partners needing action


def populate(clinic, leader, size, *, prefix="P"):
    """``size`` projects with milestones, agreements, indicators and ideas around them."""
    today = timezone.localdate()
    theme = ThemeFactory(slug="digital", name="Digitalisation")
    partner = PartnerOrganisationFactory()
    staff = StaffFactory(clinic=clinic)
    for index in range(size):
        project = ProjectFactory(
            lead_clinic=clinic,
            owner=leader,
            title=f"{prefix} project {index}",
            health=["on_track", "at_risk", "off_track"][index % 3],
            stage=Project.Stage.values[index % 5],
        )
        project.themes.add(theme)
        MilestoneFactory(project=project, due_on=today - datetime.timedelta(days=3))
        MilestoneFactory(project=project, due_on=today + datetime.timedelta(days=5))
        agreement = agreement_with_parties(
            partner, project=project, status=Agreement.Status.PROPOSED
        )
        # An innovation partnership needing action: an overdue target, an instalment due.
        phase = phase_with_budgets(agreement, ceilings={partner: "100000"})
        target = target_of(phase, partner, due_on=today - datetime.timedelta(days=2))
        instalment_of(target, partner, status="due")
        ValueIndicatorFactory(project=project, latest_value=5, latest_measured_on=today)
        idea = IdeaFactory(submitter=staff, submitted=True)
        Idea.objects.filter(pk=idea.pk).update(
            submitted_at=timezone.now() - datetime.timedelta(days=index * 5),
            first_response_at=timezone.now() - datetime.timedelta(days=index * 5 - 2),
        )


def _dashboard_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("query", ["", "?stage=development&health=at_risk&q=project"])
def test_dashboard_runs_a_fixed_number_of_queries(client, clinic, leader, query, settings):
    # Computed on each request (as after a change in the leader's scope, which also asks once
    # whether the change concerns the scope).
    settings.DASHBOARD_CACHE_SECONDS = 0
    client.force_login(leader)
    url = reverse("portfolio:dashboard") + query
    populate(clinic, leader, 3, prefix="Small")
    small = _dashboard_queries(client, url)

    populate(clinic, leader, 30, prefix="Large")
    large = _dashboard_queries(client, url)

    assert small == large
    if not query:
        assert large == DASHBOARD_QUERIES - 1  # with the cache off, no data version is read


def test_dashboard_query_count_is_pinned(client, django_assert_num_queries, clinic, leader):
    populate(clinic, leader, 12)
    client.force_login(leader)

    with django_assert_num_queries(DASHBOARD_QUERIES):
        client.get(reverse("portfolio:dashboard"))


def test_a_cached_dashboard_runs_fewer_queries_still_fixed(client, clinic, leader):
    client.force_login(leader)
    url = reverse("portfolio:dashboard")
    populate(clinic, leader, 3, prefix="Small")
    client.get(url)
    small = _dashboard_queries(client, url)

    populate(clinic, leader, 30, prefix="Large")
    client.get(url)
    large = _dashboard_queries(client, url)

    assert small == large == DASHBOARD_QUERIES_CACHED


def _stage_counts(client) -> dict:
    response = client.get(reverse("portfolio:dashboard"))
    return {row["value"]: row["count"] for row in response.context["board"].funnel}


def test_a_change_shows_on_the_next_request_despite_the_cache(client, clinic, leader):
    """Every service that changes a figure writes the audit trail or a log the data version
    reads, so the cached figures are never served after a change."""
    client.force_login(leader)
    project = ProjectFactory(lead_clinic=clinic, owner=leader, stage=Project.Stage.CONCEPT)
    assert _stage_counts(client)["concept"] == 1

    project_change_stage(
        project=project,
        to_stage="development",
        actor=leader,
        note="Gate passed",
        expected_version=project.version,
        criteria_met=gate_criteria_keys("development"),
    )
    counts = _stage_counts(client)
    assert (counts["concept"], counts["development"]) == (0, 1)

    milestone = MilestoneFactory(project=project, due_on=timezone.localdate())
    board = client.get(reverse("portfolio:dashboard")).context["board"]
    assert board.milestones["due_soon"] == 1
    milestone_update(
        milestone=milestone,
        actor=leader,
        expected_version=milestone.version,
        status="done",
        progress=100,
    )
    board = client.get(reverse("portfolio:dashboard")).context["board"]
    assert board.milestones["due_soon"] == 0

    assert board.ideas_waiting["count"] == 0
    idea = IdeaFactory(submitter=StaffFactory(clinic=clinic), clinic=clinic)  # a draft
    idea_submit(idea=idea, actor=idea.submitter)
    assert client.get(reverse("portfolio:dashboard")).context["board"].ideas_waiting["count"] == 1


def test_leaders_with_the_same_scope_share_the_cached_figures_others_do_not(
    client, clinic, other_clinic, leader
):
    ProjectFactory(lead_clinic=clinic, owner=leader)
    ProjectFactory(lead_clinic=other_clinic, owner=leader)
    limited = LeaderFactory(region=clinic.region, clinics=[clinic])

    client.force_login(leader)
    assert client.get(reverse("portfolio:dashboard")).context["board"].total_projects == 2
    client.force_login(limited)
    assert client.get(reverse("portfolio:dashboard")).context["board"].total_projects == 1


def test_dashboard_numbers(clinic, leader):
    populate(clinic, leader, 6)
    Project.objects.filter(title="P project 5").update(stage="completed")

    board = portfolio_dashboard(user=leader, filters=PortfolioFilters())

    assert board.total_projects == 6
    funnel = {row["value"]: row["count"] for row in board.funnel}
    assert funnel == {
        "concept": 1,
        "development": 1,
        "pilot": 1,
        "implementation": 1,
        "scale_up": 1,
        "completed": 1,
        "stopped": 0,
    }
    # Health counts only active projects: "P project 5" (off track) has been completed.
    assert {row["value"]: row["count"] for row in board.health} == {
        "on_track": 2,
        "at_risk": 2,
        "off_track": 1,
    }
    assert [p.health for p in board.projects_at_risk] == ["off_track", "at_risk", "at_risk"]
    # "P project 5" is completed: its open milestones are neither overdue nor due soon.
    assert board.milestones == {"overdue": 5, "due_soon": 5}
    assert {row["value"]: row["count"] for row in board.agreements_by_status}["proposed"] == 6
    assert len(board.partners) == 1 and board.partners[0]["projects"] == 6
    assert board.ideas_waiting["count"] == 6
    assert board.ideas_waiting["over_month"] == 0
    assert board.ideas_waiting["week_to_month"] == 4  # 10, 15, 20, 25 days
    # Each idea got its first response two days after submission.
    assert board.first_response["count"] == 6
    assert board.first_response["mean"] == pytest.approx(2, abs=0.01)
    assert board.first_response["median"] == pytest.approx(2, abs=0.01)
    pathway = next(r for r in board.value_by_dimension if r["value"] == "care_pathway")
    # Baseline 10, target 5, latest 5: the target is reached, progress 100 %.
    assert (pathway["indicators"], pathway["measured"], pathway["reached"]) == (6, 6, 6)
    assert pathway["progress"] == pytest.approx(100)


def test_filters_narrow_every_figure(clinic, other_clinic, leader):
    populate(clinic, leader, 2, prefix="Idun")
    other = ProjectFactory(lead_clinic=other_clinic, owner=leader, title="Bjurholm telecare")

    board = portfolio_dashboard(user=leader, filters=PortfolioFilters(clinic=other_clinic))

    assert board.total_projects == 1
    assert board.milestones == {"overdue": 0, "due_soon": 0}
    assert board.ideas_waiting["count"] == 0
    rows = list(portfolio_project_list(user=leader, filters=PortfolioFilters(q="telecare")))
    assert rows == [other]


def test_leader_of_another_region_sees_nothing_of_this_one(clinic, leader, other_region_leader):
    populate(clinic, leader, 3)

    board = portfolio_dashboard(user=other_region_leader, filters=PortfolioFilters())

    assert board.total_projects == 0
    assert board.milestones == {"overdue": 0, "due_soon": 0}
    assert board.partners == []
    assert board.ideas_waiting["count"] == 0
    assert board.first_response["count"] == 0


def test_clinic_limited_leader_sees_only_their_clinic(region, clinic, other_clinic, leader):
    populate(clinic, leader, 2)
    ProjectFactory(lead_clinic=other_clinic, owner=leader)
    limited = LeaderFactory(region=region, clinics=[other_clinic])

    board = portfolio_dashboard(user=limited, filters=PortfolioFilters())

    assert board.total_projects == 1
    assert [row["lead_clinic__name"] for row in board.by_clinic] == [other_clinic.name]


def test_a_filter_value_one_may_not_use_is_ignored_and_reported(client, leader, other_region):
    foreign = ClinicFactory(region=other_region)
    client.force_login(leader)

    response = client.get(reverse("portfolio:dashboard"), {"clinic": foreign.pk})

    assert response.status_code == 400
    assert response.context["board"].filters.clinic is None
    again = client.get(reverse("portfolio:dashboard"), {"clinic": foreign.pk})
    assert again.status_code == 400, "the cached page keeps its status and error"
    main = re.compile(rb"<main.*</main>", re.DOTALL)
    assert b"is-invalid" in main.search(again.content).group()
    assert main.search(again.content).group() == main.search(response.content).group()


def test_dashboard_escapes_texts(client, clinic, leader):
    ProjectFactory(
        lead_clinic=clinic, owner=leader, title="<script>alert(1)</script>", health="at_risk"
    )
    client.force_login(leader)

    content = client.get(reverse("portfolio:dashboard")).content.decode()

    assert "<script>alert(1)</script>" not in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content


def test_figure_links_narrow_the_current_view(client, clinic, leader):
    ProjectFactory(
        lead_clinic=clinic, owner=leader, title="Triage pilot", stage="pilot", health="at_risk"
    )
    client.force_login(leader)

    url = reverse("portfolio:dashboard") + "?health=at_risk&q=triage"
    html = client.get(url).content.decode()

    assert 'href="?q=triage&amp;stage=pilot&amp;health=at_risk"' in html
    assert f'href="?q=triage&amp;clinic={clinic.pk}&amp;health=at_risk"' in html


def test_a_joint_projects_lead_clinic_one_does_not_lead_is_shown_but_not_a_filter_link(
    client, clinic, other_clinic, leader
):
    """A leader of one clinic sees a project their clinic joins; its lead clinic is not one
    they may filter by, so the figure names it without a link (which would answer 400)."""
    joint = ProjectFactory(lead_clinic=other_clinic, owner=leader)
    joint.other_clinics.add(clinic)
    limited = LeaderFactory(region=clinic.region, clinics=[clinic])
    client.force_login(limited)

    response = client.get(reverse("portfolio:dashboard"))

    by_clinic = response.context["board"].by_clinic
    assert [(row["lead_clinic__name"], row["led"]) for row in by_clinic] == [
        (other_clinic.name, False)
    ]
    assert f"clinic={other_clinic.pk}" not in response.content.decode()


def test_the_partner_filter_counts_current_agreement_versions_only(clinic, leader):
    """The filter agrees with the partners figure: a partner left out of a newer version of
    the agreement is no longer involved in the project."""
    dropped, kept = PartnerOrganisationFactory(), PartnerOrganisationFactory()
    project = ProjectFactory(lead_clinic=clinic, owner=leader)
    first = agreement_with_parties(dropped, kept, project=project, status="ended")
    agreement_with_parties(kept, project=project, previous_version=first, status="proposed")

    board = portfolio_dashboard(user=leader, filters=PortfolioFilters())
    involved = {row["organisation_id"] for row in board.partners}
    assert involved == {kept.pk}
    assert list(portfolio_projects(user=leader, filters=PortfolioFilters(partner=kept))) == [
        project
    ]
    assert not portfolio_projects(user=leader, filters=PortfolioFilters(partner=dropped)).exists()


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="full-text search and its index are PostgreSQL's"
)
@pytest.mark.parametrize(
    ("model", "fields", "index"),
    [
        (Project, ("title", "summary"), "portfolio_project_search_idx"),
        (Idea, ("title", "problem"), "portfolio_idea_search_idx"),
    ],
)
def test_the_dashboard_search_can_use_its_index(model, fields, index):
    """The GIN index of migration 0006 is on the very expression the search writes: if the
    two drift apart, every search reads every row again."""
    queryset = text_search(model.objects.all(), "triage", fields)
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert index in plan


def test_indicators_furthest_from_target_are_listed_with_target_and_latest(client, clinic, leader):
    project = ProjectFactory(lead_clinic=clinic, owner=leader, title="Telecare")
    today = timezone.localdate()
    behind = ValueIndicatorFactory(
        project=project,
        name="Waiting days",
        baseline=20,
        target=10,
        latest_value=18,
        latest_measured_on=today,
        unit="days",
    )
    ahead = ValueIndicatorFactory(
        project=project,
        name="Visits at home",
        baseline=0,
        target=100,
        latest_value=90,
        latest_measured_on=today,
    )
    ValueIndicatorFactory(project=project, name="Not measured yet", baseline=0, target=5)
    client.force_login(leader)

    response = client.get(reverse("portfolio:dashboard"))

    listed = response.context["board"].indicators_behind
    assert [indicator.pk for indicator in listed] == [behind.pk, ahead.pk]
    assert [round(indicator.progress) for indicator in listed] == [20, 90]
    html = response.content.decode()
    assert "Waiting days" in html and "18 days" in html and "10 days" in html
    assert "Not measured yet" not in html


def test_indicators_on_target_follow_their_direction_and_retired_ones_do_not_count(clinic, leader):
    project = ProjectFactory(lead_clinic=clinic, owner=leader, title="Value")
    today = timezone.localdate()

    def indicator(name, baseline, target, latest, **extra):
        return ValueIndicatorFactory(
            project=project,
            name=name,
            baseline=baseline,
            target=target,
            latest_value=latest,
            latest_measured_on=today,
            **extra,
        )

    indicator("Falls (lower is better), reached", 10, 5, 4)
    indicator("Falls (lower is better), not yet", 10, 5, 6)
    indicator("Visits (higher is better), reached", 0, 100, 120)
    indicator("Visits (higher is better), not yet", 0, 100, 50)
    indicator("Retired but reached", 0, 100, 150, retired_at=timezone.now())
    indicator("Retired and behind", 0, 100, 1, retired_at=timezone.now())

    board = portfolio_dashboard(user=leader, filters=PortfolioFilters())

    assert board.indicators_measured == 4
    assert board.indicators_on_target == 2
    assert {i.name for i in board.indicators_behind} == {
        "Falls (lower is better), reached",
        "Falls (lower is better), not yet",
        "Visits (higher is better), reached",
        "Visits (higher is better), not yet",
    }


def test_a_change_in_another_clinic_does_not_recompute_a_leaders_figures(
    client, clinic, other_clinic, leader, monkeypatch
):
    """Per-scope invalidation: the data version moved, but no log entry written since
    concerns this leader's clinic, so the cached figures stand (and are still right)."""
    from insights.selectors import dashboard_cache

    limited = LeaderFactory(region=clinic.region, clinics=[clinic])
    ProjectFactory(lead_clinic=clinic, owner=leader, stage=Project.Stage.CONCEPT)
    elsewhere = ProjectFactory(lead_clinic=other_clinic, owner=leader, stage="concept")
    computed = []
    original = dashboard_cache.portfolio_dashboard

    def counting(**kwargs):
        computed.append(kwargs["user"].pk)
        return original(**kwargs)

    monkeypatch.setattr(dashboard_cache, "portfolio_dashboard", counting)
    client.force_login(limited)
    url = reverse("portfolio:dashboard")
    assert client.get(url).context["board"].total_projects == 1
    assert len(computed) == 1

    elsewhere.title = "Renamed in the other clinic"
    elsewhere.save()  # an audit-trail entry: the data version moves
    MilestoneFactory(project=elsewhere)
    response = client.get(url)

    assert len(computed) == 1, "a change outside the scope recomputed the figures"
    assert response.status_code == 200

    # A change inside the scope is computed on the next request.
    ProjectFactory(lead_clinic=clinic, owner=leader, stage="concept")
    board = client.get(url).context["board"]
    assert len(computed) == 2
    assert board.total_projects == 2


def test_a_project_moved_out_of_the_scope_recomputes_its_old_scope(
    client, clinic, other_clinic, leader
):
    limited = LeaderFactory(region=clinic.region, clinics=[clinic])
    project = ProjectFactory(lead_clinic=clinic, owner=leader)
    client.force_login(limited)
    url = reverse("portfolio:dashboard")
    assert client.get(url).context["board"].total_projects == 1

    project.lead_clinic = other_clinic
    project.save()

    assert client.get(url).context["board"].total_projects == 0
