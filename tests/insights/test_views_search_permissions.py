"""The search page's permission matrix: every role × GET and POST, and what each role finds.

One object of each kind matches "zebra" in each of two regions (tests/insights/conftest.py);
each role must find exactly the ones it may open, and every hit must open for that role.
"""

import re

import pytest
from django.urls import reverse

from tests.insights.conftest import hit_url

pytestmark = pytest.mark.django_db

# Role → (status of GET, status of POST). Anonymous people go to the login page; a POST is no
# search (405). A person with the administrator role but no superuser flag has no site role:
# the page answers, and finds nothing.
MATRIX = {
    "anonymous": (302, 302),
    "staff_user": (200, 405),
    "other_clinic_staff": (200, 405),
    "leader": (200, 405),
    "other_region_leader": (200, 405),
    "partner_user": (200, 405),
    "other_partner_user": (200, 405),
    "admin_user": (200, 405),
    "no_role_user": (200, 405),
}

# What each role finds of the world (keys of tests/insights/conftest.py's search_world).
FINDS = {
    "anonymous": set(),
    # Own idea only (a colleague's is not theirs to open), the clinic's project, its milestone
    # and open challenges; no organisation.
    "staff_user": {"idea_own", "project_a", "challenge_a", "challenge_a_partners", "milestone_a"},
    # The other clinic of region A: region-wide challenges only.
    "other_clinic_staff": {"challenge_a_partners"},
    # Region A's submitted ideas (no drafts), project, challenges, milestone, partner.
    "leader": {
        "idea_own",
        "idea_colleague",
        "project_a",
        "challenge_a",
        "challenge_a_partners",
        "milestone_a",
        "organisation_a",
    },
    "other_region_leader": {
        "idea_foreign",
        "project_b",
        "challenge_b",
        "milestone_b",
        "organisation_b",
    },
    # Their organisation's project and milestone, and the organisation; never an idea, nor a
    # challenge (no partner page shows one).
    "partner_user": {"project_a", "milestone_a", "organisation_a"},
    "other_partner_user": {"project_b", "milestone_b", "organisation_b"},
    # Everything, drafts too (a superuser reads everything).
    "admin_user": {
        "idea_own",
        "idea_colleague",
        "idea_colleague_draft",
        "idea_foreign",
        "project_a",
        "project_b",
        "challenge_a",
        "challenge_a_partners",
        "challenge_b",
        "milestone_a",
        "milestone_b",
        "organisation_a",
        "organisation_b",
    },
    "no_role_user": set(),
}
LEADERS = {"leader", "other_region_leader", "admin_user"}
ALL_OBJECTS = FINDS["admin_user"]
HIT_LINK = re.compile(r'class="search-hit-title" href="([^"]+)"')


def _person(request, world, role):
    if role == "no_role_user":
        return world.no_role_user
    return request.getfixturevalue(role)


@pytest.mark.parametrize("role", list(MATRIX))
@pytest.mark.parametrize("method", ["get", "post"])
def test_matrix(request, client, search_world, role, method):
    if role != "anonymous":
        client.force_login(_person(request, search_world, role))
    url = reverse("search") + "?q=zebra"

    response = getattr(client, method)(url)

    assert response.status_code == MATRIX[role][method == "post"]
    if response.status_code == 302:
        assert response["Location"].startswith(reverse("login"))


def test_every_role_has_a_row():
    assert set(MATRIX) == set(FINDS)


@pytest.mark.parametrize("role", [role for role in FINDS if role != "anonymous"])
def test_each_role_finds_exactly_what_it_may_open(request, client, search_world, role):
    person = _person(request, search_world, role)
    client.force_login(person)

    html = client.get(reverse("search"), {"q": "zebra"}).content.decode()

    expected = {
        hit_url(key, getattr(search_world, key), leader=role in LEADERS) for key in FINDS[role]
    }
    found = set(HIT_LINK.findall(html))
    assert found == expected, (role, found ^ expected)
    # Nothing outside the expected set leaks into the page, not even as a title.
    for key in ALL_OBJECTS - FINDS[role]:
        obj = getattr(search_world, key)
        assert getattr(obj, "title", getattr(obj, "name", None)) not in html, (role, key)


@pytest.mark.parametrize("role", [role for role in FINDS if role not in ("anonymous",)])
def test_every_hit_opens_for_the_person(request, client, search_world, role):
    client.force_login(_person(request, search_world, role))
    html = client.get(reverse("search"), {"q": "zebra"}).content.decode()

    for url in HIT_LINK.findall(html):
        assert client.get(url.split("#")[0]).status_code == 200, (role, url)


@pytest.mark.parametrize(
    ("role", "kinds"),
    [
        ("staff_user", ["project", "idea", "challenge", "milestone"]),
        ("partner_user", ["project", "milestone", "organisation"]),
        ("leader", ["project", "idea", "challenge", "milestone", "organisation"]),
    ],
)
def test_each_role_is_offered_only_the_kinds_it_has_pages_for(
    request, client, search_world, role, kinds
):
    client.force_login(_person(request, search_world, role))

    response = client.get(reverse("search"), {"q": "zebra"})

    assert [result.kind.key for result in response.context["results"]] == kinds


def test_a_partner_asking_for_ideas_gets_every_kind_it_may_see_instead(
    client, search_world, partner_user
):
    client.force_login(partner_user)

    response = client.get(reverse("search"), {"q": "zebra", "kind": "idea"})

    assert response.status_code == 200
    assert response.context["kind"] is None
    assert search_world.idea_own.title not in response.content.decode()
