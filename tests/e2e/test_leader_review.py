from pathlib import Path

import pytest
from playwright.sync_api import expect

from portfolio.models import Project
from tests.portfolio.factories import IdeaFactory, ProjectFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_leader_reviews_accepts_finds_the_project_and_downloads_csv(
    page, live_server, log_in, leader, staff_user, clinic
):
    leader.preferred_language = "en"
    leader.save()
    IdeaFactory(
        submitter=staff_user, submitted=True, title="Photo triage for toothache", clinic=clinic
    )
    ProjectFactory(lead_clinic=clinic, owner=leader, title="Unrelated older project")

    log_in(leader)
    expect(page.get_by_role("heading", level=1)).to_have_text("Portfolio")

    page.get_by_role("link", name="Review queue", exact=True).click()
    page.get_by_role("link", name="Photo triage for toothache").click()
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

    page.get_by_label("Decision note").fill("Clear value for patients")
    page.get_by_role("button", name="Accept and start a project").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Photo triage for toothache")
    assert Project.objects.get(title="Photo triage for toothache").stage == "concept"

    page.get_by_role("link", name="Portfolio", exact=True).click()
    page.get_by_label("Search", exact=True).fill("toothache")
    page.get_by_label("Stage", exact=True).select_option("concept")
    page.get_by_role("button", name="Filter").click()
    project_list = page.locator("table.project-list")
    expect(project_list.get_by_role("link", name="Photo triage for toothache")).to_be_visible()
    expect(project_list.get_by_role("link", name="Unrelated older project")).to_have_count(0)
    assert "q=toothache" in page.url

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download CSV").click()
    content = Path(download_info.value.path()).read_text(encoding="utf-8-sig")
    assert "Photo triage for toothache" in content
    assert "Unrelated older project" not in content
