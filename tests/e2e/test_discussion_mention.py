"""A comment that mentions a person reaches that person's notifications, and its link leads to
the comment on the idea's page."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.clinics.factories import LeaderFactory, StaffFactory
from tests.portfolio.factories import IdeaFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_mention_reaches_the_mentioned_persons_notifications(page, live_server, log_in, clinic):
    staff = StaffFactory(username="anna", clinic=clinic, preferred_language="en")
    leader = LeaderFactory(username="lars", region=clinic.region, preferred_language="en")
    idea = IdeaFactory(submitter=staff, submitted=True, title="Text reminders")

    log_in(staff)
    page.goto(live_server.url + reverse("portfolio:idea_detail", args=[idea.pk]))
    page.get_by_label("Your comment").fill("@lars could you look at the numbers?\nThanks")
    page.get_by_role("button", name="Post comment").click()
    comments = page.get_by_test_id("comments")
    expect(comments).to_contain_text("@lars could you look at the numbers?")
    expect(page.get_by_test_id("comment-count")).to_have_text("1 comment")

    page.context.clear_cookies()
    log_in(leader)
    page.goto(live_server.url + reverse("portfolio:notifications"))
    link = page.get_by_role("link", name="mentioned you in the discussion of “Text reminders”")
    expect(link).to_be_visible()
    link.click()

    page.wait_for_url(f"**{reverse('portfolio:idea_detail', args=[idea.pk])}#comment-*")
    expect(page.get_by_test_id("comments")).to_contain_text("could you look at the numbers?")
