"""Every partners URL and every attachment download × every role → the status each must get.

"Not allowed" and "does not exist" both answer 404 for objects; a visible object's action the
role may not take, or a page of another role, answers 403; anonymous people go to the login.
"""

import pytest
from django.db import transaction
from django.urls import reverse

from tests.downloads import csv_text

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "staff",
    "other_clinic_staff",
    "leader",
    "other_region_leader",
    "partner",
    "other_partner",
    "lead_clinic_leader",
    "joint_leader",
    "superuser",
]

# (url name, kwargs from the world, method, expected status per role in ROLES order[, data]):
# a row without data posts nothing (bad input); one with data posts what the page would.
# Columns: anonymous, staff, other_clinic_staff, leader, other_region_leader, partner,
# other_partner, lead_clinic_leader, joint_leader, superuser (ROLES order). A superuser holds
# every leader's right in every region (clinics.access) but has no organisation of its own.
MATRIX = [
    ("home", None, "get", [302, 403, 403, 403, 403, 200, 200, 403, 403, 403]),
    # The old partnership page redirects to the one project page, after the same visibility
    # check: a foreign id still answers 404.
    ("project_detail", "project", "get", [302, 302, 404, 302, 404, 302, 404, 302, 302, 302]),
    ("milestone_create", "project_pk", "get", [302, 403, 404, 200, 404, 403, 404, 200, 403, 200]),
    ("agreement_create", "project_pk", "get", [302, 403, 404, 200, 404, 403, 404, 200, 403, 200]),
    # Exports are for leaders and partner users (their own list), not clinic staff.
    ("milestone_export", None, "get", [302, 403, 403, 200, 200, 200, 200, 200, 200, 200]),
    ("milestone_detail", "milestone", "get", [302, 200, 404, 200, 404, 200, 404, 200, 200, 200]),
    ("milestone_detail", "milestone", "post", [302, 403, 404, 400, 404, 400, 404, 400, 403, 400]),
    ("milestone_edit", "milestone", "get", [302, 403, 404, 200, 404, 403, 404, 200, 403, 200]),
    ("milestone_confirm", "milestone", "post", [302, 403, 404, 302, 404, 403, 404, 403, 403, 302]),
    ("milestone_reopen", "milestone", "post", [302, 403, 404, 400, 404, 403, 404, 403, 403, 400]),
    ("evidence_download", "evidence", "get", [302, 200, 404, 200, 404, 200, 404, 200, 200, 200]),
    ("agreement_detail", "agreement", "get", [302, 404, 404, 200, 404, 200, 404, 200, 200, 200]),
    ("agreement_edit", "agreement", "get", [302, 404, 404, 200, 404, 403, 404, 200, 403, 200]),
    (
        "agreement_transition",
        "agreement",
        "post",
        [302, 404, 404, 302, 404, 403, 404, 302, 403, 302],
    ),
    ("agreement_confirm", "agreement", "post", [302, 404, 404, 400, 404, 400, 404, 400, 403, 400]),
    (
        "agreement_new_version",
        "agreement",
        "post",
        [302, 404, 404, 302, 404, 403, 404, 302, 403, 302],
    ),
    # A party's partner users are sent to their own share of the income.
    ("agreement_ledger", "agreement", "get", [302, 404, 404, 200, 404, 302, 404, 200, 200, 200]),
    (
        "agreement_income_share",
        "agreement",
        "get",
        [302, 404, 404, 302, 404, 200, 404, 302, 302, 302],
    ),
    ("organisation_list", None, "get", [302, 403, 403, 200, 200, 403, 403, 200, 200, 200]),
    (
        "organisation_detail",
        "organisation",
        "get",
        [302, 403, 403, 200, 404, 403, 403, 200, 200, 200],
    ),
    ("invitation_create", None, "get", [302, 403, 403, 200, 200, 403, 403, 200, 200, 200]),
    ("invitation_accept", "bad_token", "get", [410, 410, 410, 410, 410, 410, 410, 410, 410, 410]),
    # What the pages post, for every role: only those allowed get through (302).
    (
        "milestone_create",
        "project_pk",
        "post",
        [302, 403, 404, 302, 404, 403, 404, 302, 403, 302],
        "plan",
    ),
    (
        "milestone_edit",
        "milestone",
        "post",
        [302, 403, 404, 302, 404, 403, 404, 302, 403, 302],
        "plan",
    ),
    (
        "milestone_detail",
        "milestone",
        "post",
        [302, 403, 404, 302, 404, 302, 404, 302, 403, 302],
        "progress",
    ),
    (
        "milestone_confirm",
        "done",
        "post",
        [302, 403, 404, 302, 404, 403, 404, 403, 403, 302],
        "done_version",
    ),
    (
        "milestone_reopen",
        "done",
        "post",
        [302, 403, 404, 302, 404, 403, 404, 403, 403, 302],
        "reopen",
    ),
    (
        "agreement_create",
        "project_pk",
        "post",
        [302, 403, 404, 302, 404, 403, 404, 302, 403, 302],
        "terms",
    ),
    (
        "agreement_edit",
        "agreement",
        "post",
        [302, 404, 404, 302, 404, 403, 404, 302, 403, 302],
        "terms",
    ),
    (
        "agreement_transition",
        "agreement",
        "post",
        [302, 404, 404, 302, 404, 403, 404, 302, 403, 302],
        "back",
    ),
    (
        "agreement_confirm",
        "agreement",
        "post",
        [302, 404, 404, 302, 404, 302, 404, 302, 403, 302],
        "seen",
    ),
    (
        "agreement_new_version",
        "signed",
        "post",
        [302, 404, 404, 302, 404, 403, 404, 302, 403, 302],
        None,
    ),
    (
        "agreement_ledger",
        "signed",
        "post",
        [302, 404, 404, 302, 404, 403, 404, 302, 403, 302],
        "ip",
    ),
    (
        "agreement_ledger",
        "signed",
        "post",
        [302, 404, 404, 302, 404, 403, 404, 302, 403, 302],
        "income",
    ),
    (
        "agreement_ledger",
        "signed",
        "post",
        [302, 404, 404, 302, 404, 403, 404, 302, 403, 302],
        "reinvest",
    ),
    # A leader who only follows the project may not staff its partner (they steer none of it).
    (
        "invitation_create",
        None,
        "post",
        [302, 403, 403, 302, 400, 403, 403, 302, 400, 302],
        "invitee",
    ),
    # Agreement documents: added by who steers the project and by a party's partner users,
    # read by every reader of the agreement, removed by the one who added (here the partner)
    # or who steers the project.
    (
        "agreement_document_add",
        "agreement",
        "get",
        [302, 404, 404, 200, 404, 200, 404, 200, 403, 200],
    ),
    (
        "agreement_document_add",
        "agreement",
        "post",
        [302, 404, 404, 302, 404, 302, 404, 302, 403, 302],
        "document",
    ),
    (
        "agreement_document",
        "agreement_document",
        "get",
        [302, 404, 404, 200, 404, 200, 404, 200, 200, 200],
    ),
    (
        "agreement_document",
        "agreement_document",
        "post",
        [302, 405, 405, 405, 405, 405, 405, 405, 405, 405],
    ),
    (
        "agreement_document_delete",
        "agreement_document",
        "get",
        [302, 404, 404, 200, 404, 200, 404, 200, 403, 200],
    ),
    (
        "agreement_document_delete",
        "agreement_document",
        "post",
        [302, 404, 404, 302, 404, 302, 404, 302, 403, 302],
    ),
    # An earlier version stays readable to its parties and the project's leaders only.
    ("agreement_detail", "earlier", "get", [302, 404, 404, 200, 404, 200, 404, 200, 200, 200]),
    ("agreement_ledger", "earlier", "get", [302, 404, 404, 200, 404, 302, 404, 200, 200, 200]),
    (
        "agreement_income_share",
        "earlier",
        "get",
        [302, 404, 404, 302, 404, 200, 404, 302, 302, 302],
    ),
]


