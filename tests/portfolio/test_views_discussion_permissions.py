"""Permission matrix of the discussion URLs (``portfolio.urls_discussion``): every role × every
URL × GET and POST → the expected status, and for a POST whether it changed anything. A URL
added to ``urls_discussion`` without expectations fails the first test below.

The world (tests/conftest.py): ``idea`` is ``staff_user``'s submitted idea of clinic A1;
``project`` is led by A1 and ``partner_user``'s organisation is a party. ``leader`` leads all
of region A, ``clinic_leader`` only A1, ``other_region_leader`` region B. A thread is read and
written by exactly who reads the idea or project; a comment's edit and delete are its author's
(403 for the thread's other readers, 404 for everyone else).
"""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.urls import reverse

from portfolio import urls_discussion
from portfolio.models import Comment
from tests.clinics.factories import LeaderFactory
from tests.portfolio.factories import IdeaFactory

pytestmark = pytest.mark.django_db

ROLES = (
    "anonymous",
    "staff_user",
    "other_clinic_staff",
    "leader",
    "clinic_leader",
    "other_region_leader",
    "partner_user",
    "other_partner_user",
    "admin_user",
)


@pytest.fixture
def clinic_leader(region, clinic):
    return LeaderFactory(username="clinic_leader", region=region, clinics=[clinic])


@pytest.fixture
def world(staff_user, partner_user, project, clinic_leader):
    idea = IdeaFactory(submitter=staff_user, submitted=True)
    return {
        "idea": idea,
        "project": project,
        "idea_comment": Comment.objects.create(idea=idea, author=staff_user, text="Mine"),
        "project_comment": Comment.objects.create(
            project=project, author=partner_user, text="The partner's"
        ),
    }


def expect(**statuses: int) -> dict[str, int]:
    """Not found for everyone not named (anonymous: to the login page)."""
    table = dict.fromkeys(ROLES, 404) | {"anonymous": 302} | statuses
    assert set(table) == set(ROLES), statuses
    return table


IDEA_READERS = {"staff_user": 200, "leader": 200, "clinic_leader": 200, "admin_user": 200}
PROJECT_READERS = IDEA_READERS | {"partner_user": 200}


def _as_posted(readers):
    return dict.fromkeys(readers, 302)


def _comment(w):
    return {"comment-text": "Posted in the matrix", "comment-next": ""}


def _commented(key):
    return lambda w: Comment.objects.of_thread(w[key]).filter(text="Posted in the matrix").exists()


def _edit(key):
    return lambda w: {"comment-text": "Edited in the matrix", "comment-version": w[key].version}


def _edited(key):
    return lambda w: Comment.objects.get(pk=w[key].pk).text == "Edited in the matrix"


def _deleted(key):
    return lambda w: not Comment.objects.filter(pk=w[key].pk).exists()


@dataclass(frozen=True)
class Case:
    key: str
    get: dict[str, int]
    post: dict[str, int]
    data: Callable
    changed: Callable


def _own_comment(author: str, readers: dict, status: int) -> dict[str, int]:
    """The thread's readers other than the author: 403; the author: ``status``."""
    return dict.fromkeys(readers, 403) | {author: status}


EXPECTED: dict[str, list[Case]] = {
    "idea_comments": [
        Case(
            key="idea",
            get=expect(**IDEA_READERS),
            # A partner never reaches an idea's thread, whatever the project it became.
            post=expect(**_as_posted(IDEA_READERS)),
            data=_comment,
            changed=_commented("idea"),
        )
    ],
    "project_comments": [
        Case(
            key="project",
            # A partner of another organisation: 404, as for the project itself.
            get=expect(**PROJECT_READERS),
            post=expect(**_as_posted(PROJECT_READERS)),
            data=_comment,
            changed=_commented("project"),
        )
    ],
    "comment_edit": [
        Case(
            key="idea_comment",  # staff_user's, just written
            get=expect(**(_own_comment("staff_user", IDEA_READERS, 200))),
            post=expect(**(_own_comment("staff_user", IDEA_READERS, 302))),
            data=_edit("idea_comment"),
            changed=_edited("idea_comment"),
        ),
        Case(
            key="project_comment",  # partner_user's, just written
            get=expect(**(_own_comment("partner_user", PROJECT_READERS, 200))),
            post=expect(**(_own_comment("partner_user", PROJECT_READERS, 302))),
            data=_edit("project_comment"),
            changed=_edited("project_comment"),
        ),
    ],
    "comment_delete": [
        Case(
            key="idea_comment",
            # POST only: a signed-in GET is 405, whoever asks.
            get=dict.fromkeys(ROLES, 405) | {"anonymous": 302},
            post=expect(**(_own_comment("staff_user", IDEA_READERS, 302))),
            data=lambda w: {},
            changed=_deleted("idea_comment"),
        ),
        Case(
            key="project_comment",
            get=dict.fromkeys(ROLES, 405) | {"anonymous": 302},
            post=expect(**(_own_comment("partner_user", PROJECT_READERS, 302))),
            data=lambda w: {},
            changed=_deleted("project_comment"),
        ),
    ],
}

URL_NAMES = [pattern.name for pattern in urls_discussion.urlpatterns]


def _matrix():
    for name in URL_NAMES:
        cases = EXPECTED.get(name) or [None]
        for index, case in enumerate(cases):
            for role in ROLES:
                for method in ("get", "post"):
                    yield pytest.param(
                        name, case, role, method, id=f"{name}-{index}-{role}-{method}"
                    )


def test_every_discussion_url_has_expectations():
    assert None not in URL_NAMES
    assert set(URL_NAMES) == set(EXPECTED)


@pytest.mark.parametrize(("name", "case", "role", "method"), list(_matrix()))
def test_matrix(request, client, world, name, case, role, method):
    if case is None:
        pytest.fail(f"portfolio:{name} has no expected statuses in EXPECTED")
    url = reverse(f"portfolio:{name}", args=[world[case.key].pk])
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))

    if method == "get":
        response = client.get(url)
        expected = case.get[role]
    else:
        response = client.post(url, case.data(world))
        expected = case.post[role]

    assert response.status_code == expected, (name, case.key, role, method)
    if response.status_code == 302 and role == "anonymous":
        assert response["Location"].startswith(reverse("login"))
    if method == "post":
        assert case.changed(world) == (expected == 302 and role != "anonymous")
