"""Permission matrix of every API endpoint × role: status, and for lists the exact ids.

Built on the access world of tests/access_world.py (the same objects the ``visible_to`` tests
use), so the API is held to the web pages' rules: "not yours" answers 404 like "missing".
"""

import pytest
from django.urls import reverse

from clinics.models import Clinic, Region
from tests.access_world import ROLES, world_fixture  # noqa: F401

pytestmark = pytest.mark.django_db

ALL = object()

PROJECTS = {
    "staff_user": {"project", "joint_project"},
    "other_clinic_staff": {"joint_project", "other_clinic_project"},
    "leader": {"project", "joint_project", "other_clinic_project"},
    "clinic_leader": {"joint_project", "other_clinic_project"},
    "other_region_leader": {"foreign_project"},
    "partner_user": {"project"},
    "other_partner_user": set(),
    "admin_user": ALL,
}
MILESTONES = PROJECTS  # the milestones of the world are one per project, named after it
AGREEMENTS = {
    "staff_user": set(),
    "other_clinic_staff": set(),
    "leader": {"proposed", "draft", "other_clinic_active"},
    "clinic_leader": {"other_clinic_active"},
    "other_region_leader": {"foreign_proposed"},
    "partner_user": {"proposed"},  # a draft is the region's working copy
    "other_partner_user": set(),
    "admin_user": ALL,
}
IDEAS = {
    "staff_user": {"own_draft", "own_submitted"},
    "other_clinic_staff": {"other_clinic_submitted"},
    "leader": {"own_submitted", "colleague_submitted", "other_clinic_submitted"},
    "clinic_leader": {"other_clinic_submitted"},
    "other_region_leader": {"foreign_submitted"},
    "partner_user": set(),
    "other_partner_user": set(),
    "admin_user": ALL,
}
CLINICS = {
    "staff_user": {"clinic"},
    "other_clinic_staff": {"other_clinic"},
    "leader": {"clinic", "other_clinic"},
    "clinic_leader": {"other_clinic"},
    "other_region_leader": {"foreign_clinic"},
    "partner_user": set(),
    "other_partner_user": set(),
    "admin_user": ALL,
}
REGIONS = {
    "staff_user": {"region"},
    "other_clinic_staff": {"region"},
    "leader": {"region"},
    "clinic_leader": {"region"},
    "other_region_leader": {"other_region"},
    "partner_user": set(),
    "other_partner_user": set(),
    "admin_user": ALL,
}
# endpoint basename → (objects of the world, expected per role)
ENDPOINTS = {
    "project": ("projects", PROJECTS),
    "milestone": ("milestones", MILESTONES),
    "agreement": ("agreements", AGREEMENTS),
    "idea": ("ideas", IDEAS),
    "clinic": ("clinics", CLINICS),
    "region": ("regions", REGIONS),
}


def _named(world, attribute, request):
    if attribute == "clinics":
        return {k: request.getfixturevalue(k) for k in ("clinic", "other_clinic", "foreign_clinic")}
    if attribute == "regions":
        return {k: request.getfixturevalue(k) for k in ("region", "other_region")}
    return getattr(world, attribute)


def _all_ids(attribute, objects):
    model = {"clinics": Clinic, "regions": Region}.get(attribute)
    if model is None:
        model = type(next(iter(objects.values())))
    return set(model.objects.values_list("pk", flat=True))


def _list_ids(client, url):
    ids, page = [], url
    while page:
        response = client.get(page)
        assert response.status_code == 200, response.content
        ids += [row["id"] for row in response.json()["results"]]
        page = response.json()["next"]
    assert len(ids) == len(set(ids)), "an object listed twice"
    return set(ids)


@pytest.mark.parametrize("role", ROLES)
def test_list_and_detail(world, role, token_client, request):
    client = token_client(world.people[role])
    for basename, (attribute, expected) in ENDPOINTS.items():
        objects = _named(world, attribute, request)
        list_url = reverse(f"api:{basename}-list")

        if role == "anonymous":
            assert client.get(list_url).status_code == 401
            for obj in objects.values():
                url = reverse(f"api:{basename}-detail", args=[obj.pk])
                assert client.get(url).status_code == 401
            continue

        wanted_ids = (
            _all_ids(attribute, objects)
            if expected[role] is ALL
            else {objects[key].pk for key in expected[role]}
        )
        assert _list_ids(client, list_url) == wanted_ids, basename
        for obj in objects.values():
            response = client.get(reverse(f"api:{basename}-detail", args=[obj.pk]))
            assert response.status_code == (200 if obj.pk in wanted_ids else 404), (basename, obj)


