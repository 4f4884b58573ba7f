"""Every partnership URL × every role → the status each must get, and what a partner reads.

Roles: a partner of a party (``partner``), the other partner of the same partnership
(``co_partner``), a partner of another organisation, leaders who steer, follow or are
elsewhere, clinic staff, the superuser. "Not yours" answers 404 like "missing"; an action on a
visible object the role may not take answers 403.
"""

import pytest
from django.db import transaction
from django.urls import reverse

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "staff",
    "leader",
    "lead_clinic_leader",
    "joint_leader",
    "other_region_leader",
    "partner",
    "co_partner",
    "other_partner",
    "superuser",
]

# Columns in ROLES order: anonymous, staff, leader, lead_clinic_leader, joint_leader,
# other_region_leader, partner, co_partner, other_partner, superuser.
MATRIX = [
    ("phase_detail", "phase", "get", [302, 404, 200, 200, 200, 404, 200, 200, 404, 200]),
    (
        "agreement_phase_create",
        "agreement_pk",
        "get",
        [302, 404, 200, 200, 403, 404, 403, 403, 404, 200],
    ),
    ("phase_edit", "phase", "get", [302, 404, 200, 200, 403, 404, 403, 403, 404, 200]),
    ("phase_target_create", "phase", "get", [302, 404, 200, 200, 403, 404, 403, 403, 404, 200]),
    ("gate_decide", "phase", "get", [302, 404, 200, 200, 403, 404, 403, 403, 404, 200]),
    ("phase_instalment_create", "phase", "get", [302, 404, 200, 200, 403, 404, 403, 403, 404, 200]),
    # Bad input (nothing posted): the form again, with errors.
    (
        "agreement_phase_create",
        "agreement_pk",
        "post",
        [302, 404, 400, 400, 403, 404, 403, 403, 404, 400],
    ),
    ("gate_decide", "phase", "post", [302, 404, 400, 400, 403, 404, 403, 403, 404, 400]),
    ("target_assess", "target", "post", [302, 404, 400, 400, 403, 404, 403, 404, 404, 400]),
    # A partner reads only its own instalments: the co-partner gets 404 for this one.
    (
        "instalment_transition",
        "instalment",
        "post",
        [302, 404, 400, 400, 403, 404, 403, 404, 404, 400],
    ),
    # What the pages post: only who may gets through (302).
    (
        "agreement_phase_create",
        "agreement_pk",
        "post",
        [302, 404, 302, 302, 403, 404, 403, 403, 404, 302],
        "phase",
    ),
    ("phase_edit", "phase", "post", [302, 404, 302, 302, 403, 404, 403, 403, 404, 302], "phase"),
    (
        "phase_target_create",
        "phase",
        "post",
        [302, 404, 302, 302, 403, 404, 403, 403, 404, 302],
        "target",
    ),
    (
        "target_assess",
        "target",
        "post",
        [302, 404, 302, 302, 403, 404, 403, 404, 404, 302],
        "assess",
    ),
    ("gate_decide", "phase", "post", [302, 404, 302, 302, 403, 404, 403, 403, 404, 302], "gate"),
    (
        "phase_instalment_create",
        "phase",
        "post",
        [302, 404, 302, 302, 403, 404, 403, 403, 404, 302],
        "instalment",
    ),
    (
        "instalment_transition",
        "instalment",
        "post",
        [302, 404, 302, 302, 403, 404, 403, 404, 404, 302],
        "due",
    ),
    # Editing a target not assessed yet, and choosing how the project's progress rolls up:
    # who steers the project (partners and following leaders read, 403; others 404).
    ("target_edit", "target", "get", [302, 404, 200, 200, 403, 404, 403, 404, 404, 200]),
    ("target_edit", "target", "post", [302, 404, 400, 400, 403, 404, 403, 404, 404, 400]),
    (
        "target_edit",
        "target",
        "post",
        [302, 404, 302, 302, 403, 404, 403, 404, 404, 302],
        "target_edit",
    ),
    ("project_progress", "project", "get", [302, 403, 200, 200, 403, 404, 403, 403, 404, 200]),
    ("project_progress", "project", "post", [302, 403, 400, 400, 403, 404, 403, 403, 404, 400]),
    (
        "project_progress",
        "project",
        "post",
        [302, 403, 302, 302, 403, 404, 403, 403, 404, 302],
        "progress",
    ),
]


@pytest.fixture
def people(
    staff_user,
    leader,
    lead_clinic_leader,
    joint_leader,
    other_region_leader,
    partner_user,
    co_partner_user,
    other_partner_user,
    admin_user,
):
    return {
        "anonymous": None,
        "staff": staff_user,
        "leader": leader,
        "lead_clinic_leader": lead_clinic_leader,
        "joint_leader": joint_leader,
        "other_region_leader": other_region_leader,
        "partner": partner_user,
        "co_partner": co_partner_user,
        "other_partner": other_partner_user,
        "superuser": admin_user,
    }


@pytest.fixture
def world(phase, target, instalment, co_instalment, partnership_agreement):
    return {
        "phase": phase,
        "target": target,
        "instalment": instalment,
        "agreement": partnership_agreement,
        "project": partnership_agreement.project,
    }


