"""A leader sets up two-factor login at the first login, then logs in with the app's code.

The pages involved (QR code drawn as inline SVG) must also keep to the Content-Security-Policy.
"""

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from tests.clinics.conftest import totp_code
from tests.e2e.test_csp import RECORD_VIOLATIONS

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_leader_sets_up_two_factor_and_logs_in_with_a_code(
    page, live_server, log_in, leader, settings
):
    settings.TWO_FACTOR_REQUIRED_ROLES = ["leader", "partner", "admin"]
    leader.preferred_language = "en"
    leader.save()
    errors = []
    page.add_init_script(RECORD_VIOLATIONS)
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)

    log_in(leader)
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up two-factor login")
    expect(page.get_by_role("img", name="QR code for your authenticator app")).to_be_visible()
    device = TOTPDevice.objects.get(user=leader)
    page.get_by_role("textbox", name="Code").fill(totp_code(device))
    page.get_by_role("button", name="Turn on two-factor login").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Recovery codes")
    expect(page.locator(".recovery-codes li")).to_have_count(10)
    errors.extend(page.evaluate("window.__cspViolations"))
    page.locator("#account-menu").click()  # logging out sits in the person's menu
    page.get_by_role("button", name="Log out").click()

    log_in(leader)
    expect(page.get_by_role("heading", level=1)).to_have_text("Two-factor login")
    page.get_by_role("textbox", name="Code").fill(totp_code(device, steps_ahead=1))
    page.get_by_role("button", name="Verify").click()
    expect(page.locator("#account-menu")).to_be_visible()
    errors.extend(page.evaluate("window.__cspViolations"))

    assert errors == []
