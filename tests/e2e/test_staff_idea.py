"""Journey: a nurse on a phone submits an idea with a photo and finds it on "My ideas"."""

import pytest
from playwright.sync_api import expect

from tests.clinics.factories import StaffFactory
from tests.portfolio.conftest import PNG_BYTES
from tests.portfolio.factories import IdeaFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_staff_member_submits_an_idea_with_an_attachment_on_a_phone(
    page, live_server, log_in, staff_user, leader
):
    staff_user.preferred_language = "en"
    staff_user.save()
    colleague = StaffFactory(clinic=staff_user.clinic)
    IdeaFactory(submitter=colleague, title="Reminder texts for visits", submitted=True)
    page.set_viewport_size({"width": 375, "height": 812})

    log_in(staff_user)
    expect(page.get_by_role("heading", level=1)).to_have_text("My ideas")
    page.get_by_role("link", name="Submit an idea").click()

    page.get_by_label("Title").fill("Text reminders before dental visits")
    page.get_by_label("Problem or need").fill("Patients forget their appointments.")
    # A colleague had a similar idea: it shows up while typing (title and status only).
    expect(page.locator("#similar-ideas")).to_contain_text("Reminder texts for visits")
    page.get_by_label("Attachments", exact=True).set_input_files(
        {"name": "waiting-room.png", "mimeType": "image/png", "buffer": PNG_BYTES}
    )
    # The form fits the phone's width: nothing sticks out sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.get_by_role("button", name="Submit idea").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Text reminders before dental visits")
    expect(page.get_by_role("link", name="waiting-room.png")).to_be_visible()

    page.get_by_role("button", name="Toggle navigation").click()
    page.get_by_role("link", name="My ideas").click()
    expect(page.get_by_role("link", name="Text reminders before dental visits")).to_be_visible()
    expect(page.get_by_text("Submitted", exact=True)).to_be_visible()
