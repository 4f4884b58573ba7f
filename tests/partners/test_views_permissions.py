"""Every partners URL and every attachment download × every role → the status each must get.

"Not allowed" and "does not exist" both answer 404 for objects; a visible object's action the
role may not take, or a page of another role, answers 403; anonymous people go to the login.
"""

import pytest
from django.db import transaction
from django.urls import reverse

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "staff",
    "other_clinic_staff",
    "leader",
    "other_region_leader",
    "partner",
    "other_partner",
]

# (url name, kwargs from the world, method, expected status per role in ROLES order)
MATRIX = [
    ("home", None, "get", [302, 403, 403, 403, 403, 200, 200]),
    ("project_detail", "project", "get", [302, 200, 404, 200, 404, 200, 404]),
    ("milestone_create", "project_pk", "get", [302, 403, 404, 200, 404, 403, 404]),
    ("agreement_create", "project_pk", "get", [302, 403, 404, 200, 404, 403, 404]),
    ("milestone_export", None, "get", [302, 200, 200, 200, 200, 200, 200]),
    ("milestone_detail", "milestone", "get", [302, 200, 404, 200, 404, 200, 404]),
    ("milestone_detail", "milestone", "post", [302, 403, 404, 400, 404, 400, 404]),
    ("milestone_edit", "milestone", "get", [302, 403, 404, 200, 404, 403, 404]),
    ("milestone_confirm", "milestone", "post", [302, 403, 404, 302, 404, 403, 404]),
    ("milestone_reopen", "milestone", "post", [302, 403, 404, 400, 404, 403, 404]),
    ("evidence_download", "evidence", "get", [302, 200, 404, 200, 404, 200, 404]),
    ("agreement_detail", "agreement", "get", [302, 404, 404, 200, 404, 200, 404]),
    ("agreement_edit", "agreement", "get", [302, 404, 404, 200, 404, 403, 404]),
    ("agreement_transition", "agreement", "post", [302, 404, 404, 302, 404, 403, 404]),
    ("agreement_confirm", "agreement", "post", [302, 404, 404, 302, 404, 302, 404]),
    ("agreement_new_version", "agreement", "post", [302, 404, 404, 302, 404, 403, 404]),
    ("agreement_ledger", "agreement", "get", [302, 404, 404, 200, 404, 403, 404]),
    ("organisation_list", None, "get", [302, 403, 403, 200, 200, 403, 403]),
    ("organisation_detail", "organisation", "get", [302, 403, 403, 200, 404, 403, 403]),
    ("invitation_create", None, "get", [302, 403, 403, 200, 200, 403, 403]),
    ("invitation_accept", "bad_token", "get", [410, 410, 410, 410, 410, 410, 410]),
]


def _kwargs(kind, world):
    if kind is None:
        return {}
    if kind == "project_pk":
        return {"project_pk": world["project"].pk}
    if kind == "bad_token":
        return {"uidb64": "MQ", "token": "abc-123"}
    return {"pk": world[kind].pk}


@pytest.fixture
def world(project, agreement, milestone, evidence_update, partner_organisation):
    return {
        "project": project,
        "agreement": agreement,
        "milestone": milestone,
        "evidence": evidence_update,
        "organisation": partner_organisation,
    }


@pytest.mark.parametrize(
    ("name", "kind", "method", "expected"),
    MATRIX,
    ids=[f"{row[0]}-{row[2]}" for row in MATRIX],
)
def test_permission_matrix(client, people, world, name, kind, method, expected):
    url = reverse(f"partners:{name}", kwargs=_kwargs(kind, world))
    got = {}
    for role in ROLES:
        # Each role acts on the same world; a savepoint undoes what a POST changed.
        with transaction.atomic():
            client.logout()
            if people[role] is not None:
                client.force_login(people[role])
            response = getattr(client, method)(url)
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
    assert milestone.title not in client.get(reverse("partners:milestone_export")).content.decode()

    client.force_login(partner_user)
    assert milestone.title in client.get(reverse("partners:milestone_export")).content.decode()


def test_draft_agreement_is_not_shown_to_its_partner(client, agreement, partner_user):
    from partners.models import Agreement

    Agreement.objects.filter(pk=agreement.pk).update(status=Agreement.Status.DRAFT)
    client.force_login(partner_user)

    response = client.get(reverse("partners:agreement_detail", kwargs={"pk": agreement.pk}))

    assert response.status_code == 404
