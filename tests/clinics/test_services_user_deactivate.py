"""Deactivating an account ends its sessions and API token for good: reactivating it needs a
new login and a new token. Through the service, the admin's *Active* box and its action."""

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from api.models import ApiToken
from api.services import api_token_create
from clinics.models import User
from clinics.services import user_deactivate
from tests.clinics.conftest import post_login

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(partner_user):
    """The person's browser session and their API client with a token."""
    browser = Client()
    post_login(browser, partner_user.username)
    assert browser.get("/account/").status_code == 200
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {api_token_create(user=partner_user).key}")
    assert api.get(reverse("api:project-list")).status_code == 200
    return browser, api


def _reactivate(user):
    User.objects.filter(pk=user.pk).update(is_active=True)


def _nothing_revives(user, browser, api):
    _reactivate(user)
    response = browser.get("/account/")
    assert response.status_code == 302 and response.url.startswith("/login/")
    assert api.get(reverse("api:project-list")).status_code == 401
    assert not ApiToken.objects.filter(user=user).exists()


def test_the_service_ends_sessions_and_token_for_good(partner_user, admin_user, signed_in):
    browser, api = signed_in

    user_deactivate(user=partner_user, deactivated_by=admin_user)

    partner_user.refresh_from_db()
    assert not partner_user.is_active
    assert not Session.objects.exists()
    _nothing_revives(partner_user, browser, api)


def test_unticking_active_in_the_admin_goes_through_the_service(
    client, partner_user, admin_user, signed_in
):
    browser, api = signed_in
    client.force_login(admin_user)
    url = reverse("admin:clinics_user_change", args=[partner_user.pk])
    data = {
        "username": partner_user.username,
        "first_name": partner_user.first_name,
        "last_name": partner_user.last_name,
        "email": partner_user.email,
        # "is_active" left out: the box is unticked.
        "date_joined_0": "2026-01-01",
        "date_joined_1": "08:00:00",
        "role": partner_user.role,
        "phone": "",
        "preferred_language": "",
        "notify_in_app": "on",
        "notify_by_email": "on",
        "leader_scopes-TOTAL_FORMS": "0",
        "leader_scopes-INITIAL_FORMS": "0",
        "leader_scopes-MIN_NUM_FORMS": "0",
        "leader_scopes-MAX_NUM_FORMS": "1000",
    }

    response = client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    partner_user.refresh_from_db()
    assert not partner_user.is_active
    # Only the deactivated person's session ends, not the administrator's.
    assert client.get(reverse("admin:index")).status_code == 200
    _nothing_revives(partner_user, browser, api)


def test_an_admin_edit_that_keeps_the_account_active_ends_nothing(
    client, partner_user, admin_user, signed_in
):
    browser, api = signed_in
    client.force_login(admin_user)
    url = reverse("admin:clinics_user_change", args=[partner_user.pk])
    form = client.get(url).context["adminform"].form

    client.post(
        url,
        {
            "username": partner_user.username,
            "first_name": "Renamed",
            "email": partner_user.email,
            "is_active": "on",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "08:00:00",
            "role": form.initial["role"],
            "leader_scopes-TOTAL_FORMS": "0",
            "leader_scopes-INITIAL_FORMS": "0",
            "leader_scopes-MIN_NUM_FORMS": "0",
            "leader_scopes-MAX_NUM_FORMS": "1000",
        },
    )

    assert User.objects.get(pk=partner_user.pk).first_name == "Renamed"
    assert browser.get("/account/").status_code == 200
    assert api.get(reverse("api:project-list")).status_code == 200


def test_the_admin_action_deactivates_the_selected_people(
    client, partner_user, admin_user, signed_in
):
    browser, api = signed_in
    client.force_login(admin_user)

    response = client.post(
        reverse("admin:clinics_user_changelist"),
        {"action": "deactivate", "_selected_action": [partner_user.pk, admin_user.pk]},
    )

    assert response.status_code == 302
    assert not User.objects.get(pk=partner_user.pk).is_active
    assert User.objects.get(pk=admin_user.pk).is_active  # not oneself
    _nothing_revives(partner_user, browser, api)
