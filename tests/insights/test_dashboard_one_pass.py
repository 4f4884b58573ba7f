"""The dashboard's figures are the same whether the projects' ids go to the figures' queries
as one array (a leader's portfolio) or as a subquery (past MAX_LISTED_PROJECTS: a
superuser's whole database)."""

import pytest

import insights.selectors.dashboard as dashboard
from insights.selectors.dashboard import PortfolioFilters, portfolio_dashboard
from tests.portfolio.test_selectors_dashboard import populate

pytestmark = pytest.mark.django_db

FIGURES = (
    "total_projects",
    "active_projects",
    "stale_projects",
    "funnel",
    "health",
    "by_clinic",
    "by_theme",
    "milestones",
    "agreements_by_status",
    "partners",
    "ideas_waiting",
    "first_response",
    "value_by_dimension",
    "overdue_targets_count",
    "instalments_due_count",
)
LISTS = (
    "projects_at_risk",
    "stale",
    "overdue_milestones",
    "due_soon_milestones",
    "oldest_ideas",
    "indicators_behind",
    "overdue_targets",
    "instalments_due",
)


def _read(board):
    return (
        {name: getattr(board, name) for name in FIGURES},
        {name: [row.pk for row in getattr(board, name)] for name in LISTS},
    )


@pytest.mark.parametrize("filters", [PortfolioFilters(), PortfolioFilters(stage="pilot")])
def test_the_ids_as_an_array_or_a_subquery_give_the_same_figures(
    clinic, leader, monkeypatch, filters
):
    populate(clinic, leader, 14)
    listed = _read(portfolio_dashboard(user=leader, filters=filters))
    monkeypatch.setattr(dashboard, "MAX_LISTED_PROJECTS", 1)
    subquery = _read(portfolio_dashboard(user=leader, filters=filters))
    assert listed == subquery
    assert listed[0]["total_projects"] > 1
    assert listed[1]["overdue_milestones"]
