"""Logging in through a real OpenID Connect provider, in Chromium.

The provider (django-oidc-provider, its own process) signs real ID tokens; nothing of the
protocol is mocked. Its misbehaving people show that state, nonce, signature and expiry are
checked.
"""

import logging
import re

import pytest
from playwright.sync_api import expect

from clinics.models import LeaderScope, User
from tests.e2e.test_csp import RECORD_VIOLATIONS
from tests.sso.conftest import (
    BJURHOLM_UNIT,
    LEADER_GROUP,
    REFUSAL_CONTACT,
    oidc_person,
    sso_users,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def provider(oidc_provider, oidc_idp):
    oidc_provider.metadata_url = oidc_idp.url
    oidc_provider.save()
    return oidc_provider


def sso_log_in(page, live_server, username, *, next_path=""):
    # New people read their region's language (Swedish here); the tests read English.
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page.goto(f"{live_server.url}/login/{next_path}")
    page.get_by_role("link", name="Log in with Region Västerbotten").click()
    page.get_by_label("IdP username").fill(username)
    page.get_by_label("IdP password").fill(f"pw-{username}")
    page.get_by_role("button", name="Sign in at the IdP").click()
    page.wait_for_load_state()


def test_first_login_creates_the_person_a_second_updates_them(
    page, live_server, provider, oidc_idp, clinic, other_clinic, caplog
):
    oidc_idp.write_people(oidc_person("anna"))
    caplog.set_level(logging.INFO, logger="security")
    page.add_init_script(RECORD_VIOLATIONS)

    # The buttons stand above the password form.
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page.goto(f"{live_server.url}/login/")
    button = page.get_by_role("link", name="Log in with Region Västerbotten")
    expect(button).to_be_visible()
    assert page.evaluate("window.__cspViolations") == []
    assert page.evaluate(
        "() => document.querySelector('.sso-providers').compareDocumentPosition("
        "document.querySelector('form[method=post]:not([action])')) & 4"
    )

    sso_log_in(page, live_server, "anna")
    expect(page.locator("#account-menu")).to_be_visible()
    anna = User.objects.get()
    assert (anna.first_name, anna.last_name) == ("Anna", "Berg")
    assert anna.email == "anna@regionvasterbotten.example"
    assert (anna.role, anna.clinic, anna.region) == ("staff", clinic, clinic.region)
    assert not anna.has_usable_password()
    assert re.search(
        rf"sso login provider=vasterbotten-oidc user_id={anna.pk} created=True", caplog.text
    )

    # Logging out ends the provider's session too: the next login asks for the password again.
    page.locator("#account-menu").click()  # logging out sits in the person's menu
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    assert page.url.startswith(f"{live_server.url}/login/")

    oidc_idp.write_people(oidc_person("anna", family_name="Berg Ek", unit=BJURHOLM_UNIT))
    sso_log_in(page, live_server, "anna")
    expect(page.locator("#account-menu")).to_be_visible()
    anna.refresh_from_db()
    assert User.objects.count() == 1
    assert (anna.last_name, anna.clinic) == ("Berg Ek", other_clinic)
    assert "created=False" in caplog.text


def test_a_leader_group_makes_a_leader_of_the_whole_region(
    page, live_server, provider, oidc_idp, region
):
    oidc_idp.write_people(oidc_person("lena", groups=[LEADER_GROUP], unit="unknown-unit"))
    sso_log_in(page, live_server, "lena")
    expect(page.locator("#account-menu")).to_be_visible()
    lena = User.objects.get()
    assert lena.role == "leader"
    assert list(LeaderScope.objects.filter(leader=lena).values_list("region", "clinic")) == [
        (region.pk, None)
    ]


def test_an_unmapped_person_is_refused_and_told_whom_to_ask(
    page, live_server, provider, oidc_idp, caplog
):
    oidc_idp.write_people(oidc_person("olle", groups=["some-other-group"]))
    caplog.set_level(logging.INFO, logger="security")
    page.add_init_script(RECORD_VIOLATIONS)
    sso_log_in(page, live_server, "olle")
    expect(page.get_by_role("heading", level=1)).to_have_text("No access to Partnerskap")
    expect(page.get_by_text(REFUSAL_CONTACT)).to_be_visible()
    assert page.evaluate("window.__cspViolations") == []
    assert not User.objects.exists()
    assert "sso login refused provider=vasterbotten-oidc reason=no_role" in caplog.text


@pytest.mark.parametrize(
    ("quirk", "error"),
    [("expired", "ExpiredTokenError"), ("bad_nonce", "nonce"), ("tamper", "BadSignatureError")],
)
def test_an_expired_replayed_or_tampered_id_token_is_refused(
    page, live_server, provider, oidc_idp, caplog, quirk, error
):
    oidc_idp.write_people(oidc_person("eve", quirks=[quirk]))
    caplog.set_level(logging.INFO, logger="security")
    sso_log_in(page, live_server, "eve")
    expect(page.get_by_role("heading", level=1)).to_have_text("The login did not work")
    assert not User.objects.exists()
    assert "sso login failed provider=vasterbotten-oidc" in caplog.text
    assert error in caplog.text


def test_the_state_binds_the_answer_to_the_browser_that_asked(
    page, browser, live_server, provider, oidc_idp
):
    oidc_idp.write_people(oidc_person("anna"))
    callbacks = []
    page.on("request", lambda r: callbacks.append(r.url) if "/oidc/callback/" in r.url else None)
    sso_log_in(page, live_server, "anna")
    expect(page.locator("#account-menu")).to_be_visible()
    [callback] = callbacks

    # The same answer again, in the same browser: its state was used up.
    page.goto(callback)
    expect(page.get_by_role("heading", level=1)).to_have_text("The login did not work")

    # The answer carried to another browser (a stolen link): that browser asked for nothing.
    other = browser.new_context()
    other_page = other.new_page()
    other_page.goto(callback)
    expect(other_page.get_by_role("heading", level=1)).to_have_text("The login did not work")
    expect(other_page.locator("#account-menu")).to_have_count(0)
    other.close()
    assert sso_users().count() == 1


def test_the_providers_second_factor_counts_as_ours(
    page, live_server, provider, oidc_idp, settings
):
    settings.TWO_FACTOR_REQUIRED_ROLES = ["staff", "leader", "partner", "admin"]
    oidc_idp.write_people({**oidc_person("mfa", amr=["pwd", "mfa"]), **oidc_person("pwd")})

    sso_log_in(page, live_server, "mfa")
    expect(page.locator("#account-menu")).to_be_visible()
    page.goto(f"{live_server.url}/account/")
    expect(page.locator("#account-menu")).to_be_visible()  # still in: verified
    page.locator("#account-menu").click()  # logging out sits in the person's menu
    page.get_by_role("button", name="Log out").click()
    # Back on our login page once the provider's session has ended too.
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()

    # Without the provider's second factor, the person sets up an authenticator as usual.
    sso_log_in(page, live_server, "pwd")
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up two-factor login")
