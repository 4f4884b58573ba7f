"""A project's plan over the API: planned dates, the budget (never to partners) and each value
indicator's direction, frequency and retirement."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.portfolio.factories import ValueIndicatorFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def planned(project):
    project.planned_start_on = date(2026, 3, 1)
    project.planned_end_on = date(2027, 2, 28)
    project.budget_amount = Decimal("650000.00")
    project.budget_currency = "SEK"
    project.save()
    ValueIndicatorFactory(
        project=project, name="Falls", baseline=10, target=5, direction="lower", frequency="monthly"
    )
    ValueIndicatorFactory(project=project, name="Old", retired_at=timezone.now())
    return project


def _project(client, project):
    return client.get(reverse("api:project-detail", args=[project.pk])).json()


def test_a_leader_reads_the_plan_budget_and_indicators(client, leader, planned):
    client.force_login(leader)

    data = _project(client, planned)

    assert (data["planned_start_on"], data["planned_end_on"]) == ("2026-03-01", "2027-02-28")
    assert data["budget"] == {"amount": "650000.00", "currency": "SEK"}
    indicators = {row["name"]: row for row in data["value_indicators"]}
    assert (indicators["Falls"]["direction"], indicators["Falls"]["frequency"]) == (
        "lower",
        "monthly",
    )
    assert indicators["Falls"]["retired_at"] is None
    assert indicators["Old"]["retired_at"] is not None


def test_a_partner_never_reads_the_budget(client, partner_user, planned):
    client.force_login(partner_user)

    data = _project(client, planned)

    assert data["budget"] is None
    assert data["value_indicators"] is None
    assert data["planned_end_on"] == "2027-02-28"


def test_no_budget_set_reads_as_null(client, leader, project):
    client.force_login(leader)

    assert _project(client, project)["budget"] is None
