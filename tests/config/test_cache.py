"""A cache outage is logged and the page computed: the cache is optional at run time.

The cache settings come from config/settings.py as CACHE_URL would make them (read in a
subprocess), pointed at a port where nothing listens or at a private redis-server that the
test stops and starts again.
"""

import json
import logging
import os
import subprocess
import sys
import time

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache, caches
from django.urls import reverse
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

from api.services import api_token_create
from tests.clinics.conftest import post_login
from tests.clinics.factories import TEST_PASSWORD
from tests.outages.servers import CLOSED_PORT


def caches_for(cache_url: str, **env) -> dict:
    """CACHES as config/settings.py builds it from this CACHE_URL."""
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        "print(json.dumps(settings.CACHES))"
    )
    result = subprocess.run(  # noqa: S603 -- fixed arguments
        [sys.executable, "-c", code],
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "CACHE_URL": cache_url,
            **env,
        },
        cwd=django_settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def down_caches():
    return caches_for(f"redis://127.0.0.1:{CLOSED_PORT}/0")


@pytest.fixture
def cache_down(settings, down_caches):
    settings.CACHES = down_caches
    yield
    caches["default"].close()


def test_redis_cache_url_gives_the_resilient_backend_with_short_timeouts(down_caches):
    default = down_caches["default"]
    assert default["BACKEND"] == "config.cache.ResilientRedisCache"
    assert default["OPTIONS"]["socket_connect_timeout"] <= 1
    assert default["OPTIONS"]["socket_timeout"] <= 1


def test_every_operation_falls_back_and_logs_while_redis_is_down(cache_down, caplog):
    caplog.set_level(logging.WARNING, logger="partnerskap.cache")

    assert cache.get("figures") is None
    assert cache.get("figures", "computed") == "computed"
    assert cache.get("figures", default="computed") == "computed"
    assert cache.set("figures", 1) is None
    assert cache.add("figures", 1) is False
    assert cache.get_many(["a", "b"]) == {}
    assert cache.set_many({"a": 1, "b": 2}) == ["a", "b"]
    assert cache.has_key("figures") is False
    assert cache.incr("count") == 1
    assert cache.delete("figures") is False
    cache.delete_many(["a"])
    cache.clear()
    assert cache.get_or_set("figures", lambda: "computed") == "computed"

    assert any("cache unavailable" in record.message for record in caplog.records)


def test_the_dashboard_is_computed_while_the_cache_is_down(client, cache_down, leader, project):
    client.force_login(leader)

    response = client.get(reverse("portfolio:dashboard"))

    assert response.status_code == 200
    assert project.title in response.content.decode()


@pytest.fixture
def low_rates(monkeypatch):
    rates = {"anon": "2/minute", "user": "2/minute"}
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", rates)
    monkeypatch.setattr(UserRateThrottle, "THROTTLE_RATES", rates)


def test_the_api_answers_and_its_rate_limits_fail_open_while_the_cache_is_down(
    client, cache_down, low_rates, leader, region
):
    headers = {"authorization": f"Token {api_token_create(user=leader).key}"}

    statuses = [
        client.get(reverse("api:region-list"), headers=headers).status_code for _ in range(4)
    ]

    # Over the limit of 2 a minute, and no 429: nothing can be counted without the cache.
    assert statuses == [200, 200, 200, 200]


def test_login_lockouts_still_hold_while_the_cache_is_down(client, cache_down, settings, leader):
    # django-axes keeps its failures in the database, not in the cache: lockouts fail closed.
    settings.AXES_FAILURE_LIMIT = 2
    for _ in range(2):
        post_login(client, leader.username, "wrong-password", REMOTE_ADDR="10.0.0.1")

    response = post_login(client, leader.username, TEST_PASSWORD, REMOTE_ADDR="10.0.0.1")

    assert response.status_code == 429


def test_the_cache_is_used_again_once_redis_is_back(
    settings,
    redis_server,
    caplog,
    tmp_path,
):
    configured = caches_for(redis_server.url, CACHE_RETRY_AFTER="0.2")
    settings.CACHES = configured
    cache.set("figures", "cached", 60)
    assert cache.get("figures") == "cached"

    redis_server.stop()
    assert cache.get("figures", "computed") == "computed"
    cache.set("figures", "lost", 60)  # within the pause: not even tried

    redis_server.start()  # a restart: same port, data gone
    time.sleep(0.3)
    cache.set("figures", "cached again", 60)
    assert cache.get("figures") == "cached again"
    caches["default"].close()


def test_sessions_are_cached_and_kept_in_the_database(settings):
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.cached_db"


def test_a_signed_in_person_stays_signed_in_while_the_cache_is_down(
    client, settings, down_caches, leader, project
):
    client.force_login(leader)  # the session is in the cache and in the database
    settings.CACHES = down_caches  # then the cache goes away, and with it the cached copy

    response = client.get(reverse("portfolio:dashboard"))

    assert response.status_code == 200
    assert response.wsgi_request.user == leader
    caches["default"].close()
