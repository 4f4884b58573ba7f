"""The database away: pages answer 503 with Retry-After in the layout and the visitor's
language, the API 503 in JSON, whether a view or a middleware (session, auth) meets it.

The outage is real: the default connection is replaced by one to a database that cannot be
reached (PostgreSQL on 127.0.0.1:1, where nothing listens; SQLite in a folder that does not
exist), so every query raises the driver's own OperationalError.
"""

import pytest
from django.db import connections
from django.urls import reverse
from django.utils.http import urlsafe_base64_encode

from api.services import api_token_create
from tests.outages.servers import CLOSED_PORT

pytestmark = pytest.mark.django_db


@pytest.fixture
def database_down(settings, tmp_path):
    original = connections["default"]
    unreachable = dict(original.settings_dict)
    if original.vendor == "postgresql":
        unreachable.update(HOST="127.0.0.1", PORT=str(CLOSED_PORT), OPTIONS={"connect_timeout": 2})
    else:
        unreachable["NAME"] = str(tmp_path / "no-such-folder" / "partnerskap.sqlite3")
    broken = original.__class__(unreachable, alias="default")
    connections["default"] = broken
    yield
    broken.close()
    connections["default"] = original


def _assert_outage_page(response, text):
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response["Content-Type"].startswith("text/html")
    body = response.content.decode()
    assert text in body
    assert 'class="navbar-brand"' in body  # the site's layout (base.html)
    assert "Server Error" not in body


def test_a_view_that_queries_answers_503_in_the_layout(client, database_down):
    url = reverse(
        "partners:invitation_accept", kwargs={"uidb64": urlsafe_base64_encode(b"1"), "token": "x"}
    )

    response = client.get(url)

    _assert_outage_page(response, "unavailable for a moment")
    assert response["Content-Language"] == "en"


@pytest.mark.parametrize(
    ("accept_language", "expected"),
    [("sv", "Partnerskap är inte tillgängligt"), ("da", "Partnerskap er ikke tilgængelig")],
)
def test_the_page_is_in_the_visitors_language(client, database_down, accept_language, expected):
    url = reverse(
        "partners:invitation_accept", kwargs={"uidb64": urlsafe_base64_encode(b"1"), "token": "x"}
    )

    response = client.get(url, headers={"accept-language": accept_language})

    _assert_outage_page(response, expected)
    assert f'<html lang="{accept_language}">' in response.content.decode()


def test_a_signed_in_persons_session_and_user_lookup_failing_answers_503(client, leader):
    # Logged in while the database was there; then it goes away, and the session and auth
    # middleware meet the outage before any view runs.
    client.force_login(leader)
    # As in production: the test client would otherwise re-raise what a middleware met even
    # though handler500 answered it.
    client.raise_request_exception = False
    original = connections["default"]
    unreachable = dict(original.settings_dict)
    if original.vendor == "postgresql":
        unreachable.update(HOST="127.0.0.1", PORT=str(CLOSED_PORT))
    else:
        unreachable["NAME"] = "/nonexistent-partnerskap-folder/db.sqlite3"
    connections["default"] = original.__class__(unreachable, alias="default")
    try:
        response = client.get(reverse("portfolio:dashboard"))
    finally:
        connections["default"].close()
        connections["default"] = original

    _assert_outage_page(response, "unavailable for a moment")


def test_the_api_answers_503_json(client, database_down):
    response = client.get(
        reverse("api:region-list"), headers={"authorization": "Token 0123456789abcdef"}
    )

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response["Content-Type"] == "application/json"
    assert "database" in response.json()["detail"]


def test_the_api_json_is_in_the_visitors_language(client, leader, database_down):
    response = client.get(
        reverse("api:region-list"),
        headers={"authorization": "Token 0123456789abcdef", "accept-language": "sv"},
    )

    assert response.status_code == 503
    assert "databas" in response.json()["detail"]


def test_retry_after_comes_from_the_settings(client, database_down, settings):
    settings.OUTAGE_RETRY_AFTER_SECONDS = 120

    response = client.get(
        reverse("api:region-list"), headers={"authorization": "Token 0123456789abcdef"}
    )

    assert response.status_code == 503
    assert response["Retry-After"] == "120"


def test_with_the_database_back_the_api_answers_again(client, leader, region):
    token = api_token_create(user=leader).key

    response = client.get(reverse("api:region-list"), headers={"authorization": f"Token {token}"})

    assert response.status_code == 200


def test_other_errors_are_a_500_page_in_the_layout_and_json_for_the_api(rf, settings):
    from config.outages import server_error

    try:
        raise ValueError("a bug")
    except ValueError:
        page = server_error(rf.get("/portfolio/"))
        api = server_error(rf.get("/api/v1/projects/"))

    assert page.status_code == 500
    assert 'class="navbar-brand"' in page.content.decode()
    assert api.status_code == 500
    assert api["Content-Type"] == "application/json"