def _party_data(index, organisation, share):
    prefix = f"parties-{index}"
    return {
        f"{prefix}-organisation": organisation,
        f"{prefix}-contribution_hours": "10",
        f"{prefix}-contribution_money": "1000",
        f"{prefix}-risk_share": share,
        f"{prefix}-value_share": share,
    }


def _fresh(obj):
    """The object as the database holds it now (a page shows the latest save)."""
    return type(obj).objects.get(pk=obj.pk)


def _data(kind, world):
    """The form a page would post, built from the world as the page shows it."""
    if kind is None:
        return {}
    milestone, done = world["milestone"], world["done"]
    return {
        "plan": lambda: {
            "title": "Ethics approval",
            "due_on": "2027-03-01",
            "responsible_party": "",
            "responsible_leader": "",
            "version": milestone.version,
        },
        "progress": lambda: {"version": milestone.version, "status": "in_progress", "progress": 40},
        "done_version": lambda: {"version": done.version},
        "reopen": lambda: {"version": done.version, "reason": "The report is missing."},
        "terms": lambda: {
            "title": "Joint triage agreement",
            "revision": _fresh(world["agreement"]).revision,
            "parties-TOTAL_FORMS": "2",
            "parties-INITIAL_FORMS": "0",
            **_party_data(0, "", "50"),
            **_party_data(1, world["organisation"].pk, "50"),
        },
        "back": lambda: {"action": "withdraw"},
        "seen": lambda: {"revision": _fresh(world["agreement"]).revision, "may_sign": "on"},
        "ip": lambda: {"form": "ip", "ip-kind": "patent", "ip-title": "Bite sensor"},
        "income": lambda: {
            "form": "income",
            "income-amount": "100.00",
            "income-currency": "SEK",
            "income-received_on": "2026-06-01",
        },
        "reinvest": lambda: {
            "form": "reinvest",
            "reinvest-income": world["income"].pk,
            "reinvest-project": world["project"].pk,
            "reinvest-amount": "10.00",
        },
        "document": lambda: {"file": _pdf("annex.pdf")},
        "invitee": lambda: {
            "email": "new.person@partner.example",
            "first_name": "New",
            "last_name": "Person",
            "organisation": world["organisation"].pk,
            "preferred_language": "en",
        },
    }[kind]()


