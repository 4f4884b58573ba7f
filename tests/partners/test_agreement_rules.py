"""What an agreement needs before it is proposed, what a partner reads and states before it
confirms, and which organisations the agreement form offers."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from clinics.access import access_for
from partners.access import organisations_choosable_for_agreement
from partners.models import Agreement
from partners.services.agreements import agreement_transition
from tests.clinics.factories import ClinicFactory
from tests.partners.factories import PartnerOrganisationFactory, agreement_with_parties
from tests.portfolio.factories import ProjectFactory

pytestmark = pytest.mark.django_db

S = Agreement.Status


@pytest.fixture
def draft(project, partner_organisation):
    return agreement_with_parties(partner_organisation, project=project, status=S.DRAFT)


def _propose(agreement, leader):
    return agreement_transition(agreement=agreement, actor=leader, to_status=S.PROPOSED)


@pytest.mark.parametrize("missing", ["starts_on", "ends_on"])
def test_an_agreement_without_a_term_cannot_be_proposed(draft, leader, missing):
    Agreement.objects.filter(pk=draft.pk).update(**{missing: None})
    draft.refresh_from_db()

    with pytest.raises(ValidationError) as excinfo:
        _propose(draft, leader)

    assert excinfo.value.error_dict[missing][0].code == "no_term"
    draft.refresh_from_db()
    assert draft.status == S.DRAFT


def test_a_party_that_contributes_nothing_cannot_be_proposed(draft, leader, partner_organisation):
    draft.parties.filter(organisation=partner_organisation).update(
        contribution_hours=Decimal(0),
        contribution_money=Decimal(0),
        contribution_knowledge="  ",
        contribution_in_kind="",
    )

    with pytest.raises(ValidationError) as excinfo:
        _propose(draft, leader)

    errors = excinfo.value.error_dict["__all__"]
    assert [error.code for error in errors] == ["no_contribution"]
    assert partner_organisation.name in errors[0].message % errors[0].params
    draft.refresh_from_db()
    assert draft.status == S.DRAFT


def test_knowledge_alone_is_a_contribution(draft, leader, partner_organisation):
    draft.parties.filter(organisation=partner_organisation).update(
        contribution_hours=Decimal(0), contribution_knowledge="Triage algorithms"
    )

    assert _propose(draft, leader).status == S.PROPOSED


def test_the_page_shows_why_a_proposal_is_refused(client, draft, leader):
    Agreement.objects.filter(pk=draft.pk).update(ends_on=None)
    client.force_login(leader)

    response = client.post(
        reverse("partners:agreement_transition", args=[draft.pk]),
        {"action": "propose"},
        follow=True,
    )

    assert "Give the last day of the term" in response.content.decode()


def test_a_partner_reads_its_commitments_and_must_state_it_may_sign(
    client, agreement, partner_user, partner_organisation
):
    party = agreement.parties.get(organisation=partner_organisation)
    party.responsibilities = "Deliver the triage software"
    party.save()
    client.force_login(partner_user)
    url = reverse("partners:agreement_detail", args=[agreement.pk])

    html = client.get(url).content.decode()

    assert 'data-testid="commitment-summary"' in html
    assert "Deliver the triage software" in html
    assert 'name="may_sign"' in html

    response = client.post(
        reverse("partners:agreement_confirm", args=[agreement.pk]),
        {"revision": agreement.revision},
    )

    assert response.status_code == 400
    assert "Tick that you may sign for your party" in response.content.decode()
    assert not agreement.parties.filter(confirmed_at__isnull=False).exists()

    response = client.post(
        reverse("partners:agreement_confirm", args=[agreement.pk]),
        {"revision": agreement.revision, "may_sign": "on"},
    )

    assert response.status_code == 302
    party.refresh_from_db()
    assert party.confirmed_by == partner_user


def test_the_agreement_form_offers_only_organisations_of_the_leaders_region(
    client, project, agreement, partner_organisation, leader, other_region, region
):
    # Party to an agreement of another project of the leader's region: offered.
    neighbour = PartnerOrganisationFactory(name="Neighbour AB")
    agreement_with_parties(neighbour, project=ProjectFactory(lead_clinic__region=region))
    # Party only to an agreement of another region: not offered.
    foreign = PartnerOrganisationFactory(name="Foreign A/S")
    agreement_with_parties(
        foreign, project=ProjectFactory(lead_clinic=ClinicFactory(region=other_region))
    )
    # Party to nothing yet (a new partner): offered, it belongs to no region yet.
    newcomer = PartnerOrganisationFactory(name="Newcomer Oy")

    choosable = organisations_choosable_for_agreement(access_for(leader), project)

    assert set(choosable) == {partner_organisation, neighbour, newcomer}
    client.force_login(leader)
    html = client.get(reverse("partners:agreement_create", args=[project.pk])).content.decode()
    assert "Neighbour AB" in html and "Newcomer Oy" in html
    assert "Foreign A/S" not in html


def test_a_forged_foreign_organisation_is_refused(client, project, leader, other_region):
    foreign = PartnerOrganisationFactory(name="Foreign A/S")
    agreement_with_parties(
        foreign, project=ProjectFactory(lead_clinic=ClinicFactory(region=other_region))
    )
    client.force_login(leader)
    data = {
        "title": "Forged",
        "responsibilities": "",
        "starts_on": "2026-01-01",
        "ends_on": "2027-12-31",
        "parties-TOTAL_FORMS": "2",
        "parties-INITIAL_FORMS": "0",
        "parties-MIN_NUM_FORMS": "0",
        "parties-MAX_NUM_FORMS": "1000",
    }
    for index, organisation in enumerate(["", str(foreign.pk)]):
        data.update(
            {
                f"parties-{index}-organisation": organisation,
                f"parties-{index}-contribution_hours": "10",
                f"parties-{index}-contribution_money": "0",
                f"parties-{index}-risk_share": "50",
                f"parties-{index}-value_share": "50",
            }
        )

    response = client.post(reverse("partners:agreement_create", args=[project.pk]), data)

    assert response.status_code == 400
    assert not Agreement.objects.filter(title="Forged").exists()
