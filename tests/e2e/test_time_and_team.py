"""Staff record their innovation time and ask to join a project; the leader accepts."""

import pytest
from playwright.sync_api import expect

from portfolio.models import InnovationTime, ProjectMember

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def people(staff_user, leader, project):
    # The region reads Swedish; these two read English (their own setting), like the other
    # browser tests, so the labels are the source strings.
    for person, first, last in ((staff_user, "Sara", "Lindqvist"), (leader, "Karin", "Öberg")):
        person.preferred_language = "en"
        person.first_name, person.last_name = first, last
        person.save()
    return staff_user, leader, project


def test_staff_record_time_ask_to_join_and_the_leader_accepts(page, live_server, log_in, people):
    staff_user, leader, project = people

    log_in(staff_user)
    page.get_by_role("link", name="My innovation time").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My innovation time")
    page.get_by_role("combobox", name="Project").select_option(label=project.title)
    page.get_by_role("spinbutton", name="Hours").fill("2.5")
    page.get_by_role("button", name="Save hours").click()
    expect(page.get_by_text("Your hours were saved.")).to_be_visible()
    expect(page.get_by_role("row", name=project.title)).to_contain_text("2.5")
    assert InnovationTime.objects.get().hours == 2.5

    page.goto(f"{live_server.url}/portfolio/projects/{project.pk}/")
    page.get_by_role("button", name="Ask to join the team").click()
    expect(page.get_by_test_id("team-request")).to_contain_text("waiting for a leader's answer")

    page.context.clear_cookies()
    log_in(leader)
    page.goto(f"{live_server.url}/portfolio/projects/{project.pk}/")
    page.get_by_role("button", name="Accept Sara Lindqvist").click()
    expect(page.get_by_text("The request was accepted.")).to_be_visible()
    expect(page.get_by_test_id("team-member")).to_contain_text("Sara Lindqvist")
    assert ProjectMember.objects.get().accepted_at is not None
