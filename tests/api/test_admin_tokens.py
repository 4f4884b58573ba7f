"""API tokens in the admin: a read-only list that shows how a key begins, never the key (it is
not stored) nor its digest, and revokes through the service."""

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from api.models import ApiToken
from api.services import api_token_create

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/api/apitoken/"


def test_drf_authtoken_is_gone():
    from django.apps import apps

    assert not apps.is_installed("rest_framework.authtoken")
    assert admin.site.is_registered(ApiToken)


def test_the_list_shows_how_a_key_begins_never_the_key_or_its_digest(client, admin_user, leader):
    token = api_token_create(user=leader)
    client.force_login(admin_user)

    index = client.get("/admin/")
    token_list = client.get(CHANGELIST)
    detail = client.get(reverse("admin:api_apitoken_change", args=[token.pk]))
    person = client.get(f"/admin/clinics/user/{leader.pk}/change/")

    assert token_list.status_code == 200
    assert f"{token.key[:8]}…" in token_list.content.decode()
    assert detail.status_code == 200
    for response in (index, token_list, detail, person):
        assert token.key.encode() not in response.content
        assert token.digest.encode() not in response.content


def test_no_token_is_made_or_changed_in_the_admin(client, admin_user, leader):
    token = api_token_create(user=leader)
    client.force_login(admin_user)

    assert client.get(reverse("admin:api_apitoken_add")).status_code == 403
    change = reverse("admin:api_apitoken_change", args=[token.pk])
    client.post(change, {"created_with_second_factor": "on", "expires_at": "2100-01-01"})
    assert ApiToken.objects.get().expires_at == token.expires_at
    assert client.get(reverse("admin:api_apitoken_delete", args=[token.pk])).status_code == 403


def test_revoke_action_ends_the_selected_tokens(client, admin_user, leader, partner_user):
    revoked = api_token_create(user=leader)
    kept = api_token_create(user=partner_user)
    client.force_login(admin_user)

    response = client.post(CHANGELIST, {"action": "revoke", "_selected_action": [revoked.pk]})

    assert response.status_code == 302
    assert list(ApiToken.objects.all()) == [kept]
    api = Client(HTTP_AUTHORIZATION=f"Token {revoked.key}")
    assert api.get(reverse("api:project-list")).status_code == 401