def _data(kind, world):
    if kind is None:
        return {}
    from partnership.models import Instalment, InterimTarget, Phase

    phase = world["phase"]
    partners = [b.organisation_id for b in phase.budgets.all()]
    ceilings = {f"ceiling_{pk}": "30000" for pk in partners}
    return {
        "phase": lambda: {
            "name": "Scale-up",
            "starts_on": "2027-01-01",
            "ends_on": "2027-06-30",
            "currency": "SEK",
            "version": Phase.objects.get(pk=phase.pk).version,
            **ceilings,
        },
        "target": lambda: {
            "description": "Ten clinics use it",
            "due_on": "2026-05-01",
            "performance_level": "10 clinics",
            "organisation": "",
        },
        "assess": lambda: {
            "status": "met",
            "version": InterimTarget.objects.get(pk=world["target"].pk).version,
        },
        "gate": lambda: {
            "note": "Both continue.",
            **{f"outcome_{pk}": "go" for pk in partners},
        },
        "instalment": lambda: {
            "organisation": partners[0],
            "target": world["target"].pk,
            "amount": "100",
            "planned_on": "2026-05-01",
        },
        "target_edit": lambda: {
            "description": "Prototype tested with twelve patients",
            "due_on": "2026-05-01",
            "performance_level": "10 of 12 patients complete triage",
            "version": InterimTarget.objects.get(pk=world["target"].pk).version,
        },
        "progress": lambda: {"mode": "targets", "version": _progress_version(world)},
        "due": lambda: {
            "status": "due",
            "version": Instalment.objects.get(pk=world["instalment"].pk).version,
        },
    }[kind]()


def _progress_version(world):
    from partnership.models import ProgressSetting

    setting = ProgressSetting.objects.filter(project=world["project"]).first()
    return setting.version if setting else 0


def _money(amount):
    from django.utils import translation

    from core.formatting import format_money

    with translation.override("en"):
        return format_money(amount, "SEK")


def _kwargs(kind, world):
    if kind == "agreement_pk":
        return {"pk": world["agreement"].pk}
    return {"pk": world[kind].pk}


@pytest.mark.parametrize(
    ("name", "kind", "method", "expected", "data"),
    [(*row, None) if len(row) == 4 else row for row in MATRIX],
    ids=[f"{r[0]}-{r[2]}" + (f"-{r[4]}" if len(r) == 5 else "") for r in MATRIX],
)
def test_permission_matrix(client, people, world, name, kind, method, expected, data):
    url = reverse(f"partnership:{name}", kwargs=_kwargs(kind, world))
    got = {}
    for role in ROLES:
        with transaction.atomic():
            client.logout()
            if people[role] is not None:
                client.force_login(people[role])
            response = getattr(client, method)(url, _data(data, world))
            got[role] = response.status_code
            if role == "anonymous" and response.status_code == 302:
                assert response["Location"].startswith(reverse("login"))
            transaction.set_rollback(True)

    assert got == dict(zip(ROLES, expected, strict=True))


def test_every_partnership_url_is_in_the_matrix():
    from partnership.urls import urlpatterns

    from .test_contributions_views import CONTRIBUTION_URL_NAMES

    assert {p.name for p in urlpatterns} - CONTRIBUTION_URL_NAMES == {row[0] for row in MATRIX}


def test_a_partner_reads_its_own_part_only(
    client,
    world,
    leader,
    partner_user,
    co_partner_user,
    partner_organisation,
    co_partner_organisation,
):
    from partnership.services.gates import PartnerOutcome, gate_decide

    gate_decide(
        phase=world["phase"],
        actor=leader,
        note="Shared note for everyone.",
        outcomes={
            partner_organisation.pk: PartnerOutcome("no_go", "Secret note for Medtech."),
            co_partner_organisation.pk: PartnerOutcome("conditions", "Secret note for Umeå."),
        },
    )
    url = reverse("partnership:phase_detail", kwargs={"pk": world["phase"].pk})

    client.force_login(partner_user)
    page = client.get(url).content.decode()
    assert "Secret note for Medtech." in page and "Shared note for everyone." in page
    assert "Secret note for Umeå." not in page
    assert "Umeå Universitet" not in page  # no ceiling, instalment, target or outcome of theirs
    assert _money("20000") not in page and _money("7000") not in page
    assert _money("4000") in page

    client.force_login(co_partner_user)
    page = client.get(url).content.decode()
    assert "Secret note for Umeå." in page and "Secret note for Medtech." not in page
    assert "Medtech Nord AB" not in page

    client.force_login(leader)
    page = client.get(url).content.decode()
    assert "Secret note for Umeå." in page and "Secret note for Medtech." in page


def test_the_agreement_and_project_pages_link_the_phases(client, world, partner_user):
    client.force_login(partner_user)
    agreement_page = client.get(
        reverse("partners:agreement_detail", kwargs={"pk": world["agreement"].pk})
    ).content.decode()
    project_page = client.get(
        reverse("portfolio:project_detail", kwargs={"pk": world["agreement"].project_id})
    ).content.decode()

    phase_url = reverse("partnership:phase_detail", kwargs={"pk": world["phase"].pk})
    assert phase_url in agreement_page and phase_url in project_page
    assert _money("20000") not in agreement_page  # the co-partner's ceiling
    assert _money("10000") in agreement_page


def test_missing_and_foreign_phases_answer_alike(client, world, other_partner_user):
    client.force_login(other_partner_user)
    foreign = client.get(reverse("partnership:phase_detail", kwargs={"pk": world["phase"].pk}))
    missing = client.get(reverse("partnership:phase_detail", kwargs={"pk": 999_999}))
    assert foreign.status_code == missing.status_code == 404
