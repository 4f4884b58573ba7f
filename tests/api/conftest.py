import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from api.services import api_token_create


@pytest.fixture(autouse=True)
def _fresh_throttle_counts():
    """The rate limits count in the cache: each test starts from zero."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def token_client():
    """An API client that sends ``user``'s (new) token, as a script or BI tool would."""

    def make(user):
        client = APIClient()
        if user is not None and user.is_authenticated:
            client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_create(user=user).key}")
        return client

    return make


@pytest.fixture
def two_factor_on(settings):
    """Two-factor login as in production: required for leaders, partners and administrators."""
    settings.TWO_FACTOR_REQUIRED_ROLES = ["leader", "partner", "admin"]
    return settings