def _kwargs(kind, world):
    if kind is None:
        return {}
    if kind == "project_pk":
        return {"project_pk": world["project"].pk}
    if kind == "agreement_document":
        document = world["agreement_document"]
        return {"pk": document.agreement_id, "document_pk": document.pk}
    if kind == "bad_token":
        return {"uidb64": "MQ", "token": "abc-123"}
    return {"pk": world[kind].pk}


PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _pdf(name):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


@pytest.fixture
def world(
    project, agreement, milestone, evidence_update, partner_organisation, leader, partner_user
):
    from decimal import Decimal

    from partners.models import Agreement, IncomeEntry, Milestone
    from partners.services.agreement_documents import agreement_document_add
    from partners.services.agreements import agreement_new_version
    from tests.partners.factories import MilestoneFactory, agreement_with_parties

    done = MilestoneFactory(
        project=project, responsible_party=partner_organisation, responsible_leader=leader
    )
    Milestone.objects.filter(pk=done.pk).update(status="done", progress=100, version=2)
    done.refresh_from_db()
    signed = agreement_with_parties(
        partner_organisation, project=project, title="Licence", status=Agreement.Status.SIGNED
    )
    income = IncomeEntry.objects.create(
        agreement=signed, amount=Decimal("500"), received_on="2026-05-01"
    )
    # An earlier version, replaced by a newer one that has been proposed to the same parties.
    earlier = agreement_with_parties(
        partner_organisation, project=project, title="Pilot", status=Agreement.Status.ENDED
    )
    newer = agreement_new_version(agreement=earlier, actor=leader)
    Agreement.objects.filter(pk=newer.pk).update(status=Agreement.Status.PROPOSED)
    return {
        "project": project,
        "agreement": agreement,
        "milestone": milestone,
        "done": done,
        "evidence": evidence_update,
        "organisation": partner_organisation,
        "signed": signed,
        "income": income,
        "earlier": earlier,
        "agreement_document": agreement_document_add(
            agreement=agreement, uploaded=_pdf("contract.pdf"), actor=partner_user
        ),
    }


@pytest.mark.parametrize(
    ("name", "kind", "method", "expected", "data"),
    [(*row, None) if len(row) == 4 else row for row in MATRIX],
    ids=[
        f"{row[0]}-{row[2]}" + (f"-{row[4] or 'valid'}" if len(row) == 5 else "") for row in MATRIX
    ],
)
def test_permission_matrix(client, people, world, name, kind, method, expected, data):
    url = reverse(f"partners:{name}", kwargs=_kwargs(kind, world))
    got = {}
    for role in ROLES:
        # Each role acts on the same world; a savepoint undoes what a POST changed.
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


def test_every_partners_url_is_in_the_matrix():
    from partners.urls import urlpatterns

    assert {pattern.name for pattern in urlpatterns} == {row[0] for row in MATRIX}


@pytest.mark.parametrize("name", ["milestone_detail", "agreement_detail", "evidence_download"])
def test_missing_and_foreign_objects_answer_alike(client, other_partner_user, world, name):
    client.force_login(other_partner_user)
    kind = {"milestone_detail": "milestone", "agreement_detail": "agreement"}.get(name, "evidence")
    foreign = client.get(reverse(f"partners:{name}", kwargs={"pk": world[kind].pk}))
    missing = client.get(reverse(f"partners:{name}", kwargs={"pk": 999_999}))

    assert foreign.status_code == missing.status_code == 404


def test_export_holds_only_milestones_the_person_may_see(
    client, milestone, other_partner_user, partner_user
):
    client.force_login(other_partner_user)
    assert milestone.title not in csv_text(client.get(reverse("partners:milestone_export")))

    client.force_login(partner_user)
    assert milestone.title in csv_text(client.get(reverse("partners:milestone_export")))


def test_draft_agreement_is_not_shown_to_its_partner(client, agreement, partner_user):
    from partners.models import Agreement

    Agreement.objects.filter(pk=agreement.pk).update(status=Agreement.Status.DRAFT)
    client.force_login(partner_user)

    response = client.get(reverse("partners:agreement_detail", kwargs={"pk": agreement.pk}))

    assert response.status_code == 404
