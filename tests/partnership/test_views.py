"""The partnership pages with bad and stale input: the error next to the field, nothing typed
lost, 409 with the current values for a stale edit, and what a gate decision shows."""

import pytest
from django.urls import reverse

from core.models import Notification
from partnership.models import GateDecision, Instalment, Phase

pytestmark = pytest.mark.django_db


def test_an_instalment_beyond_the_ceiling_is_refused_next_to_the_amount(
    client, leader, phase, target, partner_organisation, instalment
):
    client.force_login(leader)
    response = client.post(
        reverse("partnership:phase_instalment_create", kwargs={"pk": phase.pk}),
        {
            "organisation": partner_organisation.pk,
            "target": target.pk,
            "amount": "6000.50",
            "planned_on": "2026-05-01",
        },
    )

    assert response.status_code == 400
    form = response.context["form"]
    assert "budget ceiling" in form.errors["amount"][0]
    assert form["amount"].value() == "6000.50"
    assert Instalment.objects.count() == 1


def test_a_negative_amount_is_refused_by_the_form(
    client, leader, phase, target, partner_organisation
):
    client.force_login(leader)
    response = client.post(
        reverse("partnership:phase_instalment_create", kwargs={"pk": phase.pk}),
        {
            "organisation": partner_organisation.pk,
            "target": target.pk,
            "amount": "-5",
            "planned_on": "2026-05-01",
        },
    )
    assert response.status_code == 400 and "amount" in response.context["form"].errors


def test_a_stale_phase_edit_answers_409_with_the_current_values(client, leader, phase):
    client.force_login(leader)
    url = reverse("partnership:phase_edit", kwargs={"pk": phase.pk})
    budgets = {f"ceiling_{b.organisation_id}": str(b.ceiling) for b in phase.budgets.all()}
    base = {"starts_on": "2026-01-01", "ends_on": "2026-06-30", "currency": "SEK", **budgets}
    assert client.post(url, {**base, "name": "First", "version": phase.version}).status_code == 302

    response = client.post(url, {**base, "name": "Second", "version": phase.version})

    assert response.status_code == 409
    assert "First" in response.content.decode()  # the current values
    assert response.context["form"]["name"].value() == "Second"  # what was typed
    assert Phase.objects.get(pk=phase.pk).name == "First"


def test_a_refused_transition_is_shown_next_to_the_instalment(client, leader, instalment):
    client.force_login(leader)
    response = client.post(
        reverse("partnership:instalment_transition", kwargs={"pk": instalment.pk}),
        {"status": "paid", "version": instalment.version},
    )
    assert response.status_code == 400
    assert "cannot become" in response.content.decode()
    assert Instalment.objects.get(pk=instalment.pk).status == "planned"


def test_a_stale_transition_answers_409(client, leader, instalment):
    client.force_login(leader)
    url = reverse("partnership:instalment_transition", kwargs={"pk": instalment.pk})
    assert client.post(url, {"status": "due", "version": 1}).status_code == 302
    assert client.post(url, {"status": "cancelled", "version": 1}).status_code == 409


def test_the_gate_form_asks_for_conditions_next_to_the_partner(
    client, leader, phase, partner_organisation, co_partner_organisation
):
    client.force_login(leader)
    response = client.post(
        reverse("partnership:gate_decide", kwargs={"pk": phase.pk}),
        {
            "note": "Decided.",
            f"outcome_{partner_organisation.pk}": "conditions",
            f"note_{partner_organisation.pk}": "",
            f"outcome_{co_partner_organisation.pk}": "go",
        },
    )
    assert response.status_code == 400
    assert response.context["form"].errors[f"note_{partner_organisation.pk}"]
    assert not GateDecision.objects.exists()


def test_a_no_go_through_the_page_cuts_the_partner_and_tells_the_parties(
    client,
    leader,
    phase,
    partner_organisation,
    co_partner_organisation,
    partner_user,
    co_partner_user,
    instalment,
    partner_milestone,
):
    client.force_login(leader)
    response = client.post(
        reverse("partnership:gate_decide", kwargs={"pk": phase.pk}),
        {
            "note": "The medtech prototype is cut.",
            f"outcome_{partner_organisation.pk}": "no_go",
            f"note_{partner_organisation.pk}": "Not met.",
            f"outcome_{co_partner_organisation.pk}": "go",
        },
    )
    assert response.status_code == 302
    assert Instalment.objects.get(pk=instalment.pk).status == "cancelled"
    partner_milestone.refresh_from_db()
    assert partner_milestone.status == "blocked"
    assert Notification.objects.filter(recipient=partner_user).exists()
    assert Notification.objects.filter(recipient=co_partner_user).exists()

    # A correction is a new decision that refers to the first one.
    page = client.get(reverse("partnership:gate_decide", kwargs={"pk": phase.pk}))
    assert page.context["corrects"] == GateDecision.objects.get()


def test_partners_see_targets_met_but_not_the_regions_indicator_values(
    client, leader, partner_user, phase, target, partner_organisation, co_partner_organisation
):
    from partnership.services.gates import PartnerOutcome, gate_decide
    from tests.portfolio.factories import ValueIndicatorFactory

    indicator = ValueIndicatorFactory(project=phase.agreement.project, name="Triage time saved")
    target.indicators.add(indicator)
    gate_decide(
        phase=phase,
        actor=leader,
        note="Go.",
        outcomes={
            partner_organisation.pk: PartnerOutcome("go"),
            co_partner_organisation.pk: PartnerOutcome("go"),
        },
    )
    url = reverse("partnership:phase_detail", kwargs={"pk": phase.pk})

    client.force_login(leader)
    assert "Triage time saved" in client.get(url).content.decode()
    client.force_login(partner_user)
    page = client.get(url).content.decode()
    assert target.description in page and "Triage time saved" not in page
