"""A region administrator adds a theme with a name in Swedish, Danish and English, and a
Danish reader sees its Danish name (the theme list in Danish, the dashboard's theme filter)."""

import pytest
from playwright.sync_api import expect

from clinics.models import LeaderScope, User
from portfolio.models import Theme
from tests.clinics.factories import ClinicFactory, LeaderFactory, RegionFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def region_admin(db):
    region = RegionFactory(name="Region Västerbotten", slug="vasterbotten", language="sv")
    ClinicFactory(region=region, name="Tandvårdskliniken Idun")
    person = LeaderFactory(username="regionadmin", region=region, preferred_language="en")
    LeaderScope.objects.filter(leader=person).update(administers_region=True)
    return person


def test_a_region_administrator_adds_a_theme_that_reads_in_danish(page, log_in, region_admin):
    log_in(region_admin)

    page.locator("#account-menu").click()
    page.get_by_role("link", name="Region administration").click()
    page.get_by_role("link", name="Themes").first.click()
    page.get_by_role("link", name="Add a theme").click()
    page.get_by_label("Name in Swedish").fill("Egenvård")
    page.get_by_label("Name in Danish").fill("Egenomsorg")
    page.get_by_label("Name in English").fill("Self-care")
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_text("The theme is added.")).to_be_visible()
    expect(page.get_by_role("rowheader", name="Self-care")).to_be_visible()
    assert Theme.objects.get(region__slug="vasterbotten").name_da == "Egenomsorg"

    # The same person reading Danish.
    User.objects.filter(pk=region_admin.pk).update(preferred_language="da")
    page.reload()
    expect(page.get_by_role("rowheader", name="Egenomsorg")).to_be_visible()
    page.goto(page.url.split("/region-admin/")[0] + "/portfolio/dashboard/")
    expect(page.locator("#id_theme")).to_contain_text("Egenomsorg")
    assert "Self-care" not in page.locator("#id_theme").inner_text()
