"""Co-sharing pages and the /api/v1/cost-sharing/ endpoint × every role: who may agree rules,
who reads which share (a partner its own only), bad input next to the field, query counts."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from partnership.models import SharingResult, SharingRule

from .cosharing_fixtures import measure
from .test_views_permissions import ROLES, people  # noqa: F401 - the roles' fixture

pytestmark = pytest.mark.django_db

# Columns in ROLES order: anonymous, staff, leader, lead_clinic_leader, joint_leader,
# other_region_leader, partner, co_partner, other_partner, superuser.
MATRIX = [
    ("sharing_rule_create", "agreement", "get", [302, 404, 200, 200, 404, 404, 404, 404, 404, 200]),
    ("sharing_rule_edit", "rule", "get", [302, 404, 200, 200, 404, 404, 404, 404, 404, 200]),
    # Bad input (nothing posted): the form again, with errors.
    (
        "sharing_rule_create",
        "agreement",
        "post",
        [302, 404, 400, 400, 404, 404, 404, 404, 404, 400],
    ),
    ("sharing_rule_edit", "rule", "post", [302, 404, 400, 400, 404, 404, 404, 404, 404, 400]),
    # What the form posts: only who may gets through.
    (
        "sharing_rule_create",
        "agreement",
        "post",
        [302, 404, 302, 302, 404, 404, 404, 404, 404, 302],
        "create",
    ),
    (
        "sharing_rule_edit",
        "rule",
        "post",
        [302, 404, 302, 302, 404, 404, 404, 404, 404, 302],
        "edit",
    ),
]


def _shares(agreement, region=(70, 20, 50), partner=(20, 60, 30), co=(10, 20, 20)):
    from partnership.services.cosharing import agreement_party_ids

    region_id, partner_id, co_id = agreement_party_ids(agreement)
    data = {}
    for organisation, values in ((region_id, region), (partner_id, partner), (co_id, co)):
        key = "region" if organisation is None else organisation
        for prefix, value in zip(("gain_floor", "gain_ceiling", "cost_below"), values, strict=True):
            data[f"{prefix}_{key}"] = str(value)
    return data


@pytest.fixture
def world(sharing_rule, partnership_agreement, project):
    from tests.portfolio.factories import ValueIndicatorFactory

    return {
        "rule": sharing_rule,
        "agreement": partnership_agreement,
        "free_indicator": ValueIndicatorFactory(
            project=project, name="Waiting days", baseline=30, target=10
        ),
    }


def _data(kind, world):
    agreement = world["agreement"]
    common = {"floor": "10", "ceiling": "30", "currency": "SEK", **_shares(agreement)}
    if kind == "create":
        return {"indicator": world["free_indicator"].pk, **common}
    if kind == "edit":
        rule = SharingRule.objects.get(pk=world["rule"].pk)
        return {"version": rule.version, "indicator": rule.indicator_id, **common, "floor": "5"}
    return {}


@pytest.mark.parametrize(
    ("name", "kind", "method", "expected", "data"),
    [(*row, None) if len(row) == 4 else row for row in MATRIX],
    ids=[f"{r[0]}-{r[2]}" + (f"-{r[4]}" if len(r) == 5 else "") for r in MATRIX],
)
def test_permission_matrix(client, people, world, name, kind, method, expected, data):  # noqa: F811
    url = reverse(f"cosharing:{name}", kwargs={"pk": world[kind].pk})
    got = {}
    for role in ROLES:
        with transaction.atomic():
            client.logout()
            if people[role] is not None:
                client.force_login(people[role])
            response = getattr(client, method)(url, _data(data, world))
            got[role] = response.status_code
            transaction.set_rollback(True)
    assert got == dict(zip(ROLES, expected, strict=True))


def test_every_cosharing_url_is_in_the_matrix():
    from partnership.urls_cosharing import urlpatterns

    assert {p.name for p in urlpatterns} == {row[0] for row in MATRIX}


def test_bad_shares_are_shown_next_to_the_field(client, leader, world):
    client.force_login(leader)
    url = reverse("cosharing:sharing_rule_create", kwargs={"pk": world["agreement"].pk})
    data = {**_data("create", world), **_shares(world["agreement"], region=(60, 20, 50))}
    data["ceiling"] = "10"
    response = client.post(url, data)
    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors["ceiling"] == ["The ceiling must be above the floor."]
    data["ceiling"] = "30"
    response = client.post(url, data)
    assert response.status_code == 400
    assert "sum to 90" in response.context["form"].errors["gain_floor_region"][0]
    assert not SharingRule.objects.filter(indicator=world["free_indicator"]).exists()


def test_a_stale_edit_answers_409_with_the_current_rule(client, leader, world):
    client.force_login(leader)
    url = reverse("cosharing:sharing_rule_edit", kwargs={"pk": world["rule"].pk})
    data = _data("edit", world)
    assert client.post(url, data).status_code == 302
    response = client.post(url, {**data, "floor": "7"})
    assert response.status_code == 409
    assert response.context["form"].current.floor == 5


def test_the_agreement_page_shows_each_party_its_own_share(
    client,
    world,
    leader,
    partner_user,
    co_partner_user,
    partner_organisation,
    co_partner_organisation,
    sharing_indicator,
):
    measure(sharing_indicator, "105", leader)
    measure(sharing_indicator, "120", leader)
    url = reverse("partners:agreement_detail", kwargs={"pk": world["agreement"].pk})

    client.force_login(leader)
    page = client.get(url).content.decode()
    assert "Co-sharing of cost and gain" in page
    assert "Position between floor and ceiling" in page  # the latest: half way
    assert "Below the floor" in page  # the history keeps the first
    assert page.count('data-testid="cosharing-share"') == 3

    client.force_login(partner_user)
    page = client.get(url).content.decode()
    section = page[page.index('data-testid="cosharing"') :]
    assert section.count('data-testid="cosharing-share"') == 1
    assert partner_organisation.name in section
    assert co_partner_organisation.name not in section
    assert "The region" not in section
    assert "15 % / 0 %" not in section  # the co-partner's share in the history

    client.force_login(co_partner_user)
    section = client.get(url).content.decode()
    section = section[section.index('data-testid="cosharing"') :]
    assert co_partner_organisation.name in section and partner_organisation.name not in section


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("role", ["leader", "partner_user"])
def test_query_counts_do_not_grow(client, request, world, sharing_indicator, role):
    from datetime import date, timedelta

    from tests.portfolio.factories import ValueIndicatorFactory

    client.force_login(request.getfixturevalue(role))
    leader = request.getfixturevalue("leader")
    page = reverse("partners:agreement_detail", kwargs={"pk": world["agreement"].pk})
    api = reverse("api:cost-sharing-list")

    def grow(n, start):
        for i in range(n):
            measure(
                sharing_indicator,
                str(100 + i * 7),
                leader,
                date.today() - timedelta(days=start + i),
            )

    grow(1, 0)
    small = (_queries(client, page), _queries(client, api))
    grow(6, 10)
    # A second rule too.
    from partnership.services.cosharing import sharing_rule_create

    kwargs = request.getfixturevalue("sharing_rule_kwargs")
    sharing_rule_create(
        actor=leader,
        **{
            **kwargs,
            "indicator": ValueIndicatorFactory(
                project=sharing_indicator.project, baseline=1, target=3
            ),
        },
    )
    large = (_queries(client, page), _queries(client, api))
    assert large == small, (small, large)


# --- The API -------------------------------------------------------------------------------------
# Which parties' shares each role reads from /api/v1/cost-sharing/ (None: no results at all).
API_SHARES = {
    "staff": None,
    "other_region_leader": None,
    "other_partner": None,
    "leader": {"region", "partner", "co"},
    "lead_clinic_leader": {"region", "partner", "co"},
    "joint_leader": {"region", "partner", "co"},
    "superuser": {"region", "partner", "co"},
    "partner": {"partner"},
    "co_partner": {"co"},
}


@pytest.mark.parametrize("role", ROLES)
def test_api_lists_each_role_its_part(
    request,
    people,  # noqa: F811
    role,
    token_client,
    world,
    sharing_indicator,
    leader,
    partner_organisation,
    co_partner_organisation,
):
    measure(sharing_indicator, "120", leader)
    result = SharingResult.objects.get()
    client = token_client(people[role])
    url = reverse("api:cost-sharing-list")
    detail = reverse("api:cost-sharing-detail", args=[result.pk])
    if role == "anonymous":
        assert client.get(url).status_code == 401
        return
    rows = client.get(url).json()["results"]
    expected = API_SHARES[role]
    if expected is None:
        assert rows == [] and client.get(detail).status_code == 404
        return
    (row,) = rows
    names = {None: "region", partner_organisation.pk: "partner", co_partner_organisation.pk: "co"}
    assert {names[s["organisation"]] for s in row["shares"]} == expected
    assert row["measurement"] == result.measurement_id and row["improvement"] == "20.00"
    assert row["steps"][0]["code"] == "improvement_higher"
    assert client.get(detail).status_code == 200
    assert client.post(url, {}, format="json").status_code in (403, 405)


def test_api_filters(token_client, leader, world, sharing_indicator):
    measure(sharing_indicator, "120", leader)
    client = token_client(leader)
    url = reverse("api:cost-sharing-list")
    agreement = world["agreement"]
    assert len(client.get(url, {"agreement": agreement.pk}).json()["results"]) == 1
    assert client.get(url, {"agreement": agreement.pk + 1000}).json()["results"] == []
    assert len(client.get(url, {"project": agreement.project_id}).json()["results"]) == 1
    assert len(client.get(url, {"indicator": sharing_indicator.pk}).json()["results"]) == 1
    assert client.get(url, {"indicator": "x"}).status_code == 400


def test_api_is_in_the_schema(client):
    schema = client.get(reverse("api:schema")).content.decode()
    assert "/api/v1/cost-sharing/" in schema
