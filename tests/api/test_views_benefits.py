"""``/api/v1/benefits/``: the benefits register, read-only. Permission matrix over every role
of the access world (the pages' rules: readers of the project among staff and leaders; partner
users none; "not yours" 404 like "missing"), the ``project`` filter, the OpenAPI schema, and
the query count at two data sizes."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portfolio.models import Benefit, BenefitReview
from tests.access_world import ROLES, world_fixture  # noqa: F401
from tests.api.test_views_permissions import PROJECTS, _list_ids

pytestmark = pytest.mark.django_db

# Partner users read no benefits, not even of the projects they are party to.
BENEFITS = {**PROJECTS, "partner_user": set(), "other_partner_user": set()}


def _benefit(project, title="Fewer emergency visits", **fields) -> Benefit:
    return Benefit.objects.create(
        project=project,
        title=title,
        dimension=Benefit.Dimension.ECONOMY,
        cash_releasing=True,
        owner=project.owner,
        expected_yearly_amount=Decimal("120000.00"),
        currency="SEK",
        **fields,
    )


@pytest.fixture
def benefits(world):
    return {key: _benefit(project) for key, project in world.projects.items()}


@pytest.mark.parametrize("role", ROLES)
def test_list_and_detail_by_role(world, benefits, role, token_client):
    client = token_client(world.people[role])
    list_url = reverse("api:benefit-list")
    if role == "anonymous":
        assert client.get(list_url).status_code == 401
        for benefit in benefits.values():
            url = reverse("api:benefit-detail", args=[benefit.pk])
            assert client.get(url).status_code == 401
        return
    expected = BENEFITS[role]
    wanted = (
        set(Benefit.objects.values_list("pk", flat=True))
        if role == "admin_user"
        else {benefits[key].pk for key in expected}
    )
    assert _list_ids(client, list_url) == wanted
    for benefit in benefits.values():
        response = client.get(reverse("api:benefit-detail", args=[benefit.pk]))
        assert response.status_code == (200 if benefit.pk in wanted else 404)
    # Read-only.
    assert client.post(list_url, {}).status_code == 405


def test_filter_by_project_with_reviews(world, benefits, token_client):
    project = world.projects["project"]
    BenefitReview.objects.create(
        benefit=benefits["project"],
        reviewed_on="2026-06-01",
        realised_yearly_amount=Decimal("90000.00"),
        note="Half a year of data.",
    )
    client = token_client(world.people["leader"])
    url = reverse("api:benefit-list")

    response = client.get(url, {"project": project.pk})

    assert response.status_code == 200
    (row,) = response.json()["results"]
    assert row["id"] == benefits["project"].pk
    assert row["project"] == project.pk
    assert row["expected_yearly_amount"] == "120000.00"
    assert row["currency"] == "SEK"
    assert row["cash_releasing"] is True
    assert row["realised_yearly_amount"] == "90000.00"
    assert row["last_reviewed_on"] == "2026-06-01"
    assert [review["note"] for review in row["reviews"]] == ["Half a year of data."]
    # A project one may not read gives an empty list; a bad id is refused next to the field.
    foreign = world.projects["foreign_project"]
    assert client.get(url, {"project": foreign.pk}).json()["results"] == []
    for bad_value in ("abc", "0", str(2**40)):
        bad = client.get(url, {"project": bad_value})
        assert bad.status_code == 400 and "project" in bad.json(), bad_value


def test_in_the_openapi_schema(token_client, leader):
    schema = token_client(leader).get(reverse("api:schema"), {"format": "json"}).json()
    operation = schema["paths"]["/api/v1/benefits/"]["get"]
    assert "project" in {parameter["name"] for parameter in operation["parameters"]}
    assert "/api/v1/benefits/{id}/" in schema["paths"]
    assert set(schema["paths"]["/api/v1/benefits/"]) == {"get"}


def test_query_count_does_not_grow(token_client, leader, project):
    client = token_client(leader)
    url = reverse("api:benefit-list")

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    for index in range(2):
        _benefit(project, title=f"Small {index}")
    small = count()
    for index in range(12):
        benefit = _benefit(project, title=f"Large {index}")
        BenefitReview.objects.create(
            benefit=benefit, reviewed_on="2026-06-01", realised_yearly_amount=Decimal(1)
        )
    assert count() == small
