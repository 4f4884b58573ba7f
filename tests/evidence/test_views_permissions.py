"""Every adoption URL × every role of the access world (tests/access_world.py) → the status
each must get. "Not yours" answers 404 like "missing", and so does a page or an action the
role may not use on a project it reads (never 403). The world's ``project`` is piloted in
``clinic`` and adopted (piloting) in ``other_clinic``, whose leader (``clinic_leader``)
updates that adoption."""

import datetime

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from evidence.models import Adoption
from tests.access_world import ROLES, world_fixture  # noqa: F401
from tests.clinics.factories import ClinicFactory
from tests.portfolio.factories import ValueIndicatorFactory

pytestmark = pytest.mark.django_db

# Columns in ROLES order: anonymous, staff_user, other_clinic_staff, leader, clinic_leader,
# other_region_leader, partner_user, other_partner_user, admin_user.
MATRIX = [
    ("project_adoptions", "project", "get", [302, 200, 200, 200, 200, 404, 200, 404, 200]),
    ("comparison", "project", "get", [302, 200, 200, 200, 200, 404, 404, 404, 200]),
    ("adoption_create", "project", "get", [302, 404, 404, 200, 404, 404, 404, 404, 200]),
    ("scale_decide", "project", "get", [302, 404, 404, 200, 404, 404, 404, 404, 200]),
    ("adoption_edit", "adoption", "get", [302, 404, 404, 200, 200, 404, 404, 404, 200]),
    ("measurement_create", "adoption", "get", [302, 404, 404, 200, 200, 404, 404, 404, 200]),
    # Bad input (nothing posted): the form again, with errors.
    ("adoption_create", "project", "post", [302, 404, 404, 400, 404, 404, 404, 404, 400]),
    ("scale_decide", "project", "post", [302, 404, 404, 400, 404, 404, 404, 404, 400]),
    ("adoption_edit", "adoption", "post", [302, 404, 404, 400, 400, 404, 404, 404, 400]),
    ("measurement_create", "adoption", "post", [302, 404, 404, 400, 400, 404, 404, 404, 400]),
    # What the pages post: only who may gets through (302).
    ("adoption_create", "project", "post", [302, 404, 404, 302, 404, 404, 404, 404, 302], "new"),
    ("scale_decide", "project", "post", [302, 404, 404, 302, 404, 404, 404, 404, 302], "decide"),
    ("adoption_edit", "adoption", "post", [302, 404, 404, 302, 302, 404, 404, 404, 302], "edit"),
    (
        "measurement_create",
        "adoption",
        "post",
        [302, 404, 404, 302, 302, 404, 404, 404, 302],
        "measure",
    ),
]


@pytest.fixture
def objects(world):
    project = world.projects["project"]
    project.started_on = timezone.localdate() - datetime.timedelta(days=60)
    project.save()
    other_clinic = world.people["clinic_leader"].leader_scopes.first().clinic
    adoption = Adoption.objects.create(
        project=project,
        clinic=other_clinic,
        status="piloting",
        started_on=timezone.localdate() - datetime.timedelta(days=30),
    )
    project.other_clinics.add(other_clinic)
    indicator = ValueIndicatorFactory(project=project, baseline=10, target=5)
    return {
        "project": project,
        "adoption": adoption,
        "indicator": indicator,
        "new_clinic": ClinicFactory(region=project.lead_clinic.region),
    }


def _data(kind, objects):
    if kind is None:
        return {}
    today = timezone.localdate().isoformat()
    return {
        "new": lambda: {"clinic": objects["new_clinic"].pk, "status": "planned"},
        "decide": lambda: {"outcome": "continue", "note": "Pilot longer."},
        "edit": lambda: {
            "status": "adopted",
            "started_on": objects["adoption"].started_on.isoformat(),
            "adopted_on": today,
            "version": Adoption.objects.get(pk=objects["adoption"].pk).version,
        },
        "measure": lambda: {
            "indicator": objects["indicator"].pk,
            "value": "7",
            "measured_on": today,
        },
    }[kind]()


@pytest.mark.parametrize(
    ("name", "kind", "method", "expected", "data"),
    [(*row, None) if len(row) == 4 else row for row in MATRIX],
    ids=[f"{r[0]}-{r[2]}" + (f"-{r[4]}" if len(r) == 5 else "") for r in MATRIX],
)
def test_permission_matrix(client, world, objects, name, kind, method, expected, data):
    url = reverse(f"evidence:{name}", kwargs={"pk": objects[kind].pk})
    got = {}
    for role in ROLES:
        with transaction.atomic():
            client.logout()
            if role != "anonymous":
                client.force_login(world.people[role])
            response = getattr(client, method)(url, _data(data, objects))
            got[role] = response.status_code
            if role == "anonymous":
                assert response["Location"].startswith(reverse("login"))
            transaction.set_rollback(True)
    assert got == dict(zip(ROLES, expected, strict=True))


def test_every_evidence_url_is_in_the_matrix():
    from evidence.urls import urlpatterns

    assert {p.name for p in urlpatterns} == {row[0] for row in MATRIX}


def test_missing_and_foreign_adoptions_answer_alike(client, world, objects):
    client.force_login(world.people["other_region_leader"])
    foreign = client.get(reverse("evidence:adoption_edit", kwargs={"pk": objects["adoption"].pk}))
    missing = client.get(reverse("evidence:adoption_edit", kwargs={"pk": 999_999}))
    assert foreign.status_code == missing.status_code == 404
