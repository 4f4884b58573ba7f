"""The partners pages cost the same number of queries however much data they show: each page is
loaded at a small and at a larger data size, and the counts must match."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from partners.models import Agreement, IncomeEntry, IPItem, MilestoneUpdate, Reinvestment
from partners.services.milestones import milestone_update
from tests.partners.factories import (
    MilestoneFactory,
    PartnerOrganisationFactory,
    agreement_with_parties,
)

pytestmark = pytest.mark.django_db


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def _compare(client, url, grow, *, limit):
    grow(2)
    small = _queries(client, url)
    grow(10)
    large = _queries(client, url)
    assert large == small, (small, large)
    assert small <= limit


@pytest.mark.parametrize("role", ["leader", "partner_user"])
def test_milestone_page(client, milestone, leader, partner_user, role):
    client.force_login(leader if role == "leader" else partner_user)
    authors = [leader, partner_user]

    def grow(count):
        for index in range(count):
            milestone.refresh_from_db()
            milestone_update(
                milestone=milestone,
                actor=partner_user,
                expected_version=milestone.version,
                status="in_progress",
                progress=(milestone.progress + 1) % 100,
                comment=f"Week {index}",
            )
            MilestoneUpdate.objects.create(
                milestone=milestone, author=authors[index % 2], comment="Note"
            )

    _compare(
        client,
        reverse("partners:milestone_detail", kwargs={"pk": milestone.pk}),
        grow,
        limit=30,
    )


@pytest.mark.parametrize("role", ["leader", "partner_user"])
def test_agreement_page(client, project, agreement, leader, partner_user, role):
    client.force_login(leader if role == "leader" else partner_user)
    from partners.models import AgreementParty

    def grow(count):
        # More parties (with nothing at stake, so the shares still sum to 100).
        for _ in range(count):
            AgreementParty.objects.create(
                agreement=agreement,
                organisation=PartnerOrganisationFactory(),
                risk_share=0,
                value_share=0,
            )

    _compare(
        client,
        reverse("partners:agreement_detail", kwargs={"pk": agreement.pk}),
        grow,
        limit=30,
    )


def test_ledger_page(client, project, partner_organisation, leader):
    signed = agreement_with_parties(
        partner_organisation, project=project, status=Agreement.Status.SIGNED
    )
    client.force_login(leader)

    def grow(count):
        for index in range(count):
            item = IPItem.objects.create(agreement=signed, kind="patent", title=f"Patent {index}")
            income = IncomeEntry.objects.create(
                agreement=signed,
                ip_item=item,
                amount=Decimal("1000"),
                received_on=timezone.localdate() - timedelta(days=index),
            )
            Reinvestment.objects.create(income=income, project=project, amount=Decimal("10"))

    _compare(
        client,
        reverse("partners:agreement_ledger", kwargs={"pk": signed.pk}),
        grow,
        limit=30,
    )


@pytest.mark.parametrize("role", ["leader", "partner_user"])
def test_project_partnership_page(
    client, project, partner_organisation, leader, partner_user, role
):
    client.force_login(leader if role == "leader" else partner_user)
    today = timezone.localdate()

    def grow(count):
        for index in range(count):
            agreement_with_parties(
                partner_organisation,
                project=project,
                title=f"Agreement {index} {timezone.now().timestamp()}",
                status=Agreement.Status.SIGNED,
            )
            MilestoneFactory(
                project=project,
                responsible_party=partner_organisation,
                responsible_leader=leader,
                due_on=today + timedelta(days=index - 3),
            )

    # 30 for the leader: the one project page carries the plan, indicators (the list, and the
    # measurement form's active ones), documents, team, innovation time, discussion, stage
    # history, agreements and parties, phases and milestones, the progress roll-up, adoptions
    # across clinics (their counts by status), its public result, one query each, whatever their
    # size.
    _compare(
        client,
        reverse("portfolio:project_detail", kwargs={"pk": project.pk}),
        grow,
        limit=30,
    )


def test_a_leaders_milestone_page_reads_their_clinics_once(client, milestone, leader):
    """What the leader leads is computed once per request (``clinics.access``): the page asked
    for it five times before, in 16 queries; now once, and the owner's check reuses it (12 queries,
    the session read from the cache)."""
    client.force_login(leader)
    url = reverse("partners:milestone_detail", kwargs={"pk": milestone.pk})
    client.get(url)  # the first request of a session writes it; count a later one

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200

    # The led clinics come in one UNION with the administered regions (clinics.access), which
    # PostgreSQL's SQL opens with a parenthesis.
    clinic_reads = [
        q
        for q in queries.captured_queries
        if q["sql"].lstrip("(").startswith('SELECT "clinics_clinic"')
    ]
    assert len(clinic_reads) == 1
    assert len(queries) == 12
