"""``/api/v1/search/``: the site's search over the API, held to the same rules as the page.

The world is the search page's (tests/insights/conftest.py): one object of each kind matching
"zebra" in each of two regions; each role finds exactly what the page finds for it.
"""

import pytest
from django.urls import reverse

from tests.insights.conftest import search_world_fixture  # noqa: F401
from tests.insights.test_views_search_permissions import FINDS

pytestmark = pytest.mark.django_db

URL = "/api/v1/search/"


def _person(request, world, role):
    if role == "anonymous":
        return None
    if role == "no_role_user":
        return world.no_role_user
    return request.getfixturevalue(role)


def test_the_url():
    assert reverse("api:search") == URL


@pytest.mark.parametrize("role", list(FINDS))
def test_each_role_finds_exactly_what_it_may_open(request, token_client, search_world, role):
    client = token_client(_person(request, search_world, role))

    response = client.get(URL, {"q": "zebra"})

    if role == "anonymous":
        assert response.status_code == 401
        return
    assert response.status_code == 200, response.content
    results = response.json()["results"]
    found = {(result["kind"], hit["id"]) for result in results for hit in result["hits"]}
    expected = {(key.split("_")[0], getattr(search_world, key).pk) for key in FINDS[role]}
    assert found == expected
    counts = {result["kind"]: result["count"] for result in results}
    assert sum(counts.values()) == len(expected)


@pytest.mark.parametrize("q", ["", "a", "x" * 201, "tri\x00age"])
def test_a_query_too_short_too_long_or_with_nul_is_refused(token_client, leader, q):
    response = token_client(leader).get(URL, {"q": q})

    assert response.status_code == 400
    assert "q" in response.json()


@pytest.mark.parametrize("q", ["& | ! : * ' \"", "'; DROP TABLE x; --", "åäö æø", "<b>zebra"])
def test_special_characters_answer_plainly(token_client, leader, search_world, q):
    response = token_client(leader).get(URL, {"q": q})

    assert response.status_code == 200
    for result in response.json()["results"]:
        for hit in result["hits"]:
            assert "<mark>" not in hit["title"]
