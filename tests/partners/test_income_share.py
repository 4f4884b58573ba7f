"""A partner user reads its own organisation's share of IP income, to the cent as the ledger
splits it, and nothing of the other parties' amounts; others get 404 (or the ledger)."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from core.formatting import format_money
from partners.models import Agreement, IncomeEntry
from tests.partners.factories import (
    PartnerOrganisationFactory,
    PartnerUserFactory,
    agreement_with_parties,
)

pytestmark = pytest.mark.django_db


def _money(amount):
    with translation.override("en"):
        return format_money(Decimal(amount), "SEK")


@pytest.fixture
def signed(project, partner_organisation):
    co = PartnerOrganisationFactory(name="Umeå Universitet")
    agreement = agreement_with_parties(
        partner_organisation, co, project=project, status=Agreement.Status.SIGNED
    )
    # Shares: the region 33.33, Medtech 33.33, Umeå 33.34. 100.00 splits 33.33 / 33.33 / 33.34.
    IncomeEntry.objects.create(
        agreement=agreement, amount=Decimal("100.00"), received_on=date(2026, 2, 1)
    )
    IncomeEntry.objects.create(
        agreement=agreement, amount=Decimal("1000.01"), received_on=date(2026, 3, 1)
    )
    return agreement, co


def test_a_partner_reads_its_own_share_only(client, signed, partner_user):
    agreement, co = signed
    co_user = PartnerUserFactory(username="umea", organisation=co)
    url = reverse("partners:agreement_income_share", kwargs={"pk": agreement.pk})
    client.force_login(partner_user)
    # The ledger's address sends a partner here.
    ledger = client.get(reverse("partners:agreement_ledger", kwargs={"pk": agreement.pk}))
    assert ledger.status_code == 302 and ledger["Location"] == url
    with translation.override("en"):
        text = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    # 1000.01 is 100001 cents: 33330.33 / 33330.33 / 33340.33 (and a bit); rounded down they
    # leave one cent, which goes to the largest remainder, Umeå's. Medtech: 333.30.
    assert _money("33.33") in text
    assert _money("333.30") in text
    assert _money("366.63") in text  # the total of Medtech's shares
    assert "Umeå Universitet" not in text
    assert _money("33.34") not in text and _money("333.41") not in text

    client.force_login(co_user)
    text = client.get(url).content.decode()
    assert _money("33.34") in text and _money("333.41") in text
    assert "Medtech" not in text and _money("333.30") not in text


def test_others_do_not_read_it(client, signed, other_partner_user, leader, staff_user):
    agreement, _ = signed
    url = reverse("partners:agreement_income_share", kwargs={"pk": agreement.pk})
    client.force_login(other_partner_user)
    assert client.get(url).status_code == 404
    client.force_login(staff_user)
    assert client.get(url).status_code == 404
    client.force_login(leader)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("partners:agreement_ledger", kwargs={"pk": agreement.pk})
    missing = reverse("partners:agreement_income_share", kwargs={"pk": 999_999})
    client.force_login(other_partner_user)
    assert client.get(missing).status_code == 404


def test_costs_the_same_at_two_sizes(client, signed, partner_user):
    agreement, _ = signed
    client.force_login(partner_user)
    url = reverse("partners:agreement_income_share", kwargs={"pk": agreement.pk})

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    small = count()
    for day in range(1, 11):
        IncomeEntry.objects.create(
            agreement=agreement, amount=Decimal("10"), received_on=date(2026, 4, day)
        )
    assert count() == small
