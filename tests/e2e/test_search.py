"""Journey: the demo nurse searches from the navigation and opens a result, at 1280 px and on a
phone (the search box sits in the folded menu there).

The demo data is seeded as `make run` seeds it; she works at Tandvårdskliniken Idun, so the
pages speak Swedish, and her clinic runs the project "Digital triage av akuta tandbesvär".
"""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from clinics.models import User

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

DEMO_STAFF = ("staff", "partnerskap-demo-2026")
PROJECT = "Digital triage av akuta tandbesvär"


def test_demo_staff_member_searches_from_the_navigation_and_opens_a_project(
    page, live_server, log_in
):
    call_command("seed_demo", "--i-know-this-is-not-production", verbosity=0)
    username, password = DEMO_STAFF
    page.set_viewport_size({"width": 1280, "height": 800})
    log_in(User.objects.get(username=username), password=password)

    # From the keyboard: the box is labelled, Enter searches.
    box = page.get_by_role("searchbox", name="Sök")
    box.focus()
    box.type("triage")
    box.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Sök")
    expect(page).to_have_url(f"{live_server.url}/search/?q=triage")
    results = page.get_by_role("region", name="Projekt (1)")
    expect(results.locator("mark").first).to_have_text("triage")
    results.get_by_role("link", name=PROJECT).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(PROJECT)

    # On a phone the box is in the folded menu, and the page fits the width.
    page.set_viewport_size({"width": 375, "height": 812})
    page.get_by_role("button", name="Visa eller dölj menyn").click()
    box = page.get_by_role("searchbox", name="Sök")
    box.fill("tandbesvär")
    box.press("Enter")
    # Her own idea became the project: both are found.
    expect(page.get_by_role("region", name="Projekt (1)").get_by_role("link")).to_have_text(PROJECT)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
