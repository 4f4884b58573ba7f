"""Refused API requests reach the `security` log: 401 (no, wrong or revoked token) and 429
(rate limit), like the 403s, and the token itself is never written there."""

import logging

import pytest
from django.urls import reverse
from rest_framework.test import APIClient
from rest_framework.throttling import UserRateThrottle

from api.services import api_token_create, api_token_revoke

pytestmark = pytest.mark.django_db


@pytest.fixture
def security_log(caplog):
    caplog.set_level(logging.INFO, logger="security")

    def lines():
        return [r.getMessage() for r in caplog.records if r.name == "security"]

    return lines


def _client_with(key):
    client = APIClient(REMOTE_ADDR="10.0.0.9")
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_a_wrong_token_is_logged_without_the_token(security_log):
    key = "0123456789abcdef0123456789abcdef01234567"
    url = reverse("api:region-list")

    response = _client_with(key).get(url)

    assert response.status_code == 401
    assert f"access refused status=401 method=GET path={url} user_id=- ip=10.0.0.9" in (
        security_log()
    )
    assert not any(key in line for line in security_log())


def test_a_revoked_token_is_logged(leader, security_log):
    key = api_token_create(user=leader).key
    api_token_revoke(user=leader)

    response = _client_with(key).get(reverse("api:project-list"))

    assert response.status_code == 401
    assert any(line.startswith("access refused status=401") for line in security_log())
    assert not any(key in line for line in security_log())


def test_a_rate_limited_request_is_logged(leader, security_log, monkeypatch):
    monkeypatch.setattr(UserRateThrottle, "THROTTLE_RATES", {"user": "1/minute", "anon": None})
    key = api_token_create(user=leader).key
    client = _client_with(key)
    url = reverse("api:region-list")

    statuses = [client.get(url).status_code for _ in range(2)]

    assert statuses == [200, 429]
    assert (
        f"access refused status=429 method=GET path={url} user_id={leader.pk} ip=10.0.0.9"
    ) in security_log()
    assert not any(key in line for line in security_log())


def test_an_accepted_request_is_not_logged_as_refused(leader, security_log):
    response = _client_with(api_token_create(user=leader).key).get(reverse("api:region-list"))

    assert response.status_code == 200
    assert not any("access refused" in line for line in security_log())
