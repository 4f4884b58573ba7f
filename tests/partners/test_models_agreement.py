from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction

from partners.models import Agreement, AgreementParty
from tests.partners.factories import (
    AgreementFactory,
    AgreementPartyFactory,
    PartnerOrganisationFactory,
    agreement_with_parties,
)

pytestmark = pytest.mark.django_db(transaction=True)


def _propose(agreement):
    agreement.status = Agreement.Status.PROPOSED
    agreement.save()


def test_proposing_agreement_whose_shares_sum_to_100_is_accepted():
    agreement = AgreementFactory()
    AgreementPartyFactory(agreement=agreement, organisation=None, risk_share=40, value_share=70)
    AgreementPartyFactory(agreement=agreement, risk_share=60, value_share=30)

    _propose(agreement)

    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.PROPOSED


@pytest.mark.parametrize(("risk", "value"), [(60, 50), (50, 40), (0, 0)])
def test_database_refuses_to_propose_agreement_whose_shares_do_not_sum_to_100(risk, value):
    agreement = AgreementFactory()
    AgreementPartyFactory(agreement=agreement, organisation=None, risk_share=50, value_share=50)
    AgreementPartyFactory(agreement=agreement, risk_share=risk, value_share=value)

    with pytest.raises(IntegrityError), transaction.atomic():
        _propose(agreement)

    assert Agreement.objects.get(pk=agreement.pk).status == Agreement.Status.DRAFT


def test_database_refuses_party_change_that_breaks_the_sum_of_a_proposed_agreement():
    agreement = agreement_with_parties(PartnerOrganisationFactory())
    party = agreement.parties.exclude(organisation=None).get()

    with pytest.raises(IntegrityError), transaction.atomic():
        AgreementParty.objects.filter(pk=party.pk).update(risk_share=Decimal("10"))

    party.refresh_from_db()
    assert party.risk_share == Decimal("50")


def test_database_refuses_new_party_on_proposed_agreement_that_breaks_the_sum():
    agreement = agreement_with_parties(PartnerOrganisationFactory())

    with pytest.raises(IntegrityError), transaction.atomic():
        AgreementPartyFactory(agreement=agreement, risk_share=10, value_share=10)

    assert agreement.parties.count() == 2


def test_draft_agreement_may_hold_incomplete_shares_while_it_is_written():
    agreement = AgreementFactory()
    AgreementPartyFactory(agreement=agreement, risk_share=30, value_share=30)

    assert agreement.parties.count() == 1


def test_share_above_100_percent_is_refused_by_a_check_constraint():
    with pytest.raises(IntegrityError), transaction.atomic():
        AgreementPartyFactory(risk_share=101, value_share=50)


def test_region_is_party_at_most_once():
    agreement = AgreementFactory()
    AgreementPartyFactory(agreement=agreement, organisation=None)

    with pytest.raises(IntegrityError), transaction.atomic():
        AgreementPartyFactory(agreement=agreement, organisation=None)


def test_confirming_a_party_of_a_proposed_agreement_keeps_the_sums_valid(partner_user):
    agreement = agreement_with_parties(partner_user.partner_membership.organisation)
    party = agreement.parties.get(organisation=partner_user.partner_membership.organisation)

    party.confirmed_by = partner_user
    party.save()

    assert agreement.parties.filter(confirmed_by=partner_user).exists()


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite has no deferred triggers: there, the services keep parties of a non-draft "
    "agreement (see migration 0002)",
)
def test_postgresql_refuses_deleting_a_party_of_a_proposed_agreement():
    agreement = agreement_with_parties(PartnerOrganisationFactory())
    party = agreement.parties.exclude(organisation=None).get()

    with pytest.raises(IntegrityError), transaction.atomic():
        party.delete()

    assert agreement.parties.count() == 2


def test_deleting_a_party_of_a_draft_is_allowed():
    agreement = agreement_with_parties(PartnerOrganisationFactory(), status=Agreement.Status.DRAFT)

    agreement.parties.exclude(organisation=None).delete()

    assert agreement.parties.count() == 1
