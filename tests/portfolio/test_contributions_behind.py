"""The "contributions behind plan by more than 20 %" line of the digest and the dashboard:
its text and link to the contributions page, its scope (another region's partnerships are not
shown), the edges just above and below 80 % of the plan pro rata to elapsed time, with fixed
dates, and one query whatever the number of rows."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from insights.selectors.dashboard import PortfolioFilters, portfolio_dashboard
from insights.services.digests import digest_build
from partners.models import Agreement
from partnership.models import Contribution
from partnership.selectors_contributions import contributions_behind_plan
from tests.partners.factories import agreement_with_parties
from tests.partnership.contributions_helpers import actual, party_of, plan
from tests.portfolio.digest_world import NOW, SLOT
from tests.portfolio.factories import ProjectFactory

pytestmark = pytest.mark.django_db

HEADING = "Contributions behind plan by more than 20 %"
# The digest's today (NOW, 2 March 2026) is day 61 of an agreement running through 2026
# (365 days): of a plan of 365,000 the share to date is 61,000, 80 % of which is 48,800.
TODAY = SLOT.date()
STARTS, ENDS = date(2026, 1, 1), date(2026, 12, 31)
PERIOD = {"period_start": SLOT - timedelta(days=7), "period_end": SLOT, "now": NOW}


def _partnership(project, organisation, *, done, starts=STARTS, ends=ENDS, on=date(2026, 2, 1)):
    """A signed agreement of ``project`` whose partner planned 365,000 and put in ``done``;
    the region is on plan."""
    agreement = agreement_with_parties(
        organisation,
        project=project,
        status=Agreement.Status.SIGNED,
        starts_on=starts,
        ends_on=ends,
    )
    partner = party_of(agreement, organisation)
    plan(partner, value="365000")
    actual(partner, value=done, on=on)
    region = party_of(agreement)
    plan(region, value="1000")
    actual(region, value="1000", on=on)
    return agreement


def _section(text: str) -> str:
    return text.split(f"== {HEADING} ==", 1)[1].split("\n== ", 1)[0]


@pytest.mark.parametrize(
    ("done", "behind"),
    [("48799.99", True), ("48800", False), ("48800.01", False), ("0", True)],
)
def test_behind_means_below_80_percent_of_the_plan_to_date(
    project, partner_organisation, done, behind
):
    agreement = _partnership(project, partner_organisation, done=done)
    rows = contributions_behind_plan(Agreement.objects.all(), TODAY)
    assert bool(rows) is behind
    if behind:
        (row,) = rows  # the region, on plan, is not listed
        assert (row.agreement_id, row.party_name) == (agreement.pk, "Medtech Nord AB")
        assert row.planned_to_date == Decimal("61000.00")
        assert row.actual == Decimal(done)


def test_a_contribution_after_today_and_an_agreement_not_started_do_not_count(
    project, partner_organisation
):
    _partnership(project, partner_organisation, done="60000", on=TODAY + timedelta(days=1))
    # Both parties put in tomorrow: today both are behind (nothing yet).
    rows = contributions_behind_plan(Agreement.objects.all(), TODAY)
    assert [row.actual for row in rows] == [0, 0]
    Agreement.objects.update(starts_on=TODAY + timedelta(days=1))
    assert contributions_behind_plan(Agreement.objects.all(), TODAY) == []


def test_once_the_agreement_ended_the_whole_plan_is_due(project, partner_organisation):
    _partnership(project, partner_organisation, done="292000", ends=TODAY - timedelta(days=1))
    # 292,000 is exactly 80 % of 365,000: not behind; a cent less is.
    assert contributions_behind_plan(Agreement.objects.all(), TODAY) == []
    Contribution.objects.filter(record="actual", value=Decimal("292000")).update(
        value=Decimal("291999.99")
    )
    (row,) = contributions_behind_plan(Agreement.objects.all(), TODAY)
    assert row.planned_to_date == Decimal("365000.00")


@pytest.fixture
def foreign_project(foreign_clinic, other_region_leader):
    return ProjectFactory(
        lead_clinic=foreign_clinic, owner=other_region_leader, title="Foreign partnership"
    )


def test_the_digest_lists_the_party_behind_linked_to_the_contributions_page(
    project, partner_organisation, other_partner_organisation, foreign_project, leader
):
    agreement = _partnership(project, partner_organisation, done="30500")
    foreign = _partnership(foreign_project, other_partner_organisation, done="0")
    rendered = digest_build(leader=leader, language="en", **PERIOD)
    section = _section(rendered.text)
    assert f"Medtech Nord AB ({project.title})" in section
    assert "SEK\xa030,500 of SEK\xa061,000 planned to date (50 %)" in section
    url = reverse("partnership:agreement_contributions", args=[agreement.pk])
    assert url in section and url in rendered.html
    # Another region's partnership, and the region's own party (on plan): not listed.
    assert "Foreign partnership" not in rendered.text
    assert reverse("partnership:agreement_contributions", args=[foreign.pk]) not in rendered.text
    assert section.count("planned to date") == 1
    assert "1 party behind its planned contributions" in rendered.text


def test_the_other_regions_leader_reads_only_its_own(
    project, partner_organisation, other_partner_organisation, foreign_project, other_region_leader
):
    _partnership(project, partner_organisation, done="30500")
    foreign = _partnership(foreign_project, other_partner_organisation, done="0")
    rendered = digest_build(leader=other_region_leader, language="en", **PERIOD)
    section = _section(rendered.text)
    assert "Medtech Nord AB" not in rendered.text and project.title not in rendered.text
    assert reverse("partnership:agreement_contributions", args=[foreign.pk]) in section


def test_a_party_on_plan_gives_no_line(project, partner_organisation, leader):
    _partnership(project, partner_organisation, done="48800")
    assert HEADING not in digest_build(leader=leader, language="en", **PERIOD).text


def test_the_dashboard_lists_it_in_the_leaders_scope_only(
    client, project, partner_organisation, other_partner_organisation, foreign_project, leader,
    other_region_leader,
):  # fmt: skip
    today = timezone.localdate()
    # Day 61 of 365 as in the digest, around the real today (the page reads the clock).
    dates = {"starts": today - timedelta(days=60), "ends": today + timedelta(days=304)}
    on = today - timedelta(days=1)
    agreement = _partnership(project, partner_organisation, done="30500", on=on, **dates)
    foreign = _partnership(foreign_project, other_partner_organisation, done="0", on=on, **dates)

    board = portfolio_dashboard(user=leader, filters=PortfolioFilters(), today=today)
    assert [(r.agreement_id, r.party_name) for r in board.contributions_behind] == [
        (agreement.pk, "Medtech Nord AB")
    ]
    client.force_login(leader)
    html = client.get(reverse("portfolio:dashboard")).content.decode()
    section = html.split('id="needs-action"')[1].split("</section>")[0]
    link = reverse("partnership:agreement_contributions", args=[agreement.pk])
    assert f'href="{link}">Medtech Nord AB</a>' in section
    assert project.title in section and "Foreign partnership" not in section
    assert "30\xa0500\xa0SEK av 61\xa0000\xa0SEK planerat hittills" in section

    board = portfolio_dashboard(user=other_region_leader, filters=PortfolioFilters(), today=today)
    assert [r.agreement_id for r in board.contributions_behind] == [foreign.pk]


def test_one_query_whatever_the_number_of_rows(project, partner_organisation, leader):
    def count():
        with CaptureQueriesContext(connection) as queries:
            rows = contributions_behind_plan(Agreement.objects.all(), TODAY)
        return len(queries), len(rows)

    _partnership(project, partner_organisation, done="100")
    assert count() == (1, 1)
    for index in range(6):
        more = ProjectFactory(lead_clinic=project.lead_clinic, owner=leader, title=f"More {index}")
        _partnership(more, partner_organisation, done="100")
    assert count() == (1, 7)


def test_the_digest_costs_the_same_queries_for_one_row_or_seven(
    project, partner_organisation, leader
):
    def count():
        fresh = type(leader).objects.select_related("region", "digest_preference").get(pk=leader.pk)
        with CaptureQueriesContext(connection) as queries:
            text = digest_build(leader=fresh, language="en", **PERIOD).text
        return len(queries), _section(text).count("planned to date")

    _partnership(project, partner_organisation, done="100")
    small, listed = count()
    assert listed == 1
    for index in range(6):
        more = ProjectFactory(lead_clinic=project.lead_clinic, owner=leader, title=f"More {index}")
        _partnership(more, partner_organisation, done="100")
    assert count() == (small, 7)
