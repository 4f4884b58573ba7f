"""Journey: the demo nurse on a phone submits an idea with a photo and finds it on "My ideas".

The demo data is seeded as `make run` seeds it, and she logs in as README's table says:
`staff` / `partnerskap-demo-2026` (two-factor login is off in tests). She works at
Tandvårdskliniken Idun in Region Västerbotten, so the pages speak Swedish.
"""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from clinics.models import User
from tests.portfolio.conftest import PNG_BYTES

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

DEMO_STAFF = ("staff", "partnerskap-demo-2026")
TITLE = "Sensorgolv som larmar vid fall i väntrummet"


def test_demo_staff_member_submits_an_idea_with_an_attachment_on_a_phone(page, live_server, log_in):
    call_command("seed_demo", "--i-know-this-is-not-production")
    username, password = DEMO_STAFF
    staff = User.objects.get(username=username)
    page.set_viewport_size({"width": 375, "height": 812})

    log_in(staff, password=password)
    expect(page.get_by_role("heading", level=1)).to_have_text("Mina idéer")
    page.get_by_role("link", name="Skicka in en idé").click()

    page.get_by_label("Titel").fill(TITLE)
    page.get_by_label("Problem eller behov").fill("Äldre patienter ramlar ibland när de väntar.")
    # The acute ward's colleague had a similar idea: it shows while typing (title and status).
    expect(page.locator("#similar-ideas")).to_contain_text("Sensorgolv som upptäcker fall")
    page.get_by_label("Bilagor", exact=True).set_input_files(
        {"name": "vantrum.png", "mimeType": "image/png", "buffer": PNG_BYTES}
    )
    # The form fits the phone's width: nothing sticks out sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.get_by_role("button", name="Skicka in idén").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.get_by_text("Din idé är inskickad.")).to_be_visible()
    expect(page.get_by_role("link", name="vantrum.png")).to_be_visible()

    page.get_by_role("button", name="Visa eller dölj menyn").click()
    page.get_by_role("link", name="Mina idéer").click()
    card = page.locator("li.card", has=page.get_by_role("link", name=TITLE))
    expect(card).to_contain_text("Inskickad")
    # Her earlier ideas from the demo are there too.
    expect(page.get_by_role("link", name="Färgkodade instrumentbrickor")).to_be_visible()
