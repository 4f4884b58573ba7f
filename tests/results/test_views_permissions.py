"""Every results URL × every role of the access world (tests/access_world.py): the public pages
answer everyone alike (an unpublished result 404 for all); the publish step is the steering
leaders' (404 where the project is not visible and, like "missing", where it is but not theirs
to steer: a draft is never shown to who may not publish it)."""

import pytest
from django.test import Client
from django.urls import reverse

from results.models import Publication
from tests.access_world import ROLES, world_fixture  # noqa: F401

from .factories import publication_of

pytestmark = pytest.mark.django_db

# Columns in ROLES order: anonymous, staff_user, other_clinic_staff, leader, clinic_leader,
# other_region_leader, partner_user, other_partner_user, admin_user.
PUBLISH_MATRIX = [
    # The project led by ``clinic`` (the region's leader steers; its partner and staff read it).
    ("publication_edit", "project", "get", [302, 404, 404, 200, 404, 404, 404, 404, 200]),
    ("publication_edit", "project", "post-empty", [302, 404, 404, 400, 404, 404, 404, 404, 400]),
    ("publication_edit", "project", "post-preview", [302, 404, 404, 200, 404, 404, 404, 404, 200]),
    ("publication_edit", "project", "post-publish", [302, 404, 404, 302, 404, 404, 404, 404, 302]),
    ("publication_unpublish", "project", "post", [302, 404, 404, 302, 404, 404, 404, 404, 302]),
    # The joint project led by ``other_clinic``: its clinic's leader steers it too.
    ("publication_edit", "joint_project", "get", [302, 404, 404, 200, 200, 404, 404, 404, 200]),
    (
        "publication_unpublish",
        "joint_project",
        "post",
        [302, 404, 404, 302, 302, 404, 404, 404, 302],
    ),
    # Another region's project: its region's leader and superusers; 404 to everyone else.
    ("publication_edit", "foreign_project", "get", [302, 404, 404, 404, 404, 200, 404, 404, 200]),
]


def _client(person):
    client = Client()
    if person.is_authenticated:
        client.force_login(person)
    return client


def _post_data(kind, project):
    publication = Publication.objects.filter(project=project).first()
    texts = {
        "title": "A result",
        "summary": "What citizens get.",
        "version": publication.version if publication else "",
    }
    return {
        "post-empty": {},
        "post-preview": {**texts, "action": "preview"},
        "post-publish": {**texts, "action": "publish"},
        "post": {"version": publication.version if publication else ""},
    }[kind]


@pytest.mark.parametrize(("name", "project_key", "method", "expected"), PUBLISH_MATRIX)
def test_publish_matrix(world, name, project_key, method, expected):
    assert len(expected) == len(ROLES)
    project = world.projects[project_key]
    url = reverse(f"results:{name}", kwargs={"project_pk": project.pk})
    for role, status in zip(ROLES, expected, strict=True):
        # Each role meets the same state: a published result it may or may not take down.
        Publication.objects.filter(project=project).delete()
        publication_of(project)
        client = _client(world.people[role])
        if method == "get":
            response = client.get(url)
        else:
            response = client.post(url, _post_data(method, project))
        assert response.status_code == status, (name, project_key, method, role)


@pytest.mark.parametrize("role", ROLES)
def test_the_public_pages_answer_every_role_alike(world, role):
    published = publication_of(world.projects["project"], title="Published one")
    draft = publication_of(world.projects["joint_project"], title="Draft one", published=False)
    client = _client(world.people[role])
    for name in ("index", "feed", "open_data_csv", "open_data_json"):
        response = client.get(reverse(f"results:{name}"))
        assert response.status_code == 200, name
        content = b"".join(response.streaming_content) if response.streaming else response.content
        assert b"Published one" in content, name
        assert b"Draft one" not in content, name
    assert client.get(reverse("results:detail", args=[published.slug])).status_code == 200
    assert client.get(reverse("results:detail", args=[draft.slug])).status_code == 404
    assert client.get(reverse("results:detail", args=["no-such-result-1"])).status_code == 404
