"""Issue 17 in a real browser: a leader adds a benefit to a completed project and records its
review through the real forms; the partner organisation page shows the engagement table."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from partners.models import PartnerMembership
from portfolio.models import Benefit, Project
from tests.partners.factories import PartnerUserFactory
from tests.portfolio.factories import ProjectFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def english_leader(leader):
    leader.preferred_language = "en"
    leader.save(update_fields=["preferred_language"])
    return leader


def test_a_leader_adds_a_benefit_and_records_a_review(
    page, live_server, log_in, english_leader, clinic
):
    project = ProjectFactory(
        lead_clinic=clinic,
        owner=english_leader,
        title="Home monitoring",
        stage=Project.Stage.COMPLETED,
        started_on=date(2024, 1, 1),
        ended_on=timezone.localdate() - timedelta(days=60),
    )
    log_in(english_leader)

    page.goto(live_server.url + reverse("portfolio:project_detail", args=[project.pk]))
    page.get_by_role("link", name="Benefits, their owners, reviews and follow-up").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Benefits register")
    page.get_by_role("link", name="Add a benefit").click()

    page.locator("input[name=title]").fill("Fewer admissions")
    page.locator("select[name=dimension]").select_option("economy")
    page.get_by_label("Cash-releasing").check()
    page.locator("select[name=owner]").select_option(str(english_leader.pk))
    page.get_by_label("Expected value per year").fill("850000")
    page.locator("select[name=currency]").select_option("SEK")
    page.get_by_label("Follow-up period (months)").fill("24")
    page.get_by_label("Next review on").fill(timezone.localdate().isoformat())
    page.get_by_role("button", name="Add the benefit").click()

    row = page.get_by_test_id("benefit")
    expect(row).to_contain_text("Fewer admissions")
    expect(row).to_contain_text("850")
    expect(row).to_contain_text("due")  # the review is due today
    expect(page.get_by_test_id("follow-up")).to_contain_text("follow-up until")

    page.get_by_role("link", name="Review “Fewer admissions”").click()
    page.get_by_label("Reviewed on").fill(timezone.localdate().isoformat())
    page.get_by_label("Realised value per year").fill("420000")
    page.get_by_label("Note").fill("38 fewer bed days than the year before.")
    next_review = timezone.localdate() + timedelta(days=180)
    page.get_by_label("Next review on").fill(next_review.isoformat())
    page.get_by_role("button", name="Record the review").click()

    row = page.get_by_test_id("benefit")
    expect(row).to_contain_text("420")
    expect(row).not_to_contain_text("due")
    page.get_by_text("Reviews of “Fewer admissions”").click()
    expect(page.get_by_text("38 fewer bed days than the year before.")).to_be_visible()
    benefit = Benefit.objects.get()
    assert benefit.next_review_on == next_review
    assert benefit.reviews.get().realised_yearly_amount == 420000


def test_the_organisation_page_shows_the_engagement_table(
    page, live_server, log_in, english_leader, project, agreement, partner_organisation
):
    now = timezone.now()
    agreement.parties.update(created_at=now - timedelta(days=100))
    member = PartnerUserFactory(username="member", organisation=partner_organisation)
    PartnerMembership.objects.filter(user=member).update(
        invited_at=now - timedelta(days=40), first_login_at=now - timedelta(days=37)
    )
    type(member).objects.filter(pk=member.pk).update(last_login=now - timedelta(days=5))
    log_in(english_leader)

    page.goto(
        live_server.url + reverse("partners:organisation_detail", args=[partner_organisation.pk])
    )

    engagement = page.get_by_test_id("engagement")
    expect(engagement.get_by_role("heading")).to_have_text("Partner engagement")
    table = engagement.get_by_role("table")
    expect(table.get_by_role("columnheader", name="Days to first activity")).to_be_visible()
    expect(table.get_by_role("columnheader", name="Days since last activity")).to_be_visible()
    row = page.get_by_test_id("engagement-row")
    expect(row).to_have_count(1)
    expect(row.get_by_role("rowheader")).to_have_text(project.title)
    expect(row.get_by_role("cell").nth(0)).to_have_text("3")
    expect(row.get_by_role("cell").nth(1)).to_have_text("5")
