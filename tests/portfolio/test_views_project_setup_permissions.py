"""Permission matrix of the project set-up pages (``portfolio.urls_projects``): starting a
project, editing it, and its value indicators (add, edit, retire).

role × URL (× object of the world) × GET/POST → expected status, and for a POST whether it
changed anything. Every named URL of ``urls_projects`` must have an entry in ``EXPECTED``.

The world (tests/conftest.py): region A with clinics A1 (``clinic``) and A2 (``other_clinic``);
region B with ``foreign_clinic``. ``leader`` leads all of region A, ``clinic_leader`` only A1,
``other_region_leader`` all of region B. ``project`` is led by A1 (``partner_user``'s
organisation is a party); ``joint_project`` is led by A2 with A1 taking part. Readers who may
not steer get 403; people who cannot read the project get 404.
"""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from portfolio import urls_projects
from portfolio.models import Project, ProjectDocument, ValueIndicator
from tests.clinics.factories import LeaderFactory
from tests.portfolio.factories import ProjectFactory, ValueIndicatorFactory

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


PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _pdf(name="plan.pdf"):
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def _document(project, uploaded_by):
    document = ProjectDocument(
        project=project,
        original_name="plan.pdf",
        content_type="application/pdf",
        size=len(PDF_BYTES),
        uploaded_by=uploaded_by,
    )
    document.file.save("plan.pdf", _pdf(), save=False)
    document.save()
    return document


@pytest.fixture
def world(
    staff_user, other_clinic_staff, project, agreement, clinic, other_clinic, leader, clinic_leader
):
    joint_project = ProjectFactory(lead_clinic=other_clinic, owner=leader, title="Joint triage")
    joint_project.other_clinics.add(clinic)
    return {
        "document": _document(project, leader),
        # Added by the clinic leader (when they still steered it, say): theirs to remove.
        "joint_document": _document(joint_project, clinic_leader),
        "clinic": clinic,
        "owner": leader,
        "project": project,
        "joint_project": joint_project,
        "indicator": ValueIndicatorFactory(project=project, name="Waiting time"),
        "joint_indicator": ValueIndicatorFactory(project=joint_project, name="Joint time"),
    }


def expect(**statuses: int) -> dict[str, int]:
    """Non-leaders are refused (anonymous: to the login page); every role must be given."""
    table = dict.fromkeys(ROLES, 403) | {"anonymous": 302} | statuses
    assert set(table) == set(ROLES), statuses
    return table


# Who reaches a page of ``project`` (led by A1): its steering leaders; its readers get 403.
PROJECT = {
    "staff_user": 403,  # the lead clinic's staff read the project, but do not steer it
    "other_clinic_staff": 404,
    "clinic_leader": 200,
    "other_region_leader": 404,
    "partner_user": 403,  # a party reads the summary and milestones
    "other_partner_user": 404,
}
# ``joint_project`` (led by A2, A1 takes part): only leaders of A2 (all of region A) steer.
JOINT = {
    "staff_user": 403,
    "other_clinic_staff": 403,
    "clinic_leader": 403,
    "other_region_leader": 404,
    "partner_user": 404,
    "other_partner_user": 404,
}


def steering(status: int, table: dict) -> dict[str, int]:
    own = {role: (status if code == 200 else code) for role, code in table.items()}
    return expect(leader=status, admin_user=status, **own)


# --- what each POST sends, and whether it did anything ---------------------------------------


def _new_project(w):
    return {
        "title": "Started in the matrix",
        "summary": "S",
        "lead_clinic": w["clinic"].pk,
        "owner": w["owner"].pk,
        "planned_start_on": "2030-01-01",
        "planned_end_on": "2030-12-31",
        "budget_amount": "250000.50",
    }


def _started(w):
    return Project.objects.filter(title="Started in the matrix").exists()


def _edit_project(key):
    def data(w):
        project = Project.objects.get(pk=w[key].pk)
        return {
            "title": "Edited in the matrix",
            "summary": project.summary,
            "lead_clinic": project.lead_clinic_id,
            "owner": project.owner_id,
            "version": project.version,
        }

    return data


def _project_edited(key):
    return lambda w: Project.objects.get(pk=w[key].pk).title == "Edited in the matrix"


INDICATOR = {
    "dimension": "care_pathway",
    "unit": "min",
    "direction": "lower",
    "baseline": "20",
    "target": "10",
    "frequency": "monthly",
}


def _new_indicator(w):
    return INDICATOR | {"name": "Added in the matrix"}


def _indicator_added(w):
    return ValueIndicator.objects.filter(name="Added in the matrix").exists()


def _edit_indicator(key):
    def data(w):
        version = ValueIndicator.objects.get(pk=w[key].pk).version
        return INDICATOR | {"name": "Edited in the matrix", "version": version}

    return data


def _indicator_edited(key):
    return lambda w: ValueIndicator.objects.get(pk=w[key].pk).name == "Edited in the matrix"


def _retire(key):
    return lambda w: {"version": ValueIndicator.objects.get(pk=w[key].pk).version}


def _retired(key):
    return lambda w: ValueIndicator.objects.get(pk=w[key].pk).is_retired


def _upload(w):
    return {"file": _pdf("minutes.pdf")}


def _uploaded(w):
    return ProjectDocument.objects.filter(original_name="minutes.pdf").exists()


def _removed(key):
    return lambda w: not ProjectDocument.objects.filter(pk=w[key].pk).exists()


