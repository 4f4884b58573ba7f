"""Permission matrix of every region administration URL, generated from ``regionadmin.urls``.

role × URL (× object of the world) × GET/POST → expected status, and for a POST whether it
changed anything. Every named URL must have an entry in ``EXPECTED``. Region A is the one
``region_admin`` administers; ``other_region_admin`` administers region B and must meet 404 on
every page of region A, and on region A's pages with region B's ids (forged ids).
"""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.urls import reverse

from clinics.models import Clinic, LeaderScope, SupportContact
from partners.models import PartnerOrganisation
from portfolio.models import Theme
from regionadmin import urls
from tests.clinics.factories import LeaderFactory, SupportContactFactory
from tests.partners.factories import PartnerOrganisationFactory
from tests.portfolio.factories import ThemeFactory

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
    "region_admin",
    "other_region_admin",
)
ADMINS = ("admin_user", "region_admin")


@pytest.fixture
def clinic_leader(region, clinic):
    return LeaderFactory(username="clinic_leader", region=region, clinics=[clinic])


@pytest.fixture
def world(region, other_region, clinic, other_clinic, foreign_clinic, clinic_leader, leader):
    new_leader = LeaderFactory(username="new_leader", region=region, clinics=[other_clinic])
    return {
        "region": region,
        "other_region": other_region,
        "clinic": clinic,
        "foreign_clinic": foreign_clinic,
        "contact": SupportContactFactory(clinic=clinic, name="Anna Stöd"),
        "foreign_contact": SupportContactFactory(clinic=foreign_clinic, name="Bo Hjælp"),
        "theme": ThemeFactory(region=region, name="Egenvård", name_sv="Egenvård"),
        "foreign_theme": ThemeFactory(region=other_region, name="Egenomsorg"),
        "scope": LeaderScope.objects.get(leader=clinic_leader),
        "foreign_scope": LeaderScope.objects.get(
            leader=LeaderFactory(region=other_region, clinics=[foreign_clinic])
        ),
        "new_leader": new_leader,
        "organisation": PartnerOrganisationFactory(name="Nordlig AB", region=region),
        "foreign_organisation": PartnerOrganisationFactory(name="Jysk ApS", region=other_region),
    }


def expect(**statuses: int) -> dict[str, int]:
    """Without any region to administer: 403 (anonymous: the login page)."""
    table = dict.fromkeys(ROLES, 403) | {"anonymous": 302} | statuses
    assert set(table) == set(ROLES), statuses
    return table


def admins(status: int, **others: int) -> dict[str, int]:
    """Region A's administrators get ``status``; region B's administrator 404."""
    return expect(**(dict.fromkeys(ADMINS, status) | {"other_region_admin": 404} | others))


@dataclass(frozen=True)
class Case:
    get: dict[str, int]
    post: dict[str, int]
    key: str | None = None  # the row of the world in the URL (region A's unless "foreign")
    region: str = "region"
    data: Callable | None = None
    changed: Callable | None = None


def _version(model, key):
    return lambda w: model.objects.get(pk=w[key].pk).version


CASES_PAGE = [Case(get=admins(200), post=admins(405))]
FORGED = dict.fromkeys(ADMINS, 404)  # region A's URL with region B's row

