"""``/api/v1/adoptions/``: every role of the access world reads the adoptions of the projects
it may open (the API permission matrix's projects), filtered by project, clinic and status,
paginated, described in the OpenAPI schema; a bad filter answers 400."""

import pytest
from django.urls import reverse

from evidence.models import Adoption
from tests.access_world import ROLES, world_fixture  # noqa: F401
from tests.clinics.factories import ClinicFactory

pytestmark = pytest.mark.django_db

ALL = {"project", "joint_project", "other_clinic_project", "foreign_project"}
# Per role: the world's projects whose adoption it reads (as tests/api/test_views_permissions).
EXPECTED = {
    "staff_user": {"project", "joint_project"},
    "other_clinic_staff": {"joint_project", "other_clinic_project"},
    "leader": {"project", "joint_project", "other_clinic_project"},
    "clinic_leader": {"joint_project", "other_clinic_project"},
    "other_region_leader": {"foreign_project"},
    "partner_user": {"project"},
    "other_partner_user": set(),
    "admin_user": ALL,
}


@pytest.fixture
def adoptions(world):
    made = {}
    for key, project in world.projects.items():
        clinic = ClinicFactory(region=project.lead_clinic.region)
        made[key] = Adoption.objects.create(project=project, clinic=clinic)
    return made


@pytest.mark.parametrize("role", ROLES)
def test_every_role_reads_the_adoptions_of_its_projects(world, adoptions, role, token_client):
    client = token_client(world.people[role])
    url = reverse("api:adoption-list")
    if role == "anonymous":
        assert client.get(url).status_code == 401
        return
    response = client.get(url)
    assert response.status_code == 200
    got = {row["id"] for row in response.json()["results"]}
    assert got == {adoptions[key].pk for key in EXPECTED[role]}
    for key, adoption in adoptions.items():
        detail = client.get(reverse("api:adoption-detail", args=[adoption.pk]))
        assert detail.status_code == (200 if key in EXPECTED[role] else 404)


def test_filters_and_pages(world, adoptions, token_client, settings):
    client = token_client(world.people["leader"])
    url = reverse("api:adoption-list")
    project = world.projects["project"]
    adoption = adoptions["project"]
    Adoption.objects.filter(pk=adoption.pk).update(
        status="abandoned", abandoned_on=adoption.created_at.date(), abandon_reason="No staff"
    )

    def ids(**params):
        response = client.get(url, params)
        assert response.status_code == 200
        return {row["id"] for row in response.json()["results"]}

    assert ids(project=project.pk) == {adoption.pk}
    assert ids(clinic=adoption.clinic_id) == {adoption.pk}
    assert ids(status="abandoned") == {adoption.pk}
    assert ids(status="planned") == {
        adoptions["joint_project"].pk,
        adoptions["other_clinic_project"].pk,
    }
    assert ids(project=world.projects["foreign_project"].pk) == set()
    for bad in ({"status": "done"}, {"project": "x"}, {"clinic": "-1"}):
        assert client.get(url, bad).status_code == 400
    page = client.get(url, {"page_size": 1}).json()
    assert {"count", "next", "previous", "results"} <= set(page)


def test_the_schema_describes_the_endpoint(client, admin_user):
    client.force_login(admin_user)
    schema = client.get(reverse("api:schema"), {"format": "json"}).json()
    operation = schema["paths"]["/api/v1/adoptions/"]["get"]
    assert {p["name"] for p in operation["parameters"]} >= {"project", "clinic", "status"}
