"""The search page: hints, bad input, safe highlights, pagination, bounded queries, typos."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.search import highlight, marked_html
from tests.portfolio.factories import IdeaFactory, ProjectFactory

pytestmark = pytest.mark.django_db

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="trigram similarity (pg_trgm) exists only on PostgreSQL; "
    "run with DATABASE_URL=postgres://… to check it",
)


@pytest.fixture
def leader_client(client, leader):
    client.force_login(leader)
    return client


@pytest.mark.parametrize("q", ["", "a", " b ", "   "])
def test_an_empty_or_one_letter_query_shows_a_hint_not_everything(leader_client, project, q):
    response = leader_client.get(reverse("search"), {"q": q})

    assert response.status_code == 200
    assert response.context["hint"]
    assert project.title not in response.content.decode()


@pytest.mark.parametrize(
    "q",
    [
        "& | ! : * ' \"",
        "triage & | ! :*",
        "'; DROP TABLE portfolio_project; --",
        "1' OR '1'='1",
        "åäö æø ÅÄÖ",
        "<script>alert(1)</script>",
        "triage:*",
        "!!",
        "(((",
        "\\",
        "%_",
    ],
)
def test_special_characters_never_break_the_page(leader_client, project, q):
    response = leader_client.get(reverse("search"), {"q": q})

    assert response.status_code == 200
    assert "<script>alert(1)" not in response.content.decode()


def test_a_very_long_query_is_refused_next_to_the_field(leader_client, project):
    response = leader_client.get(reverse("search"), {"q": "triage " * 100})

    assert response.status_code == 400
    assert response.context["form"].errors["q"]
    assert "triage " * 30 in response.content.decode()  # what was typed stays in the box


def test_a_nul_character_is_refused_not_a_server_error(leader_client):
    response = leader_client.get(reverse("search"), {"q": "tri\x00age"})

    assert response.status_code == 400


def test_nordic_letters_are_found(leader_client, clinic, leader):
    ProjectFactory(lead_clinic=clinic, owner=leader, title="Återbesök för æg och øl")

    # (SQLite's LIKE folds the case of ASCII letters only: the query keeps the Å.)
    html = leader_client.get(reverse("search"), {"q": "Återbesök"}).content.decode()
    assert "<mark>Återbesök</mark>" in html
    html = leader_client.get(reverse("search"), {"q": "øl"}).content.decode()
    assert "<mark>øl</mark>" in html


def test_highlights_escape_the_stored_text(leader_client, clinic, leader):
    ProjectFactory(
        lead_clinic=clinic,
        owner=leader,
        title="<b>Zebra</b> <img src=x onerror=alert(1)>",
        summary="A zebra </mark><script>alert(2)</script> crossing",
    )

    html = leader_client.get(reverse("search"), {"q": "zebra"}).content.decode()

    assert "<img src=x" not in html
    assert "<script>alert(2)" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "<mark>Zebra</mark>" in html or "<mark>zebra</mark>" in html


def test_marked_html_opens_and_closes_only_balanced_marks():
    assert marked_html("a\ue000b\ue000c\ue001\ue001<d>\ue000") == (
        "a<mark>bc</mark>&lt;d&gt;<mark></mark>"
    )
    assert highlight("Zebra <x> zebra", "zebra") == "\ue000Zebra\ue001 <x> \ue000zebra\ue001"


def test_the_results_of_one_kind_are_paginated(leader_client, clinic, leader):
    for number in range(45):
        ProjectFactory(lead_clinic=clinic, owner=leader, title=f"Zebra project {number}")

    everything = leader_client.get(reverse("search"), {"q": "zebra"})
    first = leader_client.get(reverse("search"), {"q": "zebra", "kind": "project"})
    last = leader_client.get(reverse("search"), {"q": "zebra", "kind": "project", "page": 3})

    assert len(everything.context["results"][0].hits) == 5
    assert "kind=project" in everything.content.decode()
    assert len(first.context["kind"].hits) == 20
    assert first.context["page"].paginator.num_pages == 3
    assert len(last.context["kind"].hits) == 5
    assert "page=2" in last.content.decode()


def _count_queries(client, params):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("search"), params).status_code == 200
    return len(queries)


@pytest.mark.parametrize("role", ["leader", "staff_user"])
@pytest.mark.parametrize("params", [{"q": "zebra"}, {"q": "zebra", "kind": "milestone"}])
def test_the_query_count_does_not_grow_with_the_data(
    request, client, clinic, leader, partner_organisation, params, role
):
    from tests.partners.factories import MilestoneFactory
    from tests.portfolio.factories import ChallengeFactory

    def add(n):
        for _ in range(n):
            project = ProjectFactory(lead_clinic=clinic, owner=leader, title="Zebra project")
            IdeaFactory(submitter__clinic=clinic, title="Zebra idea", submitted=True)
            ChallengeFactory(clinic=clinic, posted_by=leader, title="Zebra challenge")
            MilestoneFactory(
                project=project, responsible_party=partner_organisation, title="Zebra step"
            )

    client.force_login(request.getfixturevalue(role))
    add(2)
    few = _count_queries(client, params)
    add(25)
    many = _count_queries(client, params)

    assert few == many
    assert many <= 20


@on_postgresql
def test_postgresql_finds_a_title_despite_a_typo(leader_client, clinic, leader):
    ProjectFactory(lead_clinic=clinic, owner=leader, title="Reminder texts", summary="SMS.")
    ProjectFactory(lead_clinic=clinic, owner=leader, title="Parking", summary="Cars.")

    response = leader_client.get(reverse("search"), {"q": "remindr"})

    titles = [str(hit.title_html) for hit in response.context["results"][0].hits]
    assert titles == ["Reminder texts"]


@on_postgresql
def test_postgresql_ranks_and_highlights_whole_words(leader_client, clinic, leader):
    ProjectFactory(
        lead_clinic=clinic,
        owner=leader,
        title="Sepsis alarm",
        summary="Nurses see the sepsis score at once, so the alarm sounds early.",
    )

    response = leader_client.get(reverse("search"), {"q": "sepsis alarm"})

    (hit,) = response.context["results"][0].hits
    assert str(hit.title_html) == "<mark>Sepsis</mark> <mark>alarm</mark>"
    assert "<mark>sepsis</mark>" in str(hit.snippet_html)
