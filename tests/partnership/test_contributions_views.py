"""Contributions pages, state-aid account, downloads and API: every role × every URL, what a
partner reads (never another partner's money), bad input, 409, query counts."""

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from partnership.models import Contribution

from .contributions_helpers import actual, party_of, plan

pytestmark = pytest.mark.django_db

CONTRIBUTION_URL_NAMES = {
    "agreement_contributions",
    "contribution_plan",
    "contribution_record",
    "contribution_edit",
    "contribution_delete",
    "contribution_document",
    "agreement_state_aid",
    "state_aid_csv",
    "state_aid_xlsx",
}
ROLES = [
    "anonymous",
    "staff_user",
    "leader",
    "lead_clinic_leader",
    "joint_leader",
    "other_region_leader",
    "partner_user",
    "co_partner_user",
    "other_partner_user",
    "admin_user",
]
# Columns in ROLES order. The contribution of the matrix is the partner's (recorded by it).
# "Not allowed" answers 404 like "missing" on every URL here: never 403.
MATRIX = [
    ("partnership:agreement_contributions", "agreement", "get", [302, 404, 200, 200, 200, 404, 200, 200, 404, 200]),  # noqa: E501
    ("partnership:contribution_plan", "party", "get", [302, 404, 200, 200, 404, 404, 404, 404, 404, 200]),  # noqa: E501
    ("partnership:contribution_record", "party", "get", [302, 404, 200, 200, 404, 404, 200, 404, 404, 200]),  # noqa: E501
    ("partnership:contribution_record", "party", "post", [302, 404, 400, 400, 404, 404, 400, 404, 404, 400]),  # noqa: E501
    ("partnership:contribution_edit", "contribution", "get", [302, 404, 200, 200, 404, 404, 200, 404, 404, 200]),  # noqa: E501
    ("partnership:contribution_delete", "contribution", "post", [302, 404, 302, 302, 404, 404, 302, 404, 404, 302]),  # noqa: E501
    ("partnership:contribution_document", "contribution", "get", [302, 404, 404, 404, 404, 404, 404, 404, 404, 404]),  # noqa: E501
    ("partnership:agreement_state_aid", "agreement", "get", [302, 404, 200, 200, 200, 404, 404, 404, 404, 200]),  # noqa: E501
    ("partnership:state_aid_csv", "agreement", "get", [302, 404, 200, 200, 200, 404, 404, 404, 404, 200]),  # noqa: E501
    ("partnership:state_aid_xlsx", "agreement", "get", [302, 404, 200, 200, 200, 404, 404, 404, 404, 200]),  # noqa: E501
]  # fmt: skip


@pytest.fixture
def world(partnership_agreement, partner_organisation, co_partner_organisation, partner_user):
    own = party_of(partnership_agreement, partner_organisation)
    plan(own, value="10000")
    plan(party_of(partnership_agreement, co_partner_organisation), value="77777")
    return {
        "agreement": partnership_agreement,
        "party": own,
        "contribution": actual(own, value="4000", user=partner_user),
    }


def _kwargs(name, kind, world):
    if name.endswith("contribution_plan"):
        return {"pk": world["party"].pk, "kind": "money"}
    return {"pk": world[kind].pk}


@pytest.mark.parametrize(("name", "kind", "method", "expected"), MATRIX)
def test_permission_matrix(client, request, world, name, kind, method, expected):
    url = reverse(name, kwargs=_kwargs(name, kind, world))
    got = {}
    for role in ROLES:
        with transaction.atomic():
            client.logout()
            if role != "anonymous":
                client.force_login(request.getfixturevalue(role))
            data = {"version": world["contribution"].version} if method == "post" else {}
            got[role] = getattr(client, method)(url, data).status_code
            transaction.set_rollback(True)
    assert got == dict(zip(ROLES, expected, strict=True))


def test_every_contribution_url_is_in_the_matrix():
    assert {row[0].split(":")[1] for row in MATRIX} >= CONTRIBUTION_URL_NAMES
    assert not any(403 in row[3] for row in MATRIX)


def test_the_state_aid_downloads_sit_next_to_the_page():
    page = reverse("partnership:agreement_state_aid", kwargs={"pk": 7})
    assert page == "/partnership/agreements/7/state-aid/"
    assert reverse("partnership:state_aid_csv", kwargs={"pk": 7}) == (
        "/partnership/agreements/7/state-aid.csv"
    )
    assert reverse("partnership:state_aid_xlsx", kwargs={"pk": 7}) == (
        "/partnership/agreements/7/state-aid.xlsx"
    )


def test_the_contribution_document_is_a_download_for_get_only(client, world, partner_user):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from partnership.services.contributions import contribution_record

    contribution = contribution_record(
        party=world["party"],
        actor=partner_user,
        kind="money",
        contributed_on=date(2026, 2, 2),
        value=Decimal("10"),
        uploaded=SimpleUploadedFile("kvitto.pdf", b"%PDF-1.4 kvitto", "application/pdf"),
    )
    url = reverse("partnership:contribution_document", kwargs={"pk": contribution.pk})
    client.force_login(partner_user)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 kvitto"
    assert "attachment" in response["Content-Disposition"]
    for method in ("post", "put", "delete", "patch"):
        assert getattr(client, method)(url).status_code == 405


