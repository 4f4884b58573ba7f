import pytest
from django.core.management import call_command
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from clinics.models import User
from partners.models import Milestone

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# The demo's partner user (README: demo logins); two-factor is off in tests.
DEMO_PARTNER = "partner"
DEMO_PASSWORD = "partnerskap-demo-2026"  # noqa: S105


def test_demo_partner_updates_a_milestone_and_cannot_open_another_organisations(
    page, live_server, log_in
):
    call_command("seed_demo", "--i-know-this-is-not-production", verbosity=0)
    partner = User.objects.select_related("partner_membership__organisation").get(
        username=DEMO_PARTNER
    )
    organisation = partner.partner_membership.organisation
    mine = (
        Milestone.objects.visible_to(partner)
        .filter(responsible_party=organisation, status="planned", progress=0)
        .order_by("pk")
        .first()
    )
    foreign = (
        Milestone.objects.exclude(pk__in=Milestone.objects.visible_to(partner).values("pk"))
        .exclude(responsible_party=organisation)
        .filter(responsible_party__isnull=False)
        .order_by("pk")
        .first()
    )
    assert mine is not None and foreign is not None
    # The pages are in the partner's language (the demo region's): find them by its words.
    with translation.override(partner.language):
        label = {text: gettext(text) for text in ("Progress (%)", "Comment", "Save", "History")}

    log_in(partner, password=DEMO_PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text(organisation.name)
    page.get_by_role("link", name=mine.title, exact=True).first.click()
    page.wait_for_url(f"**/partners/milestones/{mine.pk}/")

    page.locator("select[name=status]").select_option("in_progress")
    page.get_by_label(label["Progress (%)"]).fill("60")
    page.get_by_label(label["Comment"]).fill("Etikgodkännande mottaget")
    page.get_by_role("button", name=label["Save"]).click()

    history = page.locator("section", has=page.get_by_role("heading", name=label["History"]))
    expect(history).to_contain_text("Etikgodkännande mottaget")
    expect(history).to_contain_text("0 % → 60 %")
    assert page.url.endswith(f"/partners/milestones/{mine.pk}/")

    response = page.goto(f"{live_server.url}/partners/milestones/{foreign.pk}/")
    assert response.status == 404