EXPECTED: dict[str, list[Case]] = {
    "index": [
        Case(
            get=expect(admin_user=200, region_admin=302, other_region_admin=302),
            post=expect(admin_user=405, region_admin=405, other_region_admin=405),
            region="",
        )
    ],
    "region": CASES_PAGE,
    "clinics": CASES_PAGE,
    "support_contacts": CASES_PAGE,
    "themes": CASES_PAGE,
    "leader_scopes": CASES_PAGE,
    "partner_organisations": CASES_PAGE,
    "partner_organisation_create": [
        Case(
            get=admins(200),
            post=admins(302),
            data=lambda w: {"name": "Matrix Medtech AB", "kind": "company"},
            changed=lambda w: PartnerOrganisation.objects.filter(name="Matrix Medtech AB").exists(),
        )
    ],
    "partner_organisation_edit": [
        Case(
            key="organisation",
            get=admins(200),
            post=admins(302),
            data=lambda w: {
                "name": "Renamed AB",
                "kind": "company",
                "contact_email": "info@example.org",
                "version": _version(PartnerOrganisation, "organisation")(w),
            },
            changed=lambda w: PartnerOrganisation.objects.filter(name="Renamed AB").exists(),
        ),
        Case(
            key="foreign_organisation",
            get=admins(404, **FORGED),
            post=admins(404, **FORGED),
            data=lambda w: {"name": "Renamed AB", "kind": "company", "version": 1},
            changed=lambda w: PartnerOrganisation.objects.filter(name="Renamed AB").exists(),
        ),
    ],
    "clinic_create": [
        Case(
            get=admins(200),
            post=admins(302),
            data=lambda w: {"name": "Matrix clinic", "kind": "dental"},
            changed=lambda w: Clinic.objects.filter(name="Matrix clinic").exists(),
        )
    ],
    "clinic_edit": [
        Case(
            key="clinic",
            get=admins(200),
            post=admins(302),
            data=lambda w: {
                "name": "Renamed in the matrix",
                "kind": "dental",
                "version": Clinic.objects.get(pk=w["clinic"].pk).version,
            },
            changed=lambda w: Clinic.objects.filter(name="Renamed in the matrix").exists(),
        ),
        Case(
            key="foreign_clinic",
            get=admins(404, **FORGED),
            post=admins(404, **FORGED),
            data=lambda w: {"name": "Renamed in the matrix", "kind": "dental", "version": 1},
            changed=lambda w: Clinic.objects.filter(name="Renamed in the matrix").exists(),
        ),
    ],
    "support_contact_create": [
        Case(
            get=admins(200),
            post=admins(302),
            data=lambda w: {"area": "funding", "name": "Matrix Helper", "phone": "123"},
            changed=lambda w: SupportContact.objects.filter(name="Matrix Helper").exists(),
        )
    ],
    "support_contact_edit": [
        Case(
            key="contact",
            get=admins(200),
            post=admins(302),
            data=lambda w: {
                "area": "funding",
                "name": "Edited Helper",
                "email": "help@example.org",
                "version": _version(SupportContact, "contact")(w),
            },
            changed=lambda w: SupportContact.objects.filter(name="Edited Helper").exists(),
        ),
        Case(
            key="foreign_contact",
            get=admins(404, **FORGED),
            post=admins(404, **FORGED),
            data=lambda w: {"area": "funding", "name": "Edited Helper", "phone": "1", "version": 1},
            changed=lambda w: SupportContact.objects.filter(name="Edited Helper").exists(),
        ),
    ],
    "support_contact_delete": [
        Case(
            key="contact",
            get=admins(405),
            post=admins(302),
            data=lambda w: {},
            changed=lambda w: not SupportContact.objects.filter(pk=w["contact"].pk).exists(),
        ),
        Case(
            key="foreign_contact",
            get=admins(405),
            post=admins(404, **FORGED),
            data=lambda w: {},
            changed=lambda w: (
                not SupportContact.objects.filter(pk=w["foreign_contact"].pk).exists()
            ),
        ),
    ],
    "theme_create": [
        Case(
            get=admins(200),
            post=admins(302),
            data=lambda w: {"name_sv": "Matrisvård", "name_da": "Matrixpleje", "name_en": ""},
            changed=lambda w: Theme.objects.filter(name="Matrisvård").exists(),
        )
    ],
    "theme_edit": [
        Case(
            key="theme",
            get=admins(200),
            post=admins(302),
            data=lambda w: {"name_sv": "Omdöpt", "version": _version(Theme, "theme")(w)},
            changed=lambda w: Theme.objects.filter(name="Omdöpt").exists(),
        ),
        Case(
            key="foreign_theme",
            get=admins(404, **FORGED),
            post=admins(404, **FORGED),
            data=lambda w: {"name_sv": "Omdöpt", "name_da": "Omdøbt", "version": 1},
            changed=lambda w: Theme.objects.filter(name__in=["Omdöpt", "Omdøbt"]).exists(),
        ),
    ],
    "theme_archive": [
        Case(
            key="theme",
            get=admins(405),
            post=admins(302),
            data=lambda w: {},
            changed=lambda w: not Theme.objects.get(pk=w["theme"].pk).is_active,
        ),
        Case(
            key="foreign_theme",
            get=admins(405),
            post=admins(404, **FORGED),
            data=lambda w: {},
            changed=lambda w: not Theme.objects.get(pk=w["foreign_theme"].pk).is_active,
        ),
    ],
    "leader_scope_create": [
        Case(
            get=admins(200),
            post=admins(302),
            data=lambda w: {"leader": w["new_leader"].pk, "clinic": w["clinic"].pk},
            changed=lambda w: LeaderScope.objects.filter(
                leader=w["new_leader"], clinic=w["clinic"]
            ).exists(),
        )
    ],
    "leader_scope_remove": [
        Case(
            key="scope",
            get=admins(405),
            post=admins(302),
            data=lambda w: {},
            changed=lambda w: not LeaderScope.objects.filter(pk=w["scope"].pk).exists(),
        ),
        Case(
            key="foreign_scope",
            get=admins(405),
            post=admins(404, **FORGED),
            data=lambda w: {},
            changed=lambda w: not LeaderScope.objects.filter(pk=w["foreign_scope"].pk).exists(),
        ),
    ],
}

URL_NAMES = [pattern.name for pattern in urls.urlpatterns]


def test_every_region_admin_url_has_expectations():
    assert None not in URL_NAMES
    assert set(URL_NAMES) == set(EXPECTED)


def _matrix():
    for name in URL_NAMES:
        for index, case in enumerate(EXPECTED.get(name) or [None]):
            for role in ROLES:
                for method in ("get", "post"):
                    yield pytest.param(
                        name, case, role, method, id=f"{name}-{index}-{role}-{method}"
                    )


@pytest.mark.parametrize(("name", "case", "role", "method"), list(_matrix()))
def test_matrix(request, client, world, name, case, role, method):
    if case is None:
        pytest.fail(f"regionadmin:{name} has no expected statuses in EXPECTED")
    args = [world[case.region].pk] if case.region else []
    if case.key:
        args.append(world[case.key].pk)
    url = reverse(f"regionadmin:{name}", args=args)
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))

    if method == "get":
        response = client.get(url)
        expected = case.get[role]
    else:
        response = client.post(url, case.data(world) if case.data else {})
        expected = case.post[role]

    assert response.status_code == expected, (name, case.key, role, method)
    if response.status_code == 302 and role == "anonymous":
        assert response["Location"].startswith(reverse("login"))
    if method == "post" and case.changed is not None:
        assert case.changed(world) == (expected == 302 and role != "anonymous")
