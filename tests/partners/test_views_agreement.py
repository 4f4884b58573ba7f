from decimal import Decimal

import pytest
from django.urls import reverse

from partners.models import Agreement, AgreementParty
from partners.services.agreements import agreement_confirm, agreement_new_version
from tests.partners.factories import agreement_with_parties

pytestmark = pytest.mark.django_db

S = Agreement.Status


def _party(prefix, organisation="", risk="50", value="50", **extra):
    data = {
        f"{prefix}-organisation": organisation,
        f"{prefix}-contribution_hours": "100",
        f"{prefix}-contribution_money": "25000",
        f"{prefix}-contribution_knowledge": "",
        f"{prefix}-contribution_in_kind": "",
        f"{prefix}-risk_share": risk,
        f"{prefix}-value_share": value,
        f"{prefix}-responsibilities": "",
    }
    data.update({f"{prefix}-{k}": v for k, v in extra.items()})
    return data


def _post_data(parties, title="Joint triage agreement"):
    data = {
        "title": title,
        "responsibilities": "Run the pilot together",
        "starts_on": "2026-01-01",
        "ends_on": "2027-12-31",
        "parties-TOTAL_FORMS": str(len(parties)),
        "parties-INITIAL_FORMS": "1",
        "parties-MIN_NUM_FORMS": "0",
        "parties-MAX_NUM_FORMS": "1000",
    }
    for index, party in enumerate(parties):
        data.update(_party(f"parties-{index}", **party))
    return data


def _create_url(project):
    return reverse("partners:agreement_create", kwargs={"project_pk": project.pk})


