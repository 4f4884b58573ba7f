"""Rate limits: per user for tokens and sessions, per address for anonymous requests."""

import pytest
from django.urls import reverse
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

pytestmark = pytest.mark.django_db


@pytest.fixture
def low_rates(monkeypatch):
    rates = {"anon": "2/minute", "user": "3/minute"}
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", rates)
    monkeypatch.setattr(UserRateThrottle, "THROTTLE_RATES", rates)


def test_rates_come_from_the_settings():
    assert set(api_settings.DEFAULT_THROTTLE_RATES) == {"anon", "user"}


def test_user_is_throttled_after_the_rate(low_rates, token_client, leader, region):
    client = token_client(leader)
    url = reverse("api:region-list")

    statuses = [client.get(url).status_code for _ in range(4)]

    assert statuses == [200, 200, 200, 429]


def test_anonymous_clients_are_throttled(low_rates, api_client):
    # Anonymous requests reach only the schema (the data endpoints answer 401 first).
    url = reverse("api:schema")

    statuses = [api_client.get(url).status_code for _ in range(3)]

    assert statuses == [200, 200, 429]


def test_one_users_limit_does_not_stop_another(low_rates, token_client, leader, staff_user):
    url = reverse("api:region-list")
    first = token_client(leader)
    for _ in range(3):
        first.get(url)

    assert first.get(url).status_code == 429
    assert token_client(staff_user).get(url).status_code == 200
