"""Sessions: a new key at login, gone at logout, expiring when idle, dead once deactivated."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from tests.clinics.conftest import post_login

pytestmark = pytest.mark.django_db


def test_login_gives_a_new_session_key(client, staff_user):
    session = client.session  # an anonymous session first
    session["probe"] = 1
    session.save()
    before = session.session_key

    post_login(client, "staff")

    assert client.session.session_key != before


def test_logout_ends_the_session_on_the_server(client, staff_user):
    post_login(client, "staff")
    old_key = client.session.session_key

    client.post("/logout/")

    assert not Session.objects.filter(session_key=old_key).exists()
    replay = Client()
    replay.cookies[settings.SESSION_COOKIE_NAME] = old_key
    assert replay.get("/account/").status_code == 302


def test_sessions_expire_after_inactivity(client, staff_user):
    assert settings.SESSION_SAVE_EVERY_REQUEST  # each request pushes the expiry forward
    assert settings.SESSION_COOKIE_AGE <= 12 * 60 * 60
    post_login(client, "staff")
    assert client.get("/account/").status_code == 200

    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    # Sessions are cached_db: the cached copy expires at the same moment as the row.
    cache.clear()

    response = client.get("/account/")
    assert response.status_code == 302
    assert response.url.startswith("/login/")


def test_each_request_extends_the_session(client, staff_user):
    post_login(client, "staff")
    Session.objects.update(expire_date=timezone.now() + timedelta(minutes=1))

    client.get("/account/")

    expiry = Session.objects.get().expire_date
    assert expiry > timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE - 60)


def test_a_deactivated_user_is_out_of_every_existing_session(staff_user):
    laptop, phone = Client(), Client()
    post_login(laptop, "staff")
    post_login(phone, "staff", REMOTE_ADDR="10.1.1.1")
    assert laptop.get("/account/").status_code == 200

    staff_user.is_active = False
    staff_user.save()

    for device in (laptop, phone):
        response = device.get("/account/")
        assert response.status_code == 302
        assert response.url.startswith("/login/")


def test_session_cookie_is_http_only():
    assert settings.SESSION_COOKIE_HTTPONLY