def test_leader_creates_a_draft_agreement_with_parties(
    client, project, leader, partner_organisation
):
    client.force_login(leader)

    response = client.post(
        _create_url(project),
        _post_data(
            [
                {"risk": "40", "value": "70"},
                {"organisation": partner_organisation.pk, "risk": "60", "value": "30"},
            ]
        ),
    )

    assert response.status_code == 302
    agreement = Agreement.objects.get(title="Joint triage agreement")
    assert agreement.status == S.DRAFT
    shares = {(p.organisation_id, p.risk_share, p.value_share) for p in agreement.parties.all()}
    assert shares == {
        (None, Decimal("40"), Decimal("70")),
        (partner_organisation.pk, Decimal("60"), Decimal("30")),
    }


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "The shares of risk must sum to 100 %"),
        ("sv", "Andelarna av risk måste tillsammans bli 100 %"),
        ("da", "Andelene af risiko skal tilsammen give 100 %"),
    ],
)
def test_shares_that_do_not_sum_to_100_are_refused_with_a_translated_error(
    client, project, leader, partner_organisation, language, message
):
    leader.preferred_language = language
    leader.save()
    client.force_login(leader)

    response = client.post(
        _create_url(project),
        _post_data(
            [
                {"risk": "40", "value": "50"},
                {"organisation": partner_organisation.pk, "risk": "50", "value": "50"},
            ]
        ),
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert "Joint triage agreement" in page  # what was typed is kept
    assert not Agreement.objects.filter(title="Joint triage agreement").exists()


@pytest.mark.parametrize(
    "parties",
    [
        [{"risk": "100", "value": "100"}],  # no partner
        [{"risk": "50", "value": "50"}, {"risk": "50", "value": "50"}],  # region twice
        [{"risk": "abc", "value": "50"}, {"risk": "50", "value": "50"}],
        [{"risk": "150", "value": "50"}, {"risk": "-50", "value": "50"}],
    ],
)
def test_bad_parties_are_refused_without_a_500(client, project, leader, parties):
    client.force_login(leader)

    response = client.post(_create_url(project), _post_data(parties))

    assert response.status_code == 400
    assert not Agreement.objects.filter(project=project, title="Joint triage agreement").exists()


def test_same_organisation_twice_is_refused(client, project, leader, partner_organisation):
    client.force_login(leader)
    org = partner_organisation.pk

    response = client.post(
        _create_url(project),
        _post_data(
            [
                {"risk": "20", "value": "20"},
                {"organisation": org, "risk": "40", "value": "40"},
                {"organisation": org, "risk": "40", "value": "40"},
            ]
        ),
    )

    assert response.status_code == 400
    assert "only once" in response.content.decode()


def _confirm_data(agreement):
    """What the agreement page posts: the agreement as the person saw it."""
    return {"revision": agreement.revision, "may_sign": "on"}


def test_every_party_confirms_and_the_agreement_is_signed(client, agreement, partner_user, leader):
    client.force_login(partner_user)
    response = client.post(
        reverse("partners:agreement_confirm", kwargs={"pk": agreement.pk}),
        _confirm_data(agreement),
    )
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.status == S.PROPOSED  # the region has not confirmed yet

    agreement_confirm(agreement=agreement, actor=leader, expected_revision=agreement.revision)

    agreement.refresh_from_db()
    assert agreement.status == S.SIGNED and agreement.signed_at is not None
    party = agreement.parties.get(organisation=partner_user.partner_membership.organisation)
    assert party.confirmed_by == partner_user


def test_partner_cannot_confirm_twice(agreement, partner_user):
    from django.core.exceptions import ValidationError

    agreement_confirm(agreement=agreement, actor=partner_user, expected_revision=agreement.revision)
    with pytest.raises(ValidationError):
        agreement_confirm(
            agreement=agreement, actor=partner_user, expected_revision=agreement.revision
        )


def test_signed_agreement_changes_only_through_a_new_version(
    client, project, leader, partner_organisation
):
    signed = agreement_with_parties(partner_organisation, project=project, status=S.SIGNED)
    client.force_login(leader)

    edit = client.post(
        reverse("partners:agreement_edit", kwargs={"pk": signed.pk}),
        _post_data([{"risk": "10", "value": "10"}, {"organisation": partner_organisation.pk}]),
    )
    assert edit.status_code == 302
    signed.refresh_from_db()
    assert signed.status == S.SIGNED
    assert {p.risk_share for p in signed.parties.all()} == {Decimal("50")}

    response = client.post(reverse("partners:agreement_new_version", kwargs={"pk": signed.pk}))

    new = Agreement.objects.get(previous_version=signed)
    assert response.status_code == 302
    assert (new.version, new.status, new.title) == (2, S.DRAFT, signed.title)
    assert new.parties.count() == 2
    assert not new.parties.filter(confirmed_at__isnull=False).exists()
    # The earlier version stays readable, and links to the new one.
    page = client.get(reverse("partners:agreement_detail", kwargs={"pk": signed.pk}))
    assert page.status_code == 200
    assert reverse("partners:agreement_detail", kwargs={"pk": new.pk}) in page.content.decode()


def test_only_one_newer_version(leader, partner_organisation, project):
    from django.core.exceptions import ValidationError

    signed = agreement_with_parties(partner_organisation, project=project, status=S.SIGNED)
    agreement_new_version(agreement=signed, actor=leader)

    with pytest.raises(ValidationError):
        agreement_new_version(agreement=signed, actor=leader)


def test_editing_a_proposed_agreement_returns_it_to_draft(
    client, agreement, leader, partner_organisation, partner_user
):
    agreement_confirm(agreement=agreement, actor=partner_user, expected_revision=agreement.revision)
    client.force_login(leader)
    edit_url = reverse("partners:agreement_edit", kwargs={"pk": agreement.pk})
    loaded = client.get(edit_url).context["form"]["revision"].value()

    data = _post_data(
        [
            {"risk": "30", "value": "30"},
            {"organisation": partner_organisation.pk, "risk": "70", "value": "70"},
        ],
        title=agreement.title,
    )
    data["parties-INITIAL_FORMS"] = "2"
    data["revision"] = loaded
    response = client.post(edit_url, data)

    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.status == S.DRAFT
    assert not AgreementParty.objects.filter(agreement=agreement, confirmed_at__isnull=False)


def test_leader_proposes_and_partner_is_notified(client, project, leader, partner_organisation):
    from core.models import Notification
    from partners.services.agreements import agreement_transition
    from tests.partners.factories import PartnerUserFactory

    draft = agreement_with_parties(partner_organisation, project=project, status=S.DRAFT)
    member = PartnerUserFactory(organisation=partner_organisation)

    agreement_transition(agreement=draft, actor=leader, to_status=S.PROPOSED)

    draft.refresh_from_db()
    assert draft.status == S.PROPOSED and draft.proposed_at is not None
    assert Notification.objects.filter(recipient=member).exists()


def test_unknown_transition_is_refused_without_a_500(client, agreement, leader):
    client.force_login(leader)

    response = client.post(
        reverse("partners:agreement_transition", kwargs={"pk": agreement.pk}), {"action": "sign"}
    )

    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.status == S.PROPOSED


def test_stale_agreement_edit_is_refused_and_keeps_the_input(
    client, project, leader, partner_organisation
):
    from django.db.models import F

    draft = agreement_with_parties(partner_organisation, project=project, status=S.DRAFT)
    client.force_login(leader)
    edit_url = reverse("partners:agreement_edit", kwargs={"pk": draft.pk})
    loaded = client.get(edit_url).context["form"]["revision"].value()
    # Someone else saves meanwhile.
    Agreement.objects.filter(pk=draft.pk).update(
        responsibilities="Changed by a colleague", revision=F("revision") + 1
    )
    data = _post_data(
        [
            {"risk": "30", "value": "30"},
            {"organisation": partner_organisation.pk, "risk": "70", "value": "70"},
        ],
        title="My new title",
    )
    data["parties-INITIAL_FORMS"] = "2"
    data["revision"] = loaded

    response = client.post(edit_url, data)

    assert response.status_code == 400
    assert "Someone else changed this agreement" in response.content.decode()
    assert "My new title" in response.content.decode()
    draft.refresh_from_db()
    assert draft.responsibilities == "Changed by a colleague" and draft.title != "My new title"


def test_a_double_confirmation_confirms_once(client, agreement, partner_user):
    client.force_login(partner_user)
    url = reverse("partners:agreement_confirm", kwargs={"pk": agreement.pk})

    client.post(url, _confirm_data(agreement))
    second = client.post(url, _confirm_data(agreement), follow=True)

    assert "already confirmed" in second.content.decode()
    assert agreement.parties.filter(confirmed_by=partner_user).count() == 1


def test_confirming_an_agreement_that_changed_meanwhile_is_refused(
    client, agreement, partner_user, leader
):
    from partners.services.agreements import _party_dicts, agreement_edit, agreement_transition

    client.force_login(partner_user)
    url = reverse("partners:agreement_confirm", kwargs={"pk": agreement.pk})
    seen = _confirm_data(agreement)  # the partner reads the proposed agreement ...
    # ... meanwhile the leader changes the terms and proposes them again.
    parties = _party_dicts(agreement)
    agreement_edit(
        agreement=agreement,
        actor=leader,
        parties=parties,
        expected_revision=agreement.revision,
        title="New terms",
    )
    agreement_transition(agreement=agreement, actor=leader, to_status=S.PROPOSED)

    response = client.post(url, seen)

    assert response.status_code == 409
    page = response.content.decode()
    assert "The agreement changed after you opened it" in page
    assert "New terms" in page  # the page shows the agreement as it is now
    assert not AgreementParty.objects.filter(
        agreement=agreement, confirmed_at__isnull=False
    ).exists()
    agreement.refresh_from_db()
    assert client.post(url, _confirm_data(agreement)).status_code == 302
    assert AgreementParty.objects.filter(agreement=agreement, confirmed_by=partner_user).exists()


def test_confirming_without_the_page_state_is_a_400(client, agreement, partner_user):
    client.force_login(partner_user)

    response = client.post(
        reverse("partners:agreement_confirm", kwargs={"pk": agreement.pk}), {"revision": ""}
    )

    assert response.status_code == 400
    assert "The page was out of date" in response.content.decode()
    assert not agreement.parties.filter(confirmed_at__isnull=False).exists()


def test_signing_a_new_version_ends_the_previous_one(
    client, project, partner_organisation, partner_user, leader
):
    v1 = agreement_with_parties(partner_organisation, project=project, status=S.ACTIVE)
    v2 = agreement_new_version(agreement=v1, actor=leader)
    from partners.services.agreements import agreement_transition

    agreement_transition(agreement=v2, actor=leader, to_status=S.PROPOSED)
    v2.refresh_from_db()
    agreement_confirm(agreement=v2, actor=leader, expected_revision=v2.revision)
    v1.refresh_from_db()
    assert v1.status == S.ACTIVE  # still in force until every party has signed v2

    client.force_login(partner_user)
    response = client.post(
        reverse("partners:agreement_confirm", kwargs={"pk": v2.pk}), _confirm_data(v2)
    )

    assert response.status_code == 302
    v1.refresh_from_db()
    v2.refresh_from_db()
    assert (v1.status, v2.status) == (S.ENDED, S.SIGNED)
    # The earlier version stays readable to a party that was in it.
    old = client.get(reverse("partners:agreement_detail", kwargs={"pk": v1.pk}))
    assert old.status_code == 200
    assert "Version 2" in old.content.decode()


@pytest.mark.parametrize("field", ["contribution_hours", "contribution_money"])
def test_negative_contributions_are_a_field_error_with_the_input_kept(
    client, project, leader, partner_organisation, field
):
    client.force_login(leader)

    response = client.post(
        _create_url(project),
        _post_data(
            [
                {"risk": "50", "value": "50", field: "-5"},
                {"organisation": partner_organisation.pk, "risk": "50", "value": "50"},
            ],
            title="Kept title",
        ),
    )

    assert response.status_code == 400
    party_form = response.context["formset"].forms[0]
    assert "greater than or equal to 0" in " ".join(party_form.errors[field])
    page = response.content.decode()
    assert "Constraint" not in page and "not_negative" not in page
    assert 'value="-5"' in page and "Kept title" in page
    assert not Agreement.objects.filter(title="Kept title").exists()
