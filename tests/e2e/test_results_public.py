"""Journey: a citizen, not signed in, reads the published results of the demo data in
Chromium: the list in the region's language, a filter, a result's page, the language switch,
the feed and open data links; on a 375 px phone too (no sideways scrolling, the filters work).
Every page passes axe-core and the Content-Security-Policy like the rest of the site."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from results.models import Publication
from tests.e2e.test_accessibility import PageChecker, _report

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

DANISH_RESULT = "Speciallæge på video i akutmodtagelsen"
SWEDISH_RESULT = "Snabbare hjälp vid akut tandvärk"


def test_a_citizen_reads_the_published_results(browser, live_server):
    call_command("seed_demo", "--i-know-this-is-not-production", verbosity=0)
    context = browser.new_context(locale="sv-SE")
    page = context.new_page()
    checker = PageChecker(page, live_server.url)
    page.set_viewport_size({"width": 1280, "height": 800})

    assert checker.check("/results/")
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    expect(page.get_by_role("heading", level=1)).to_have_text("Publicerade resultat")
    feed = page.locator('link[rel="alternate"][type="application/atom+xml"]')
    expect(feed).to_have_attribute("href", "/results/feed/")
    expect(page.get_by_role("link", name="Öppna data (CSV)")).to_be_visible()
    expect(page.get_by_role("link", name="Öppna data (JSON)")).to_be_visible()
    draft = Publication.objects.get(is_published=False)
    expect(page.get_by_text(draft.title, exact=True)).to_have_count(0)

    # A filter by region: the list then speaks the region's language.
    page.get_by_label("Region").select_option(label="Region Midtjylland")
    page.get_by_role("button", name="Visa resultat").click()
    expect(page).to_have_url(f"{live_server.url}/results/?region=midtjylland&clinic=&theme=&stage=")
    expect(page.locator("html")).to_have_attribute("lang", "da")
    expect(page.get_by_role("link", name=DANISH_RESULT)).to_be_visible()
    expect(page.get_by_role("link", name=SWEDISH_RESULT)).to_have_count(0)
    assert checker.check(page.url)

    # A result's own page, then in English through the language links.
    page.get_by_role("link", name=DANISH_RESULT).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(DANISH_RESULT)
    expect(page.get_by_role("table")).to_contain_text("Tid til speciallægevurdering")
    assert checker.check(page.url)
    page.get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=2, name="What changed for patients")).to_be_visible()
    # The choice stays on the next page (the language cookie).
    page.get_by_role("link", name="Published results").first.click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert checker.check(page.url)

    # On a phone: no sideways scrolling, and the filters work with the keyboard.
    page.set_viewport_size({"width": 375, "height": 812})
    page.goto(f"{live_server.url}/results/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    stage = page.get_by_label("Stage")
    stage.focus()
    stage.select_option(label="Completed")
    page.get_by_role("button", name="Show results").press("Enter")
    expect(page.get_by_test_id("result")).to_have_count(1)
    expect(page.get_by_role("link", name="Trygg uppföljning hemma vid KOL")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.get_by_role("link", name="Trygg uppföljning hemma vid KOL").click()
    expect(page.get_by_role("table")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert checker.check(page.url)
    context.close()

    assert not checker.failures, _report(checker.failures)


def test_a_leader_previews_and_publishes_a_result(browser, live_server):
    from tests.e2e.test_accessibility import _log_in

    call_command("seed_demo", "--i-know-this-is-not-production", verbosity=0)
    from portfolio.models import Project

    project = Project.objects.get(title="AI-stöd för kariesdiagnostik")
    context = browser.new_context()
    page = context.new_page()
    checker = PageChecker(page, live_server.url)
    _log_in(page, live_server.url, "leader")
    page.goto(f"{live_server.url}/portfolio/projects/{project.pk}/")
    page.get_by_test_id("publish-result-link").click()
    assert checker.check(page.url.removeprefix(live_server.url))
    page.locator("#id_summary").fill(
        "Ett AI-stöd hjälper tandläkaren att se karies tidigare på röntgenbilder."
    )
    page.get_by_label("Andel tidigt upptäckt karies").check()
    page.get_by_role("button", name="Förhandsgranska").click()
    preview = page.get_by_test_id("publication-preview")
    expect(preview).to_contain_text("Ett AI-stöd hjälper tandläkaren")
    expect(preview.get_by_role("table")).to_contain_text("Andel tidigt upptäckt karies")
    page.get_by_role("button", name="Publicera", exact=True).click()
    expect(page.get_by_test_id("publication-status")).to_contain_text(
        "AI-stöd för kariesdiagnostik"
    )
    page.get_by_test_id("publication-status").get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("AI-stöd för kariesdiagnostik")
    context.close()
    assert not checker.failures, _report(checker.failures)
