"""The admin keeps the partners app's rules: signed agreements are frozen, milestone plan edits go
through the service (version bumped, history written), the lifecycle (an agreement's status, a
milestone's confirmation) changes only through actions that call the services, nothing with a
history is deleted, and the IP and income ledger is read only."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from core.models import Notification
from partners.models import (
    Agreement,
    IncomeEntry,
    IPItem,
    Milestone,
    MilestoneUpdate,
    Reinvestment,
)
from partners.services.milestones import milestone_update
from tests.admin_actions import confirm_action, messages_of, open_action, run_action
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


# --- Lifecycle through the services, nothing deleted -------------------------------------------

MILESTONES = reverse("admin:partners_milestone_changelist")
AGREEMENTS = reverse("admin:partners_agreement_changelist")


@pytest.fixture
def done_by_partner(milestone, partner_user):
    """The partner has marked the milestone done; its leader is asked to confirm."""
    milestone_update(
        milestone=milestone,
        actor=partner_user,
        expected_version=milestone.version,
        status=Milestone.Status.DONE,
        progress=100,
        comment="Pilot running",
    )
    milestone.refresh_from_db()
    return milestone


def test_confirming_a_milestone_in_the_admin_is_in_its_history(client, admin_user, done_by_partner):
    client.force_login(admin_user)

    response = run_action(client, MILESTONES, "confirm_milestones", [done_by_partner])

    assert response.status_code == 200
    done_by_partner.refresh_from_db()
    assert done_by_partner.confirmed_by == admin_user
    assert done_by_partner.version == 3
    update = done_by_partner.updates.first()
    assert (update.kind, update.author) == (MilestoneUpdate.Kind.CONFIRM, admin_user)


def test_reopening_in_the_admin_tells_the_partner_why(
    client, admin_user, done_by_partner, partner_user
):
    client.force_login(admin_user)

    run_action(
        client, MILESTONES, "reopen_milestones", [done_by_partner], reason="No report attached"
    )

    done_by_partner.refresh_from_db()
    assert done_by_partner.status == Milestone.Status.IN_PROGRESS
    update = done_by_partner.updates.first()
    assert (update.kind, update.author, update.comment) == (
        MilestoneUpdate.Kind.REOPEN,
        admin_user,
        "No report attached",
    )
    assert Notification.objects.filter(recipient=partner_user).count() == 1


def test_confirming_a_milestone_that_is_not_done_shows_the_refusal(client, admin_user, milestone):
    client.force_login(admin_user)

    response = run_action(client, MILESTONES, "confirm_milestones", [milestone])

    assert response.status_code == 200
    assert messages_of(response) == [
        f"{milestone.title}: Only a milestone that is done and not yet confirmed can be confirmed."
    ]
    milestone.refresh_from_db()
    assert (milestone.confirmed_at, milestone.version) == (None, 1)


def test_a_report_made_meanwhile_is_not_confirmed_unseen(
    client, admin_user, done_by_partner, partner_user
):
    client.force_login(admin_user)
    page = open_action(client, MILESTONES, "confirm_milestones", [done_by_partner])
    milestone_update(
        milestone=done_by_partner,
        actor=partner_user,
        expected_version=done_by_partner.version,
        status=Milestone.Status.DONE,
        progress=100,
        comment="One more thing",
    )

    response = confirm_action(client, MILESTONES, page)

    assert any("saved this milestone meanwhile" in text for text in messages_of(response))
    done_by_partner.refresh_from_db()
    assert done_by_partner.confirmed_at is None


def test_a_milestone_is_not_deleted_in_the_admin(client, admin_user, done_by_partner):
    client.force_login(admin_user)
    url = reverse("admin:partners_milestone_delete", args=[done_by_partner.pk])

    assert client.post(url, {"post": "yes"}).status_code == 403

    assert Milestone.objects.filter(pk=done_by_partner.pk).exists()
    assert done_by_partner.updates.exists()
    choices = client.get(MILESTONES).context["action_form"].fields["action"].choices
    assert "delete_selected" not in dict(choices)


def test_a_draft_agreement_and_its_parties_are_not_deleted_in_the_admin(
    client, admin_user, project, partner_organisation
):
    draft = agreement_with_parties(
        partner_organisation, project=project, status=Agreement.Status.DRAFT
    )
    client.force_login(admin_user)
    data = _agreement_form_data(draft)
    data["parties-1-DELETE"] = "on"

    client.post(reverse("admin:partners_agreement_change", args=[draft.pk]), data)
    delete = client.post(
        reverse("admin:partners_agreement_delete", args=[draft.pk]), {"post": "yes"}
    )

    assert delete.status_code == 403
    assert Agreement.objects.filter(pk=draft.pk).exists()
    assert draft.parties.count() == 2


def test_proposing_in_the_admin_asks_the_partners_to_confirm(
    client, admin_user, project, partner_organisation, partner_user
):
    draft = agreement_with_parties(
        partner_organisation, project=project, status=Agreement.Status.DRAFT
    )
    client.force_login(admin_user)

    run_action(client, AGREEMENTS, "change_status", [draft], to_status=Agreement.Status.PROPOSED)

    draft.refresh_from_db()
    assert draft.status == Agreement.Status.PROPOSED and draft.proposed_at is not None
    assert Notification.objects.filter(recipient=partner_user).count() == 1
    record = Agreement.history.filter(id=draft.pk).latest("history_date")
    assert (record.status, record.history_user) == (Agreement.Status.PROPOSED, admin_user)


def test_a_move_the_lifecycle_refuses_is_a_message(
    client, admin_user, project, partner_organisation
):
    draft = agreement_with_parties(
        partner_organisation, project=project, status=Agreement.Status.DRAFT
    )
    client.force_login(admin_user)

    response = run_action(
        client, AGREEMENTS, "change_status", [draft], to_status=Agreement.Status.ENDED
    )

    assert response.status_code == 200
    assert messages_of(response) == [
        f"{draft}: An agreement that is “Draft” cannot become “Ended”."
    ]
    draft.refresh_from_db()
    assert draft.status == Agreement.Status.DRAFT


def test_the_region_confirms_through_the_admin(client, admin_user, agreement):
    client.force_login(admin_user)

    run_action(client, AGREEMENTS, "confirm_for_region", [agreement])

    region_party = agreement.parties.get(organisation__isnull=True)
    assert region_party.confirmed_by == admin_user
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.PROPOSED  # the partner has yet to confirm


def test_an_agreement_changed_meanwhile_is_not_confirmed_unseen(client, admin_user, agreement):
    client.force_login(admin_user)
    page = open_action(client, AGREEMENTS, "confirm_for_region", [agreement])
    agreement.responsibilities = "New terms"
    agreement.save()

    response = confirm_action(client, AGREEMENTS, page)

    assert any("changed after you opened it" in text for text in messages_of(response))
    assert not agreement.parties.filter(confirmed_at__isnull=False).exists()


def test_a_new_version_is_made_through_the_admin(client, admin_user, project, partner_organisation):
    signed = agreement_with_parties(
        partner_organisation, project=project, status=Agreement.Status.SIGNED
    )
    client.force_login(admin_user)

    run_action(client, AGREEMENTS, "new_version", [signed])

    new = Agreement.objects.get(previous_version=signed)
    assert (new.version, new.status, new.created_by) == (2, Agreement.Status.DRAFT, admin_user)


@pytest.fixture
def ledger(project, partner_organisation):
    signed = agreement_with_parties(
        partner_organisation, project=project, status=Agreement.Status.SIGNED
    )
    item = IPItem.objects.create(agreement=signed, kind=IPItem.Kind.LICENCE, title="Licence")
    income = IncomeEntry.objects.create(
        agreement=signed, ip_item=item, amount=Decimal("1000.00"), received_on=date(2026, 1, 5)
    )
    reinvestment = Reinvestment.objects.create(
        income=income, project=project, amount=Decimal("100.00")
    )
    return {"ipitem": item, "incomeentry": income, "reinvestment": reinvestment}


@pytest.mark.parametrize("model_name", ["ipitem", "incomeentry", "reinvestment"])
def test_the_ledger_is_read_only_in_the_admin(client, admin_user, ledger, model_name):
    row = ledger[model_name]
    client.force_login(admin_user)
    change = reverse(f"admin:partners_{model_name}_change", args=[row.pk])

    page = client.get(change)
    posted = client.post(change, {"amount": "1.00", "title": "Changed"})
    delete = client.post(
        reverse(f"admin:partners_{model_name}_delete", args=[row.pk]), {"post": "yes"}
    )
    add = client.get(reverse(f"admin:partners_{model_name}_add"))

    assert page.status_code == 200 and 'name="amount"' not in page.content.decode()
    assert (posted.status_code, delete.status_code, add.status_code) == (403, 403, 403)
    assert type(row).objects.get(pk=row.pk).updated_at == row.updated_at
