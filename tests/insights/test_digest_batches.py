"""Digests prepared in batches (issue 14): leaders of the same clinics and period share one
read of the changes, get the same digest as alone, and each period is still claimed once."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from insights.services.digests import (
    DIGEST_PREPARE_BATCH,
    digest_batches,
    digest_build,
    digests_due,
    digests_prepare_batch,
)
from portfolio.models import DigestDelivery
from tests.clinics.factories import LeaderFactory
from tests.portfolio.digest_world import NOW, SLOT, build_portfolio, foreign_portfolio

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(clinic, project, partner_organisation, leader, other_region_leader, foreign_clinic):
    build_portfolio(clinic=clinic, project=project, partner_organisation=partner_organisation)
    foreign_portfolio(foreign_clinic=foreign_clinic, owner=other_region_leader)
    return project


def _leaders_like(leader, count, prefix="colleague"):
    """Leaders of the same region as ``leader`` (the same clinics)."""
    return [
        LeaderFactory(
            username=f"{prefix}-{n}", region=leader.region, email=f"{prefix}{n}@example.org"
        )
        for n in range(count)
    ]


def _queries_of_batch(leader_ids):
    with CaptureQueriesContext(connection) as captured:
        digests_prepare_batch(leader_ids=leader_ids, period_end=SLOT, now=NOW, queue_sender=False)
    return len(captured)


def test_leaders_of_the_same_clinics_share_the_reads(world, leader):
    few = [leader, *_leaders_like(leader, 1)]
    many = _leaders_like(leader, 6, prefix="more")
    queries_few = _queries_of_batch([person.pk for person in few])
    queries_many = _queries_of_batch([person.pk for person in many])
    # The changes are read once per batch; each further leader costs only their claim and
    # their own lines (the benefit reviews they own, the partners needing action they see).
    per_leader = (queries_many - queries_few) / (len(many) - len(few))
    assert per_leader <= 12
    assert queries_few - 2 * per_leader >= 10  # the shared read is most of the first digest


def test_a_batched_digest_is_the_digest_built_alone(world, leader, other_region_leader):
    colleague = _leaders_like(leader, 1)[0]
    deliveries = digests_prepare_batch(
        leader_ids=[leader.pk, colleague.pk, other_region_leader.pk],
        period_end=SLOT,
        now=NOW,
        queue_sender=False,
    )
    by_leader = {delivery.leader_id: delivery for delivery in deliveries}
    assert set(by_leader) == {leader.pk, colleague.pk, other_region_leader.pk}
    for person in (leader, colleague, other_region_leader):
        delivery = by_leader[person.pk]
        built = digest_build(
            leader=person, period_start=delivery.period_start, period_end=SLOT, now=NOW
        )
        assert delivery.body_text == built.text
        assert delivery.subject == built.subject
    # Same clinics, same digest but for the person's own lines (greeting, unsubscribe link).
    assert by_leader[leader.pk].item_count == by_leader[colleague.pk].item_count > 0
    # Another region's leader reads their own portfolio, not the shared one.
    assert "Digital dental triage" in by_leader[leader.pk].body_text
    assert "Digital dental triage" not in by_leader[other_region_leader.pk].body_text


def test_a_batch_claims_each_period_once(world, leader):
    colleague = _leaders_like(leader, 1)[0]
    ids = [leader.pk, colleague.pk]
    assert len(digests_prepare_batch(leader_ids=ids, period_end=SLOT, now=NOW)) == 2
    assert digests_prepare_batch(leader_ids=ids, period_end=SLOT, now=NOW) == []
    assert DigestDelivery.objects.filter(period_end=SLOT).count() == 2


def test_due_leaders_are_batched_by_period_and_region(world, leader):
    _leaders_like(leader, DIGEST_PREPARE_BATCH)
    due = digests_due(now=NOW)
    batches = digest_batches(due)
    assert sorted(pk for _end, ids in batches for pk in ids) == sorted(p.leader.pk for p in due)
    assert all(len(ids) <= DIGEST_PREPARE_BATCH for _end, ids in batches)
    assert all(end == SLOT for end, _ids in batches)
    assert len(batches) >= 2


def test_a_leaders_own_lines_stay_theirs_when_the_reads_are_shared(world, leader, clinic):
    """Two leaders of the same clinics share the read of the changes, but the benefit reviews
    due go to the benefit's owner only, batched or not."""
    from datetime import timedelta
    from decimal import Decimal

    from portfolio.models import Benefit, Project
    from tests.portfolio.factories import ProjectFactory

    owner, colleague = _leaders_like(leader, 2, prefix="owner")
    completed = ProjectFactory(
        lead_clinic=clinic, owner=owner, title="Home monitoring", stage=Project.Stage.COMPLETED
    )
    Benefit.objects.create(
        project=completed,
        title="Fewer readmissions",
        dimension=Benefit.Dimension.ECONOMY,
        cash_releasing=True,
        owner=owner,
        expected_yearly_amount=Decimal("100000"),
        currency="SEK",
        next_review_on=NOW.date() + timedelta(days=1),
    )

    # The owner last in the batch: the colleague's read is the one shared with them.
    deliveries = digests_prepare_batch(
        leader_ids=[colleague.pk, owner.pk], period_end=SLOT, now=NOW, queue_sender=False
    )

    by_leader = {delivery.leader_id: delivery for delivery in deliveries}
    assert "Fewer readmissions" in by_leader[owner.pk].body_text
    assert "Fewer readmissions" not in by_leader[colleague.pk].body_text