# Who reads a document of ``project`` / ``joint_project``: everyone who reads the project.
READ_PROJECT = expect(
    staff_user=200,
    other_clinic_staff=404,
    leader=200,
    clinic_leader=200,
    other_region_leader=404,
    partner_user=200,
    other_partner_user=404,
    admin_user=200,
)
READ_JOINT = expect(
    staff_user=200,
    other_clinic_staff=200,
    leader=200,
    clinic_leader=200,
    other_region_leader=404,
    partner_user=404,
    other_partner_user=404,
    admin_user=200,
)


def _only_get(table: dict[str, int]) -> dict[str, int]:
    """A download takes GET only: whoever gets past the login is answered 405 to a POST."""
    return {role: 302 if role == "anonymous" else 405 for role in table}


@dataclass(frozen=True)
class Case:
    """One URL with objects of the world (``keys``: its URL arguments), read and written."""

    get: dict[str, int]
    post: dict[str, int]
    keys: tuple[str, ...] = ()
    data: Callable | None = None
    changed: Callable | None = None


def _indicator_cases(data, changed):
    return [
        Case(
            keys=("project", "indicator"),
            get=steering(200, PROJECT),
            post=steering(302, PROJECT),
            data=data("indicator"),
            changed=changed("indicator"),
        ),
        Case(
            keys=("joint_project", "joint_indicator"),
            get=steering(200, JOINT),
            post=steering(302, JOINT),
            data=data("joint_indicator"),
            changed=changed("joint_indicator"),
        ),
        # An indicator of another project under this project's address: 404 for everyone who
        # may steer this one (ids reveal nothing), as for anyone who may not read it.
        Case(
            keys=("project", "joint_indicator"),
            get=steering(404, PROJECT),
            post=steering(404, PROJECT),
            data=data("joint_indicator"),
            changed=lambda w: False,
        ),
    ]


EXPECTED: dict[str, list[Case]] = {
    "project_create": [
        Case(
            get=expect(leader=200, clinic_leader=200, other_region_leader=200, admin_user=200),
            # Clinic A1 is not among the choices of region B's leader: bad input.
            post=expect(leader=302, clinic_leader=302, other_region_leader=400, admin_user=302),
            data=_new_project,
            changed=_started,
        )
    ],
    "project_edit": [
        Case(
            keys=("project",),
            get=steering(200, PROJECT),
            post=steering(302, PROJECT),
            data=_edit_project("project"),
            changed=_project_edited("project"),
        ),
        Case(
            keys=("joint_project",),
            get=steering(200, JOINT),
            post=steering(302, JOINT),
            data=_edit_project("joint_project"),
            changed=_project_edited("joint_project"),
        ),
    ],
    "indicator_create": [
        Case(
            keys=("project",),
            get=steering(200, PROJECT),
            post=steering(302, PROJECT),
            data=_new_indicator,
            changed=_indicator_added,
        ),
        Case(
            keys=("joint_project",),
            get=steering(200, JOINT),
            post=steering(302, JOINT),
            data=_new_indicator,
            changed=_indicator_added,
        ),
    ],
    "indicator_edit": _indicator_cases(_edit_indicator, _indicator_edited),
    "indicator_retire": _indicator_cases(_retire, _retired),
    "project_document_add": [
        Case(
            keys=("project",),
            get=steering(200, PROJECT),
            post=steering(302, PROJECT),
            data=_upload,
            changed=_uploaded,
        ),
        Case(
            keys=("joint_project",),
            get=steering(200, JOINT),
            post=steering(302, JOINT),
            data=_upload,
            changed=_uploaded,
        ),
    ],
    "project_document": [
        Case(keys=("project", "document"), get=READ_PROJECT, post=_only_get(READ_PROJECT)),
        Case(keys=("joint_project", "joint_document"), get=READ_JOINT, post=_only_get(READ_JOINT)),
        # Another project's document under this project's address: 404 for every reader.
        Case(
            keys=("project", "joint_document"),
            get={role: 302 if role == "anonymous" else 404 for role in ROLES},
            post=_only_get(READ_PROJECT),
        ),
    ],
    "project_document_delete": [
        Case(
            keys=("project", "document"),
            get=steering(200, PROJECT),
            post=steering(302, PROJECT),
            changed=_removed("document"),
        ),
        Case(
            # The clinic leader added it: they remove it, although they do not steer the project.
            keys=("joint_project", "joint_document"),
            get=steering(200, JOINT | {"clinic_leader": 200}),
            post=steering(302, JOINT | {"clinic_leader": 302}),
            changed=_removed("joint_document"),
        ),
    ],
}

URL_NAMES = [pattern.name for pattern in urls_projects.urlpatterns]


def _matrix():
    for name in URL_NAMES:
        cases = EXPECTED.get(name) or [None]
        for index, case in enumerate(cases):
            for role in ROLES:
                for method in ("get", "post"):
                    yield pytest.param(
                        name, case, role, method, id=f"{name}-{index}-{role}-{method}"
                    )


def test_every_project_setup_url_has_expectations():
    assert None not in URL_NAMES
    assert set(URL_NAMES) == set(EXPECTED)


@pytest.mark.parametrize(("name", "case", "role", "method"), list(_matrix()))
def test_matrix(request, client, world, name, case, role, method):
    if case is None:
        pytest.fail(f"portfolio:{name} has no expected statuses in EXPECTED")
    url = reverse(f"portfolio:{name}", args=[world[key].pk for key in case.keys])
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))

    if method == "get":
        response = client.get(url)
        expected = case.get[role]
    else:
        response = client.post(url, case.data(world) if case.data else {})
        expected = case.post[role]

    assert response.status_code == expected, (name, case.keys, role, method)
    if response.status_code == 302 and role == "anonymous":
        assert response["Location"].startswith(reverse("login"))
    if method == "post" and case.changed is not None:
        assert case.changed(world) == (expected == 302 and role != "anonymous")