# Innovation time rows of the world: whose (person), on which project.
TIME_ROWS = {
    "staff_on_project": ("staff_user", "project"),
    "staff_on_joint": ("staff_user", "joint_project"),  # staff of A1 on A2's project
    "other_staff_on_other": ("other_clinic_staff", "other_clinic_project"),
    "other_staff_on_joint": ("other_clinic_staff", "joint_project"),
    "leader_on_project": ("leader", "project"),  # no clinic: counts for the lead clinic
    "foreign_staff_on_foreign": (None, "foreign_project"),
}
TIME = {
    "staff_user": {"staff_on_project", "staff_on_joint"},
    "other_clinic_staff": {"other_staff_on_other", "other_staff_on_joint"},
    "leader": set(TIME_ROWS) - {"foreign_staff_on_foreign"},
    # A leader of A2: its people's rows, and every row on the projects A2 leads.
    "clinic_leader": {"other_staff_on_other", "other_staff_on_joint", "staff_on_joint"},
    "other_region_leader": {"foreign_staff_on_foreign"},
    "partner_user": set(),
    "other_partner_user": set(),
    "admin_user": set(TIME_ROWS),
}


@pytest.mark.parametrize("role", ROLES)
def test_innovation_time_list_and_detail(world, role, token_client, foreign_clinic):
    import datetime

    from portfolio.models import InnovationTime
    from tests.clinics.factories import StaffFactory

    foreign_staff = StaffFactory(clinic=foreign_clinic)
    rows = {
        key: InnovationTime.objects.create(
            person=world.people[person] if person else foreign_staff,
            project=world.projects[project],
            week=datetime.date(2026, 11, 30),
            hours=2,
        )
        for key, (person, project) in TIME_ROWS.items()
    }
    client = token_client(world.people[role])
    list_url = reverse("api:innovation-time-list")

    if role == "anonymous":
        assert client.get(list_url).status_code == 401
        return
    wanted = {rows[key].pk for key in TIME[role]}
    assert _list_ids(client, list_url) == wanted
    for row in rows.values():
        response = client.get(reverse("api:innovation-time-detail", args=[row.pk]))
        assert response.status_code == (200 if row.pk in wanted else 404)
    # The filters narrow by project, as on the other lists; a clinic not yours is refused.
    if role == "leader":
        filtered = _list_ids(
            client, f"{list_url}?clinic={world.projects['project'].lead_clinic_id}"
        )
        assert filtered == {rows["staff_on_project"].pk, rows["leader_on_project"].pk}
        assert client.post(list_url, {}).status_code == 405


# The world's milestone "project" has the partner's organisation as responsible party.
PROGRESS = {
    "anonymous": 401,
    "staff_user": 403,  # reads it, may not update it
    "other_clinic_staff": 404,
    "leader": 200,
    "clinic_leader": 404,
    "other_region_leader": 404,
    "partner_user": 200,
    "other_partner_user": 404,
    "admin_user": 200,
}


@pytest.mark.parametrize("role", ROLES)
def test_milestone_progress(world, role, token_client):
    milestone = world.milestones["project"]
    client = token_client(world.people[role])

    response = client.post(
        reverse("api:milestone-progress", args=[milestone.pk]),
        {"version": milestone.version, "status": "in_progress", "progress": 40, "comment": "ok"},
        format="json",
    )

    assert response.status_code == PROGRESS[role], response.content
    milestone.refresh_from_db()
    assert milestone.progress == (40 if PROGRESS[role] == 200 else 0)


@pytest.mark.parametrize("role", ROLES)
def test_api_root(world, role, token_client):
    response = token_client(world.people[role]).get(reverse("api:api-root"))

    assert response.status_code == (401 if role == "anonymous" else 200)


@pytest.mark.parametrize("role", ROLES)
def test_schema_and_docs_are_open_to_all(world, role, token_client):
    client = token_client(world.people[role])

    schema = client.get(reverse("api:schema"))
    docs = client.get(reverse("api:docs"))

    assert schema.status_code == 200
    assert b"openapi" in schema.content
    assert docs.status_code == 200


@pytest.mark.parametrize(
    "method,name", [("put", "api:milestone-detail"), ("delete", "api:project-detail")]
)
def test_read_only_endpoints_refuse_writes(world, token_client, method, name):
    client = token_client(world.people["leader"])
    obj = world.milestones["project"] if "milestone" in name else world.projects["project"]

    response = getattr(client, method)(reverse(name, args=[obj.pk]), {}, format="json")

    assert response.status_code == 405


def test_milestone_progress_of_a_joint_project_only_by_who_steers_it(world, token_client, clinic):
    """``joint_project`` is led by ``other_clinic`` with ``clinic`` taking part: a leader of
    ``clinic`` reads its milestone but may not update it; ``clinic_leader`` (of the lead
    clinic) may. The API holds the web pages' rule (``project_can_steer``)."""
    from tests.clinics.factories import LeaderFactory

    milestone = world.milestones["joint_project"]
    body = {"version": milestone.version, "status": "in_progress", "progress": 40, "comment": ""}
    url = reverse("api:milestone-progress", args=[milestone.pk])
    joint_leader = token_client(LeaderFactory(region=clinic.region, clinics=[clinic]))

    assert joint_leader.get(reverse("api:milestone-detail", args=[milestone.pk])).status_code == 200
    assert joint_leader.post(url, body, format="json").status_code == 403
    milestone.refresh_from_db()
    assert milestone.progress == 0

    response = token_client(world.people["clinic_leader"]).post(url, body, format="json")
    assert response.status_code == 200, response.content
    milestone.refresh_from_db()
    assert milestone.progress == 40
