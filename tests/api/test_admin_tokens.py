"""The admin never shows an API token: rest_framework.authtoken's token admin is not there."""

import pytest
from django.contrib import admin
from rest_framework.authtoken.models import Token, TokenProxy

from api.services import api_token_create

pytestmark = pytest.mark.django_db


def test_no_token_admin_is_registered():
    assert not admin.site.is_registered(TokenProxy)
    assert not admin.site.is_registered(Token)


def test_no_admin_page_shows_a_token(client, admin_user, leader):
    key = api_token_create(user=leader).key
    client.force_login(admin_user)

    index = client.get("/admin/")
    token_list = client.get("/admin/authtoken/tokenproxy/")
    person = client.get(f"/admin/clinics/user/{leader.pk}/change/")

    assert index.status_code == 200 and b"authtoken" not in index.content
    assert token_list.status_code == 404
    assert person.status_code == 200
    for response in (index, token_list, person):
        assert key.encode() not in response.content
