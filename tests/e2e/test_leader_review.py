"""The demo leader's journey: review an idea, accept it, find its project on the dashboard through
a filter, download the CSV. On the demo data (``seed_demo``), logged in with the demo password
through the real login form (two-factor is off in tests)."""

from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from clinics.models import User
from demo.content import DEMO_PASSWORD
from portfolio.models import Idea, Project

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# A submitted idea of Tandvårdskliniken Idun, which the demo leader (all of Västerbotten) leads.
IDEA = "Färgkodade instrumentbrickor"
# Another project of the region in the concept stage: the search filter must leave it out.
OTHER_CONCEPT_PROJECT = "Fallprevention med sensorgolv"


@pytest.fixture
def demo_leader(db):
    call_command("seed_demo", "--i-know-this-is-not-production", verbosity=0)
    leader = User.objects.get(username="leader")
    # The region reads Swedish; the demo leader reads English here (their own setting), so the
    # test can find the labels the rest of the browser tests use.
    leader.preferred_language = "en"
    leader.save(update_fields=["preferred_language"])
    return leader


def test_demo_leader_reviews_accepts_finds_the_project_and_downloads_csv(
    page, live_server, log_in, demo_leader
):
    assert Idea.objects.get(title=IDEA).status == Idea.Status.SUBMITTED
    assert Project.objects.get(title=OTHER_CONCEPT_PROJECT).stage == "concept"

    log_in(demo_leader, password=DEMO_PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Portfolio")

    page.get_by_role("link", name="Review queue", exact=True).click()
    page.get_by_role("link", name=IDEA).click()
    for criterion, score in [
        ("score_patient_value", 5),
        ("score_staff_value", 4),
        ("score_economic_value", 3),
        ("score_feasibility", 4),
        ("score_strategic_fit", 5),
    ]:
        page.locator(f"input[name={criterion}][value='{score}']").check()
    page.get_by_role("button", name="Save scores").click()
    expect(page.get_by_test_id("overall-mean")).to_have_text("4.2")

    # One decision form: only the chosen decision's fields show.
    expect(page.get_by_label("Reason for declining")).to_be_hidden()
    page.get_by_role("radio", name="Accept and start a project").check()
    expect(page.get_by_label("Reason for declining")).to_be_hidden()
    page.get_by_label("Decision note").fill("Saves time at every treatment")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(IDEA)
    project = Project.objects.get(title=IDEA)
    assert project.stage == "concept"
    assert project.idea.status == Idea.Status.ACCEPTED

    page.get_by_role("link", name="Portfolio", exact=True).click()
    page.get_by_label("Search projects", exact=True).fill("instrumentbrickor")
    page.get_by_role("button", name="More filters").click()  # the filters fold into one line
    page.get_by_label("Stage", exact=True).select_option("concept")
    page.get_by_role("button", name="Filter", exact=True).click()
    project_list = page.locator("table.project-list")
    expect(project_list.get_by_role("link", name=IDEA)).to_be_visible()
    expect(project_list.get_by_role("link", name=OTHER_CONCEPT_PROJECT)).to_have_count(0)
    assert "q=instrumentbrickor" in page.url

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download CSV", exact=True).click()
    content = Path(download_info.value.path()).read_text(encoding="utf-8-sig")
    assert IDEA in content
    assert OTHER_CONCEPT_PROJECT not in content
