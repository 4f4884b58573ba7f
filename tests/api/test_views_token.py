"""My account → API token: create (shown once), replace, revoke; CSRF-protected; per person."""

import pytest
from django.test import Client
from django.urls import reverse

from api.models import ApiToken, api_token_digest
from tests.access_world import ROLES

pytestmark = pytest.mark.django_db

URL = "/account/api-token/"


def test_url_is_under_my_account():
    assert reverse("api_token") == URL


@pytest.mark.parametrize("role", [r for r in ROLES if r not in ("anonymous", "clinic_leader")])
def test_every_role_manages_its_own_token(client, request, role):
    user = request.getfixturevalue(role)
    user.preferred_language = "en"
    user.save()
    client.force_login(user)

    page = client.get(URL)
    created = client.post(URL, {"action": "create"})

    assert page.status_code == 200
    assert b"You have no API token." in page.content
    assert created.status_code == 200
    key = created.context["new_key"]
    assert key.encode() in created.content
    # Stored as a digest only; shown once: the page afterwards tells only how it begins.
    token = ApiToken.objects.get(user=user)
    assert token.digest == api_token_digest(key)
    assert key not in repr(list(ApiToken.objects.values_list()))
    again = client.get(URL)
    assert key.encode() not in again.content
    assert f"starting with {key[:8]}…".encode() in again.content


def test_anonymous_goes_to_login(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert client.post(URL, {"action": "create"}).status_code == 302
    assert not ApiToken.objects.exists()


def test_replace_makes_the_old_token_stop_working(client, leader):
    client.force_login(leader)
    old = client.post(URL, {"action": "create"}).context["new_key"]

    new = client.post(URL, {"action": "create"}).context["new_key"]

    assert new != old
    assert ApiToken.objects.get(user=leader).digest == api_token_digest(new)
    assert (
        Client(HTTP_AUTHORIZATION=f"Token {new}").get(reverse("api:project-list")).status_code
        == 200
    )
    api = Client(HTTP_AUTHORIZATION=f"Token {old}")
    assert api.get(reverse("api:project-list")).status_code == 401


def test_revoke(client, leader):
    client.force_login(leader)
    client.post(URL, {"action": "create"})

    response = client.post(URL, {"action": "revoke"})

    assert response.status_code == 302
    assert not ApiToken.objects.filter(user=leader).exists()


def test_revoke_touches_only_ones_own_token(client, leader, partner_user):
    client.force_login(partner_user)
    client.post(URL, {"action": "create"})
    client.force_login(leader)

    client.post(URL, {"action": "revoke"})

    assert ApiToken.objects.filter(user=partner_user).exists()


def test_unknown_action_is_400(client, leader):
    client.force_login(leader)

    assert client.post(URL, {"action": "steal"}).status_code == 400
    assert not ApiToken.objects.exists()


def test_post_without_csrf_token_is_refused(leader):
    client = Client(enforce_csrf_checks=True)
    client.force_login(leader)

    response = client.post(URL, {"action": "create"})

    assert response.status_code == 403
    assert not ApiToken.objects.exists()


def test_page_is_translated(client, leader):
    leader.preferred_language = "sv"
    leader.save()
    client.force_login(leader)

    response = client.get(URL)

    assert b"Du har ingen API-token." in response.content


def test_account_page_links_to_the_token_page_and_docs(client, staff_user):
    client.force_login(staff_user)

    response = client.get(reverse("account:detail"))

    assert URL.encode() in response.content
    assert reverse("api:docs").encode() in response.content


def test_erasing_a_person_revokes_their_token(client, partner_user, admin_user):
    from clinics.services import user_erase

    client.force_login(partner_user)
    client.post(URL, {"action": "create"})

    user_erase(user=partner_user, erased_by=admin_user)

    assert not ApiToken.objects.filter(user=partner_user).exists()


def test_personal_data_says_a_token_exists_but_not_which(partner_user):
    from api.services import api_token_create
    from clinics.selectors import personal_data_for

    token = api_token_create(user=partner_user)

    data = personal_data_for(user=partner_user)

    assert data["api_token"] == [
        {"created_at": token.created_at, "expires_at": token.expires_at, "last_used_at": None}
    ]
    assert token.key not in repr(data)
    assert token.digest not in repr(data)
