"""The demo's benefits register and partner engagement (demo/seed_engagement.py): in each
region a completed project with benefits and a review due soon, and for its leader a silent
partner, an unused invitation and a long-blocked milestone; seeding again writes nothing."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from clinics.models import Region, User
from partners.engagement import needing_action
from partners.models import AgreementParty, MilestoneUpdate, PartnerMembership
from portfolio.models import Benefit, BenefitReview, Project

pytestmark = pytest.mark.django_db

LEADERS = {"vasterbotten": "leader", "midtjylland": "leader_dk"}


def _seed():
    call_command("seed_demo", "--i-know-this-is-not-production", verbosity=0)


def _state():
    return {
        "benefits": list(Benefit.objects.values_list("pk", "version", "next_review_on")),
        "reviews": BenefitReview.objects.count(),
        "history": Benefit.history.count(),
        "members": list(
            PartnerMembership.objects.values_list("pk", "invited_at", "first_login_at")
        ),
        "parties": sorted(AgreementParty.objects.values_list("pk", "created_at")),
        "updates": MilestoneUpdate.objects.count(),
        "projects": Project.objects.count(),
    }


def test_each_region_has_benefits_due_and_partners_needing_action(client):
    _seed()
    today = timezone.localdate()
    for region in Region.objects.all():
        benefits = Benefit.objects.filter(
            project__lead_clinic__region=region, project__stage=Project.Stage.COMPLETED
        )
        assert {b.cash_releasing for b in benefits} == {True, False}, region
        assert len({b.dimension for b in benefits}) >= 2, region
        assert benefits.filter(
            next_review_on__gte=today, next_review_on__lte=today + timedelta(days=7)
        ).exists(), region
        assert BenefitReview.objects.filter(benefit__in=benefits).exists(), region
        assert {b.currency for b in benefits} == {"SEK" if region.language == "sv" else "DKK"}

        leader = User.objects.get(username=LEADERS[region.slug])
        needing = needing_action(leader, today=today)
        assert needing.inactive and needing.invitations and needing.blocked, region
        assert all(
            row.days_since_last_activity > 60
            for row in needing.inactive
            if row.days_since_last_activity is not None
        )
        assert all(item["days"] > 7 for item in needing.invitations)
        assert all(item["days"] > 14 for item in needing.blocked)

        # The leader sees them on the dashboard; the completed project's register opens.
        client.force_login(leader)
        dashboard = client.get(reverse("portfolio:dashboard")).content.decode()
        assert 'data-testid="needing-action"' in dashboard
        project = benefits.first().project
        page = client.get(reverse("portfolio:benefit_list", args=[project.pk]))
        assert page.status_code == 200


def test_seeding_again_writes_nothing():
    _seed()
    first = _state()

    _seed()

    assert _state() == first
