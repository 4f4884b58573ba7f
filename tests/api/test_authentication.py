"""API tokens: stored as a digest, expiring, made after the second factor where it is required,
and refused when made without it (before the requirement, or from a session that skipped it)."""

import importlib
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import F
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from api.models import ApiToken, api_token_digest
from api.services import api_token_create
from clinics.models import User
from tests.clinics.conftest import post_login, totp_code

pytestmark = pytest.mark.django_db

PROJECTS = reverse("api:project-list")
TOKEN_PAGE = "/account/api-token/"


def _api(key):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def _age(*, days):
    """Make every token ``days`` older, as if the clock had run on."""
    ApiToken.objects.update(
        created_at=F("created_at") - timedelta(days=days),
        expires_at=F("expires_at") - timedelta(days=days),
    )


def test_only_the_digest_is_stored(leader):
    token = api_token_create(user=leader)

    stored = ApiToken.objects.values().get()

    assert stored["digest"] == api_token_digest(token.key)
    assert stored["key_prefix"] == token.key[:8]
    assert token.key not in repr(stored)
    assert _api(token.key).get(PROJECTS).status_code == 200


def test_a_wrong_key_with_the_right_beginning_is_refused(leader):
    token = api_token_create(user=leader)
    forged = token.key[:8] + "x" * (len(token.key) - 8)

    assert _api(forged).get(PROJECTS).status_code == 401
    assert _api(token.key[:8]).get(PROJECTS).status_code == 401


def test_tokens_expire_after_api_token_days(leader, settings):
    settings.API_TOKEN_DAYS = 7
    token = api_token_create(user=leader)
    assert token.expires_at - token.created_at == timedelta(days=7)

    _age(days=8)

    response = _api(token.key).get(PROJECTS)
    assert response.status_code == 401
    assert "expired" in response.json()["detail"]


def test_the_default_lifetime_is_90_days(leader):
    token = api_token_create(user=leader)

    assert token.expires_at - token.created_at == timedelta(days=90)


def test_use_is_noted_once_a_minute_at_most(leader):
    token = api_token_create(user=leader)

    _api(token.key).get(PROJECTS)
    first = ApiToken.objects.get().last_used_at
    _api(token.key).get(PROJECTS)

    assert first is not None
    assert ApiToken.objects.get().last_used_at == first


def test_the_expiry_must_follow_the_creation_in_the_database(leader):
    from django.db import IntegrityError, transaction

    now = timezone.now()
    with pytest.raises(IntegrityError), transaction.atomic():
        ApiToken.objects.create(
            user=leader, key_prefix="abcdefgh", digest="0" * 64, created_at=now, expires_at=now
        )


# --- The second factor ------------------------------------------------------------------------


def test_no_token_without_the_second_factor_where_it_is_required(leader, two_factor_on):
    with pytest.raises(PermissionDenied):
        api_token_create(user=leader)
    assert not ApiToken.objects.exists()


def test_a_token_made_after_the_second_factor_works(client, leader, two_factor_on):
    device = TOTPDevice.objects.create(user=leader, name="authenticator", confirmed=True)
    post_login(client, "leader")
    client.post("/login/verify/", {"code": totp_code(device)})

    key = client.post(TOKEN_PAGE, {"action": "create"}).context["new_key"]

    assert ApiToken.objects.get(user=leader).created_with_second_factor
    assert _api(key).get(PROJECTS).status_code == 200


def test_tokens_made_before_the_requirement_stop_working(leader, settings):
    settings.TWO_FACTOR_REQUIRED_ROLES = []
    token = api_token_create(user=leader)
    assert _api(token.key).get(PROJECTS).status_code == 200

    settings.TWO_FACTOR_REQUIRED_ROLES = ["leader", "partner", "admin"]

    response = _api(token.key).get(PROJECTS)
    assert response.status_code == 401
    assert "two-factor" in response.json()["detail"]


def test_a_token_made_in_a_password_only_session_stops_when_the_role_requires_more(
    client, staff_user, two_factor_on
):
    """Staff need no second factor: their token is made without one. Made a leader, the same
    person must log in with one, and the token from before does not carry over."""
    client.force_login(staff_user)
    key = client.post(TOKEN_PAGE, {"action": "create"}).context["new_key"]
    assert _api(key).get(reverse("api:idea-list")).status_code == 200

    User.objects.filter(pk=staff_user.pk).update(role=User.Role.LEADER)

    assert _api(key).get(PROJECTS).status_code == 401


def test_the_token_page_says_why_a_token_stopped_working(client, staff_user, two_factor_on):
    staff_user.preferred_language = "en"
    staff_user.save()
    client.force_login(staff_user)
    client.post(TOKEN_PAGE, {"action": "create"})
    _age(days=91)

    page = client.get(TOKEN_PAGE).content.decode()

    assert "The token has expired." in page


# --- The old plain tokens ---------------------------------------------------------------------


def test_the_migration_drops_the_old_plain_tokens():
    migration = importlib.import_module("api.migrations.0002_drop_plain_tokens")
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY)")
        cursor.execute("INSERT INTO authtoken_token VALUES ('0123456789abcdef')")

    migration.drop_plain_tokens(None, SimpleNamespace(connection=connection))

    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM authtoken_token")
        assert cursor.fetchone()[0] == 0
        cursor.execute("DROP TABLE authtoken_token")
    old = Client(HTTP_AUTHORIZATION="Token 0123456789abcdef")
    assert old.get(PROJECTS).status_code == 401


def test_the_migration_does_nothing_without_the_old_table():
    migration = importlib.import_module("api.migrations.0002_drop_plain_tokens")

    migration.drop_plain_tokens(None, SimpleNamespace(connection=connection))
