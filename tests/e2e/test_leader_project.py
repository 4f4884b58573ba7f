"""A leader starts a project, defines a value indicator and records a measurement, then sees it
on the project page: in a real browser, through the real forms."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from portfolio.models import Project

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def english_leader(leader, clinic):
    # The region reads Swedish; this leader reads English (their own setting), so the test
    # finds the labels the other browser tests use.
    leader.preferred_language = "en"
    leader.save(update_fields=["preferred_language"])
    return leader


def test_a_leader_starts_a_project_adds_an_indicator_and_records_a_measurement(
    page, log_in, english_leader, clinic
):
    log_in(english_leader)

    page.get_by_role("link", name="New project", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Start a project")
    page.get_by_label("Title").fill("Sensor floors at night")
    page.get_by_label("Summary").fill("Fewer falls when the ward is quiet.")
    page.locator("select[name=lead_clinic]").select_option(str(clinic.pk))
    page.locator("select[name=owner]").select_option(str(english_leader.pk))
    page.get_by_label("Planned budget").fill("480000")
    page.get_by_role("button", name="Start the project").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Sensor floors at night")
    project = Project.objects.get(title="Sensor floors at night")
    expect(page.get_by_test_id("budget")).to_contain_text("480")

    page.get_by_role("link", name="Add a value indicator").click()
    page.get_by_label("Name").fill("Falls per month")
    page.get_by_label("Unit").fill("falls")
    page.locator("select[name=direction]").select_option("lower")
    page.get_by_label("Baseline").fill("12")
    page.get_by_label("Target").fill("4")
    page.locator("select[name=frequency]").select_option("monthly")
    page.get_by_role("button", name="Add the indicator").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(project.title)
    indicator = page.get_by_test_id("indicator")
    expect(indicator).to_contain_text("Falls per month")
    expect(indicator).to_contain_text("Lower is better")
    expect(indicator).to_contain_text("Not measured yet.")

    page.locator("select[name=indicator]").select_option(label="Falls per month")
    page.get_by_label("Measured value").fill("7")
    page.get_by_label("Measured on").fill(timezone.localdate().isoformat())
    page.get_by_role("button", name="Record", exact=True).click()

    expect(indicator).to_contain_text("Latest: 7 falls")
    expect(indicator).to_contain_text("Progress to target: 63 %")  # (12 - 7) / (12 - 4) = 62.5
    assert project.value_indicators.get().latest_value == 7