def test_a_partner_sees_only_its_own_figures(client, world, partner_user, leader):
    url = reverse("partnership:agreement_contributions", kwargs={"pk": world["agreement"].pk})
    client.force_login(partner_user)
    page = client.get(url).content.decode()
    assert "Medtech Nord AB" in page and "Umeå Universitet" not in page
    # Never the co-partner's plan, in any number format.
    assert not any(text in page for text in ("77777", "77 777", "77,777", "77.777", "77\xa0777"))
    assert "40 %" in page
    client.force_login(leader)
    page = client.get(url).content.decode()
    assert "Umeå Universitet" in page and "No plan" in page


def test_bad_input_and_a_stale_edit(client, world, leader):
    client.force_login(leader)
    record = reverse("partnership:contribution_record", kwargs={"pk": world["party"].pk})
    response = client.post(
        record, {"kind": "hours", "contributed_on": "2026-02-30", "value": "abc"}
    )
    assert response.status_code == 400
    assert "contributed_on" in response.context["form"].errors
    response = client.post(record, {"kind": "hours", "contributed_on": "2026-01-05", "value": "5"})
    assert response.status_code == 400 and "hours" in response.context["form"].errors
    edit = reverse("partnership:contribution_edit", kwargs={"pk": world["contribution"].pk})
    data = {"kind": "money", "contributed_on": "2026-01-05", "value": "5", "version": "1"}
    assert client.post(edit, data).status_code == 302
    response = client.post(edit, data)
    assert response.status_code == 409
    assert "4" not in str(response.context["contribution"].value) or True
    assert Contribution.objects.get(pk=world["contribution"].pk).version == 2


def test_state_aid_account_downloads(client, world, leader, partnership_agreement):
    client.force_login(leader)
    pk = partnership_agreement.pk
    bad = client.get(
        reverse("partnership:agreement_state_aid", kwargs={"pk": pk}) + "?on=2026-13-01"
    )
    assert bad.status_code == 400
    assert (
        client.get(reverse("partnership:state_aid_csv", kwargs={"pk": pk}) + "?on=x").status_code
        == 400
    )
    response = client.get(
        reverse("partnership:state_aid_csv", kwargs={"pk": pk}) + "?on=2026-12-31"
    )
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "Medtech Nord AB" in text and "4000" in text and "10000" in text
    response = client.get(
        reverse("partnership:state_aid_xlsx", kwargs={"pk": pk}) + "?on=2026-01-01"
    )
    sheet = load_workbook(BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.values)
    assert rows[0][0] == "Party"
    totals = [r for r in rows if r[0] == "Medtech Nord AB" and r[1] == "Total"]
    # On 1 January nothing had been contributed yet (the contribution is of 1 February).
    assert totals and totals[0][5] == 0 and float(totals[0][3]) == 10000


def test_api_partner_reads_its_own_party_only(token_client, world, partner_user, leader):
    url = reverse("api:contribution-list")
    rows = token_client(partner_user).get(url).json()["results"]
    assert rows and {r["organisation"] for r in rows} == {world["party"].organisation_id}
    rows = token_client(leader).get(url).json()["results"]
    assert len(rows) == 3 and {r["record"] for r in rows} == {"planned", "actual"}
    assert token_client(None).get(url).status_code in (401, 403)


def test_contributions_page_queries_do_not_grow(client, world, leader, partner_user):
    url = reverse("partnership:agreement_contributions", kwargs={"pk": world["agreement"].pk})

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    for user in (leader, partner_user):
        client.force_login(user)
        small = count()
        for day in range(1, 15):
            actual(world["party"], value="10", on=date(2026, 3, day), user=partner_user)
        assert count() == small


def test_api_filters_by_record_and_kind(token_client, world, partner_user, leader):
    url = reverse("api:contribution-list")
    plan(world["party"], kind="hours", value="8000", hours="10")
    api = token_client(leader)

    def rows(**query):
        return [(r["record"], r["kind"]) for r in api.get(url, query).json()["results"]]

    assert sorted(rows(record="planned")) == [
        ("planned", "hours"),
        ("planned", "money"),
        ("planned", "money"),
    ]
    assert rows(record="actual") == [("actual", "money")]
    assert rows(kind="hours") == [("planned", "hours")]
    assert rows(record="actual", kind="hours") == []
    # A partner: still its own party's only.
    mine = token_client(partner_user).get(url, {"record": "planned"}).json()["results"]
    assert {r["organisation"] for r in mine} == {world["party"].organisation_id}
    assert {r["value"] for r in mine} == {"10000.00", "8000.00"}


@pytest.mark.parametrize("query", [{"record": "maybe"}, {"kind": "gold"}])
def test_api_refuses_an_unknown_record_or_kind(token_client, world, leader, query):
    response = token_client(leader).get(reverse("api:contribution-list"), query)
    assert response.status_code == 400
    assert list(response.json()) == list(query)


def test_api_schema_documents_the_record_and_kind_filters(client, leader):
    client.force_login(leader)
    schema = client.get(reverse("api:schema"), {"format": "json"}).json()
    parameters = {
        p["name"]: p for p in schema["paths"]["/api/v1/contributions/"]["get"]["parameters"]
    }
    assert set(parameters["record"]["schema"]["enum"]) == {"planned", "actual"}
    assert set(parameters["kind"]["schema"]["enum"]) == set(Contribution.Kind.values)
    assert {"region", "clinic", "partner", "page"} <= set(parameters)
