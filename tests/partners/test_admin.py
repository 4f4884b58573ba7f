"""The admin keeps the partners app's rules: signed agreements are frozen, milestone plan edits go
through the service (version bumped, history written)."""

import pytest
from django.urls import reverse

from partners.models import Agreement, Milestone, MilestoneUpdate
from tests.partners.factories import agreement_with_parties

pytestmark = pytest.mark.django_db


def _agreement_form_data(agreement, **changes):
    parties = list(agreement.parties.order_by("pk"))
    data = {
        "title": agreement.title,
        "project": agreement.project_id,
        "responsibilities": agreement.responsibilities,
        "starts_on": "",
        "ends_on": "",
        "created_by": agreement.created_by_id,
        "parties-TOTAL_FORMS": str(len(parties)),
        "parties-INITIAL_FORMS": str(len(parties)),
        "parties-MIN_NUM_FORMS": "0",
        "parties-MAX_NUM_FORMS": "1000",
    }
    for index, party in enumerate(parties):
        data |= {
            f"parties-{index}-id": party.pk,
            f"parties-{index}-agreement": agreement.pk,
            f"parties-{index}-organisation": party.organisation_id or "",
            f"parties-{index}-contribution_hours": "999",
            f"parties-{index}-contribution_money": "0",
            f"parties-{index}-risk_share": party.risk_share,
            f"parties-{index}-value_share": party.value_share,
        }
    return data | changes


def test_a_signed_agreement_and_its_parties_are_read_only_in_the_admin(
    client, admin_user, project, partner_organisation
):
    signed = agreement_with_parties(
        partner_organisation, project=project, status=Agreement.Status.SIGNED
    )
    client.force_login(admin_user)
    url = reverse("admin:partners_agreement_change", args=[signed.pk])

    page = client.get(url).content.decode()
    client.post(url, _agreement_form_data(signed, title="Changed behind the parties' backs"))

    assert 'name="title"' not in page and 'name="parties-0-risk_share"' not in page
    signed.refresh_from_db()
    assert signed.title != "Changed behind the parties' backs"
    assert all(party.contribution_hours != 999 for party in signed.parties.all())
    assert (
        client.post(
            reverse("admin:partners_agreement_delete", args=[signed.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    assert Agreement.objects.filter(pk=signed.pk).exists()


def test_a_draft_is_editable_in_the_admin_but_not_its_lifecycle(
    client, admin_user, project, partner_organisation
):
    draft = agreement_with_parties(
        partner_organisation, project=project, status=Agreement.Status.DRAFT
    )
    client.force_login(admin_user)
    url = reverse("admin:partners_agreement_change", args=[draft.pk])

    response = client.post(url, _agreement_form_data(draft, title="Fixed typo", status="signed"))

    assert response.status_code == 302, response.content[:2000]
    draft.refresh_from_db()
    assert (draft.title, draft.status) == ("Fixed typo", Agreement.Status.DRAFT)


def _milestone_form_data(milestone, **changes):
    data = {
        "title": milestone.title,
        "description": milestone.description,
        "responsible_party": milestone.responsible_party_id or "",
        "responsible_leader": milestone.responsible_leader_id or "",
        "due_on": milestone.due_on.isoformat(),
        "loaded_version": milestone.version,
        "updates-TOTAL_FORMS": "0",
        "updates-INITIAL_FORMS": "0",
        "updates-MIN_NUM_FORMS": "0",
        "updates-MAX_NUM_FORMS": "1000",
    }
    return data | changes


def test_a_milestone_edit_in_the_admin_bumps_the_version_and_is_in_the_history(
    client, admin_user, milestone
):
    client.force_login(admin_user)
    url = reverse("admin:partners_milestone_change", args=[milestone.pk])

    response = client.post(
        url, _milestone_form_data(milestone, title="Pilot starts in May", progress=99)
    )

    assert response.status_code == 302, response.content[:2000]
    milestone.refresh_from_db()
    assert (milestone.title, milestone.version, milestone.progress) == (
        "Pilot starts in May",
        2,
        0,  # progress is the partners' to report, not the admin's
    )
    update = MilestoneUpdate.objects.get(milestone=milestone)
    assert update.author == admin_user
    assert update.changes == {"title": ["Pilot starts at the clinic", "Pilot starts in May"]}


def test_a_stale_milestone_edit_in_the_admin_is_refused(client, admin_user, milestone):
    client.force_login(admin_user)
    Milestone.objects.filter(pk=milestone.pk).update(version=2)

    response = client.post(
        reverse("admin:partners_milestone_change", args=[milestone.pk]),
        _milestone_form_data(milestone, title="Overwrites someone", loaded_version=1),
    )

    assert response.status_code == 200
    assert "Someone else saved this milestone meanwhile" in response.content.decode()
    milestone.refresh_from_db()
    assert milestone.title == "Pilot starts at the clinic"
    assert not MilestoneUpdate.objects.exists()


def test_a_foreign_responsible_party_is_refused_in_the_admin(
    client, admin_user, milestone, other_partner_organisation
):
    client.force_login(admin_user)

    response = client.post(
        reverse("admin:partners_milestone_change", args=[milestone.pk]),
        _milestone_form_data(milestone, responsible_party=other_partner_organisation.pk),
    )

    assert response.status_code == 200
    assert "must be party to the project" in response.content.decode()
    milestone.refresh_from_db()
    assert milestone.responsible_party_id != other_partner_organisation.pk
