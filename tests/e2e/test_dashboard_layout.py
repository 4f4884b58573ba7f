"""Issue 15: the demo leader's dashboard fits every screen. No sideways scrolling of the page at
375, 1280 or 1440 px (wide tables scroll in their own box), the navigation stays one line at
1280 px in Swedish, the headline figures are on the first screen, and the phone page stays
within a measured height."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from clinics.models import User
from demo.content import DEMO_PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SIZES = [(375, 812), (1280, 800), (1440, 900)]
# The whole dashboard's height on a 375 px phone with the demo data, in Swedish: measured 6812
# px (2026-12-03; 4257 px at 1280 px), then 7975 px once the portfolio's progress, the
# contributions behind plan and the partners needing action joined it (looked at: each is a
# short list a leader acts on). The bound is that plus about 10 %, so a section that grows the
# phone page by a screen or more fails here and is looked at.
PHONE_HEIGHT_LIMIT = 8800


@pytest.fixture
def demo_leader(db):
    call_command("seed_demo", "--i-know-this-is-not-production", verbosity=0)
    leader = User.objects.get(username="leader")
    leader.preferred_language = "sv"  # the longest labels of the three languages
    leader.save(update_fields=["preferred_language"])
    return leader


def _page_metrics(page):
    return page.evaluate(
        """() => {
            const headline = document.querySelector("#headline").getBoundingClientRect();
            return {
                scrollWidth: document.scrollingElement.scrollWidth,
                scrollHeight: document.scrollingElement.scrollHeight,
                innerWidth: window.innerWidth,
                innerHeight: window.innerHeight,
                navHeight: document.querySelector("nav.navbar").getBoundingClientRect().height,
                headlineTop: headline.top,
                headlineBottom: headline.bottom,
            };
        }"""
    )


def test_the_dashboard_fits_phone_laptop_and_desktop(page, live_server, demo_leader):
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{live_server.url}/login/")
    page.locator("input[name=username]").fill(demo_leader.username)
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    page.locator("main button[type=submit]").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Portfölj")
    assert page.locator("html").get_attribute("lang") == "sv"

    for width, height in SIZES:
        page.set_viewport_size({"width": width, "height": height})
        page.goto(f"{live_server.url}/portfolio/dashboard/")
        metrics = _page_metrics(page)

        assert metrics["scrollWidth"] <= metrics["innerWidth"], (width, metrics)
        if width == 375:
            assert metrics["scrollHeight"] <= PHONE_HEIGHT_LIMIT, metrics
        assert 0 <= metrics["headlineTop"] < metrics["headlineBottom"] <= metrics["innerHeight"], (
            width,
            metrics,
        )
        if width >= 1280:
            assert metrics["navHeight"] < 70, (width, metrics)
            # Every link of the bar and the person's menu button on the one line.
            tops = page.evaluate(
                """() => [...document.querySelectorAll("#main-nav > ul > li")]
                    .map((item) => Math.round(item.getBoundingClientRect().top))"""
            )
            assert len(set(tops)) == 1, (width, tops)


def test_the_persons_menu_and_the_language_menu_work_from_the_keyboard(
    page, live_server, demo_leader
):
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{live_server.url}/login/")
    page.locator("input[name=username]").fill(demo_leader.username)
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    page.locator("main button[type=submit]").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Portfölj")

    # The language: a menu of buttons that post to set_language, no extra "change" button.
    page.locator("#language-menu").focus()
    page.keyboard.press("Enter")
    english = page.get_by_role("button", name="English")
    expect(english).to_be_visible()
    english.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Portfolio")

    # The person's menu holds their settings and logging out (still a POST form).
    page.locator("#account-menu").focus()
    page.keyboard.press("Enter")
    for name in ("My account", "Notification settings", "Digest settings", "API token"):
        expect(page.get_by_role("link", name=name)).to_be_visible()
    log_out = page.get_by_role("button", name="Log out")
    expect(log_out).to_be_visible()
    assert log_out.evaluate("button => button.form.method") == "post"
    log_out.click()
    expect(page.locator("input[name=username]")).to_be_visible()


@pytest.mark.parametrize("username", ["staff", "partner", "admin", "regionadmin"])
def test_every_roles_navigation_fits_one_line_at_1280_px_in_swedish(
    page, live_server, demo_leader, username
):
    person = User.objects.get(username=username)
    person.preferred_language = "sv"
    person.save(update_fields=["preferred_language"])
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{live_server.url}/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    page.locator("main button[type=submit]").click()
    expect(page.locator("main h1")).to_be_visible()
    if person.is_superuser:
        page.goto(f"{live_server.url}/portfolio/dashboard/")  # a superuser lands in the admin
    assert page.locator("html").get_attribute("lang") == "sv"

    width, nav_height, tops = page.evaluate(
        """() => [
            document.scrollingElement.scrollWidth,
            document.querySelector("nav.navbar").getBoundingClientRect().height,
            [...document.querySelectorAll("#main-nav > ul > li")]
                .map((item) => Math.round(item.getBoundingClientRect().top)),
        ]"""
    )

    assert width <= 1280, (username, width)
    assert nav_height < 70, (username, nav_height)
    assert len(set(tops)) == 1, (username, tops)
