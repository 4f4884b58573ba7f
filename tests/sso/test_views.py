"""The SSO pages without a browser: the login page's buttons, the start of a SAML login (its
request cookie), our metadata, answers that fail, logout, the admin and personal data."""

import logging

import pytest
from django.core import signing
from django.urls import reverse

from clinics.personal_data import personal_data_parts
from clinics.services import user_erase
from sso.models import ExternalIdentity, IdentityProviderDevice
from sso.services import Assertion, sso_person_provision
from sso.views import SAML_COOKIE, SAML_COOKIE_SALT
from tests.sso.conftest import IDUN_UNIT, SAML_SLUG, STAFF_GROUP

pytestmark = pytest.mark.django_db

IDP_METADATA = """<?xml version="1.0"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata"
    entityID="https://idp.regionvasterbotten.example/saml">
  <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"
        Location="https://idp.regionvasterbotten.example/saml/sso"/>
  </md:IDPSSODescriptor>
</md:EntityDescriptor>
"""


@pytest.fixture
def saml_with_metadata(saml_provider):
    saml_provider.metadata_url = ""
    saml_provider.metadata_xml = IDP_METADATA
    saml_provider.save()
    return saml_provider


def test_without_providers_the_login_page_looks_as_before(client):
    page = client.get(reverse("login")).content.decode()
    assert "sso-providers" not in page
    assert "Log in with" not in page


def test_each_enabled_provider_has_a_button_above_the_password_form(
    client, oidc_provider, saml_provider
):
    saml_provider.enabled = False
    saml_provider.save()
    page = client.get(reverse("login") + "?next=/portfolio/", HTTP_ACCEPT_LANGUAGE="en")
    html = page.content.decode()
    assert html.count("Log in with ") == 1
    assert "Log in with Region Västerbotten" in html
    assert f'href="/sso/{oidc_provider.slug}/login/?next=/portfolio/"' in html
    assert html.index("sso-providers") < html.index('name="password"')


def test_a_disabled_or_unknown_provider_is_not_found(client, saml_provider):
    saml_provider.enabled = False
    saml_provider.save()
    assert client.get(reverse("sso:login", args=[SAML_SLUG])).status_code == 404
    assert client.get(reverse("sso:login", args=["nobody"])).status_code == 404


def test_a_saml_login_starts_with_a_redirect_and_a_request_cookie_bound_to_the_browser(
    client, saml_with_metadata
):
    response = client.get(
        reverse("sso:login", args=[SAML_SLUG]) + "?next=https://evil.example/", secure=True
    )
    assert response.status_code == 302
    assert response["Location"].startswith(
        "https://idp.regionvasterbotten.example/saml/sso?SAMLRequest="
    )
    cookie = response.cookies[SAML_COOKIE]
    # The answer comes back as a cross-site POST: only SameSite=None (so Secure) travels with it.
    assert (cookie["samesite"], cookie["secure"], cookie["httponly"]) == ("None", True, True)
    state = signing.loads(cookie.value, salt=SAML_COOKIE_SALT)
    assert state["request_id"].startswith("id-")
    assert state["next"] == "/"  # another site's address is never where we send people


def test_our_metadata_names_the_addresses_to_register(client, saml_with_metadata):
    response = client.get(reverse("sso:saml_metadata", args=[SAML_SLUG]))
    xml = response.content.decode()
    assert response.status_code == 200
    assert f'entityID="http://testserver/sso/{SAML_SLUG}/saml/metadata/"' in xml
    assert f'Location="http://testserver/sso/{SAML_SLUG}/saml/acs/"' in xml
    assert "KeyDescriptor" not in xml  # no SP key configured: requests go unsigned


def test_with_a_key_our_requests_are_signed_and_the_metadata_has_the_certificate(
    client, saml_with_metadata, settings, tmp_path
):
    from tests.sso.conftest import make_key_and_certificate

    settings.SSO_SAML_KEY_FILE, settings.SSO_SAML_CERT_FILE = map(
        str, make_key_and_certificate(tmp_path, "sp")
    )
    xml = client.get(reverse("sso:saml_metadata", args=[SAML_SLUG])).content.decode()
    assert "KeyDescriptor" in xml and 'AuthnRequestsSigned="true"' in xml
    location = client.get(reverse("sso:login", args=[SAML_SLUG]))["Location"]
    assert "&Signature=" in location and "SigAlg=" in location


def test_a_saml_answer_without_our_request_is_refused_and_logged(
    client, saml_with_metadata, caplog
):
    caplog.set_level(logging.INFO, logger="security")
    response = client.post(reverse("sso:saml_acs", args=[SAML_SLUG]), {"SAMLResponse": "PHg+"})
    assert response.status_code == 400
    assert "The login did not work" in response.content.decode()
    assert "sso login failed provider=vasterbotten-saml" in caplog.text


def test_an_oidc_answer_without_our_state_is_refused(client, oidc_provider, caplog):
    caplog.set_level(logging.INFO, logger="security")
    url = reverse("sso:oidc_callback", args=[oidc_provider.slug])
    response = client.get(url, {"code": "stolen", "state": "forged"})
    assert response.status_code == 400
    assert "mismatching_state" in caplog.text


def test_the_refusal_page_names_whom_to_ask(client, oidc_provider, clinic):
    from sso.views import _finish

    request = client.get(reverse("login")).wsgi_request
    response = _finish(
        request,
        oidc_provider,
        Assertion(subject="x", claims={"groups": ["nobody"]}),
        "/",
    )
    assert response.status_code == 403
    assert oidc_provider.refusal_contact in response.content.decode()


def test_logout_after_a_password_login_stays_local(client, staff_user):
    client.force_login(staff_user)
    response = client.post(reverse("logout"))
    assert response.status_code == 302 and response["Location"] == reverse("login")


def test_the_admin_shows_the_addresses_to_register(client, admin_user, oidc_provider, settings):
    settings.SITE_URL = "https://partnerskap.example.org"
    client.force_login(admin_user)
    page = client.get(
        reverse("admin:sso_identityprovider_change", args=[oidc_provider.pk])
    ).content.decode()
    assert f"https://partnerskap.example.org/sso/{oidc_provider.slug}/oidc/callback/" in page


def test_personal_data_lists_the_identities_and_erasure_removes_them(
    oidc_provider, admin_user, clinic
):
    user, *_ = sso_person_provision(
        provider=oidc_provider,
        subject="subject-9",
        claims={"email": "a@b.example", "hsa_unit": IDUN_UNIT, "groups": [STAFF_GROUP]},
    )
    IdentityProviderDevice.objects.create(user=user, provider=oidc_provider, name="x")
    [part] = [p for p in personal_data_parts() if p.name == "sso"]
    [row] = part.export(user)["external_identities"]
    assert row["subject"] == "subject-9"
    user_erase(user=user, erased_by=admin_user)
    assert not ExternalIdentity.objects.exists()
    assert not IdentityProviderDevice.objects.exists()
