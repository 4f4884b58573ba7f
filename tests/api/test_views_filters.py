"""The dashboard's filters on the API's lists, with choices scoped like the dashboard's."""

import pytest
from django.urls import reverse

from tests.partners.factories import MilestoneFactory, agreement_with_parties
from tests.portfolio.factories import ProjectFactory, ThemeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def portfolio(project, other_clinic, leader, partner_organisation, agreement):
    theme = ThemeFactory()
    project.themes.add(theme)
    piloted = ProjectFactory(
        lead_clinic=other_clinic, owner=leader, stage="pilot", health="at_risk", title="Robot"
    )
    MilestoneFactory(project=project)
    MilestoneFactory(project=piloted)
    agreement_with_parties(partner_organisation, project=piloted, status="draft")
    return {"project": project, "piloted": piloted, "theme": theme}


def _ids(response):
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


@pytest.mark.parametrize(
    "query,expected",
    [
        ({}, {"project", "piloted"}),
        ({"stage": "pilot"}, {"piloted"}),
        ({"health": "at_risk"}, {"piloted"}),
        ({"q": "Robot"}, {"piloted"}),
        ({"theme": "THEME"}, {"project"}),
        ({"clinic": "OTHER_CLINIC"}, {"piloted"}),
        ({"region": "REGION"}, {"project", "piloted"}),
        # Party to the current (proposed) agreement of "project", only to a draft of
        # "piloted": a draft's parties are not partners yet (Agreement.objects.current).
        ({"partner": "PARTNER"}, {"project"}),
    ],
)
def test_project_filters(
    token_client, leader, portfolio, other_clinic, region, partner_organisation, query, expected
):
    values = {
        "THEME": portfolio["theme"].pk,
        "OTHER_CLINIC": other_clinic.pk,
        "REGION": region.pk,
        "PARTNER": partner_organisation.pk,
    }
    query = {k: values.get(v, v) for k, v in query.items()}

    response = token_client(leader).get(reverse("api:project-list"), query)

    assert _ids(response) == {portfolio[key].pk for key in expected}


def test_milestones_and_agreements_follow_their_projects_filters(token_client, leader, portfolio):
    client = token_client(leader)

    milestones = client.get(reverse("api:milestone-list"), {"stage": "pilot"}).json()["results"]
    agreements = client.get(reverse("api:agreement-list"), {"stage": "pilot"}).json()["results"]

    assert {row["project"] for row in milestones} == {portfolio["piloted"].pk}
    assert {row["project"] for row in agreements} == {portfolio["piloted"].pk}


def test_a_clinic_one_does_not_lead_is_a_400_not_a_leak(
    token_client, other_region_leader, portfolio, clinic
):
    response = token_client(other_region_leader).get(
        reverse("api:project-list"), {"clinic": clinic.pk}
    )

    assert response.status_code == 400
    assert "clinic" in response.json()


@pytest.mark.parametrize("query", [{"stage": "nonsense"}, {"region": "x"}, {"theme": "999999"}])
def test_bad_filter_values_are_400(token_client, leader, portfolio, query):
    response = token_client(leader).get(reverse("api:project-list"), query)

    assert response.status_code == 400
    assert set(response.json()) == set(query)


def test_partner_projects_hide_the_value_indicators(token_client, partner_user, leader, project):
    from tests.portfolio.factories import ValueIndicatorFactory

    ValueIndicatorFactory(project=project)
    url = reverse("api:project-detail", args=[project.pk])

    as_partner = token_client(partner_user).get(url).json()
    as_leader = token_client(leader).get(url).json()

    assert as_partner["value_indicators"] is None
    assert len(as_leader["value_indicators"]) == 1
