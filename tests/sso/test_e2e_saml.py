"""Logging in through a real SAML 2.0 identity provider, in Chromium.

The IdP (pysaml2's Server, its own process) signs real responses with xmlsec1; the service
provider checks them with pysaml2. Its misbehaving people show that the signature, the
validity period and InResponseTo are checked.
"""

import logging

import pytest
from playwright.sync_api import expect

from clinics.models import User
from tests.sso.conftest import (
    BJURHOLM_UNIT,
    MFA_CONTEXT,
    REFUSAL_CONTACT,
    saml_person,
    sso_users,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def provider(saml_provider, saml_idp):
    saml_provider.metadata_url = f"{saml_idp.url}/metadata"
    saml_provider.save()
    return saml_provider


def sso_log_in(page, live_server, username):
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page.goto(f"{live_server.url}/login/")
    page.get_by_role("link", name="Log in with Region Västerbotten (SAML)").click()
    page.get_by_label("SAML username").fill(username)
    page.get_by_label("SAML password").fill(f"pw-{username}")
    page.get_by_role("button", name="Sign in with SAML").click()
    page.wait_for_load_state()


def test_first_login_creates_the_person_a_second_updates_them(
    page, live_server, provider, saml_idp, clinic, other_clinic, caplog
):
    saml_idp.write_people(saml_person("sven"))
    caplog.set_level(logging.INFO, logger="security")
    requests = []
    page.on("request", lambda r: requests.append(r.url))

    sso_log_in(page, live_server, "sven")
    expect(page.locator("#account-menu")).to_be_visible()
    sven = User.objects.get()
    assert (sven.first_name, sven.last_name) == ("Sven", "Lind")
    assert (sven.email, sven.role, sven.clinic) == (
        "sven@regionvasterbotten.example",
        "staff",
        clinic,
    )
    assert sven.external_identities.get().subject == "persistent-sven"
    assert f"sso login provider=vasterbotten-saml user_id={sven.pk} created=True" in caplog.text

    # Logging out sends a LogoutRequest to the IdP, which answers to our single logout service.
    page.locator("#account-menu").click()  # logging out sits in the person's menu
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    assert any(f"{saml_idp.url}/slo/redirect?SAMLRequest=" in url for url in requests)
    assert any("/sso/vasterbotten-saml/saml/sls/?SAMLResponse=" in url for url in requests)

    saml_idp.write_people(saml_person("sven", surname="Lind Åberg", unit=BJURHOLM_UNIT))
    sso_log_in(page, live_server, "sven")
    expect(page.locator("#account-menu")).to_be_visible()
    sven.refresh_from_db()
    assert User.objects.count() == 1
    assert (sven.last_name, sven.clinic) == ("Lind Åberg", other_clinic)


def test_an_unmapped_person_is_refused_and_nothing_is_created(
    page, live_server, provider, saml_idp, caplog
):
    saml_idp.write_people(saml_person("olle", unit="SE-UNKNOWN-UNIT"))
    caplog.set_level(logging.INFO, logger="security")
    sso_log_in(page, live_server, "olle")
    expect(page.get_by_role("heading", level=1)).to_have_text("No access to Partnerskap")
    expect(page.get_by_text(REFUSAL_CONTACT)).to_be_visible()
    assert not User.objects.exists()
    assert "sso login refused provider=vasterbotten-saml reason=no_clinic" in caplog.text


@pytest.mark.parametrize(
    ("quirk", "error"),
    [
        ("tamper", "SignatureError"),
        ("expired", "Condition not OK"),
        ("unsigned", "Neither the response nor the assertions are signed"),
    ],
)
def test_a_tampered_expired_or_unsigned_response_is_refused(
    page, live_server, provider, saml_idp, caplog, quirk, error
):
    saml_idp.write_people(saml_person("eve", quirks=[quirk]))
    caplog.set_level(logging.INFO, logger="security")
    sso_log_in(page, live_server, "eve")
    expect(page.get_by_role("heading", level=1)).to_have_text("The login did not work")
    assert not User.objects.exists()
    assert "sso login failed provider=vasterbotten-saml" in caplog.text
    assert error in caplog.text


def test_a_response_counts_once_and_only_in_the_browser_that_asked(
    page, browser, live_server, provider, saml_idp, caplog
):
    saml_idp.write_people(saml_person("sven"))
    posted = []
    page.on(
        "request",
        lambda r: posted.append(r.post_data) if r.url.endswith("/saml/acs/") else None,
    )
    sso_log_in(page, live_server, "sven")
    expect(page.locator("#account-menu")).to_be_visible()
    [form] = posted
    acs = f"{live_server.url}/sso/vasterbotten-saml/saml/acs/"

    # Replayed from another browser: it holds no request of ours (InResponseTo fails).
    other = browser.new_context()
    answer = other.request.post(
        acs,
        data=form,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        max_redirects=0,
    )
    assert answer.status == 400
    other.close()
    # Replayed in the same browser: the request it answered was used up.
    answer = page.context.request.post(
        acs,
        data=form,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        max_redirects=0,
    )
    assert answer.status == 400

    # Posted while this browser waits for the answer to another request: InResponseTo differs.
    page.locator("#account-menu").click()  # logging out sits in the person's menu
    page.get_by_role("button", name="Log out").click()
    page.get_by_role("link", name="Log in with Region Västerbotten (SAML)").click()
    expect(page.get_by_label("SAML username")).to_be_visible()
    caplog.clear()
    answer = page.context.request.post(
        acs,
        data=form,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        max_redirects=0,
    )
    assert answer.status == 400
    assert "UnsolicitedResponse" in caplog.text
    assert sso_users().count() == 1


def test_the_idps_authentication_context_counts_as_two_factor(
    page, live_server, provider, saml_idp, settings
):
    settings.TWO_FACTOR_REQUIRED_ROLES = ["staff", "leader", "partner", "admin"]
    saml_idp.write_people({**saml_person("mfa", authn_context=MFA_CONTEXT), **saml_person("pwd")})
    sso_log_in(page, live_server, "mfa")
    expect(page.locator("#account-menu")).to_be_visible()
    page.locator("#account-menu").click()  # logging out sits in the person's menu
    page.get_by_role("button", name="Log out").click()

    sso_log_in(page, live_server, "pwd")
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up two-factor login")
