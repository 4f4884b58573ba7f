"""The login page and the lockout: same answers for every username, throttled per user + IP."""

import re
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.utils import timezone

from tests.clinics.conftest import post_login
from tests.clinics.factories import TEST_PASSWORD, StaffFactory

pytestmark = pytest.mark.django_db

CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"')


def _page(response):
    return CSRF.sub(b"", response.content)


@pytest.fixture
def limit(settings):
    settings.AXES_FAILURE_LIMIT = 3
    settings.AXES_COOLOFF_TIME = timedelta(minutes=15)
    return 3


def _fail(client, username, times, ip="10.0.0.1"):
    response = None
    for _ in range(times):
        response = post_login(client, username, "wrong-password", REMOTE_ADDR=ip)
    return response


def test_right_password_logs_in_and_starts_a_new_session(client, staff_user):
    client.get("/login/")
    client.cookies["sessionid"] = "attacker-chosen-session-key"
    response = post_login(client, "staff")

    assert response.status_code == 302
    assert client.session.session_key != "attacker-chosen-session-key"
    assert client.session["_auth_user_id"] == str(staff_user.pk)


def test_wrong_password_and_unknown_user_get_the_same_page(client, staff_user):
    wrong_password = post_login(client, "staff", "wrong-password", REMOTE_ADDR="10.0.0.1")
    unknown_user = post_login(client, "nobody-here", "wrong-password", REMOTE_ADDR="10.0.0.2")

    assert wrong_password.status_code == unknown_user.status_code == 200
    assert _page(wrong_password).replace(b"staff", b"X") == _page(unknown_user).replace(
        b"nobody-here", b"X"
    )


def test_inactive_account_with_right_password_gets_the_same_page(client, staff_user):
    staff_user.is_active = False
    staff_user.save()
    inactive = post_login(client, "staff", REMOTE_ADDR="10.0.0.1")
    unknown = post_login(client, "staff", "wrong-password", REMOTE_ADDR="10.0.0.2")

    assert _page(inactive) == _page(unknown)
    assert "_auth_user_id" not in client.session


def test_too_many_wrong_passwords_lock_out_even_the_right_one(client, staff_user, limit):
    _fail(client, "staff", limit)

    response = post_login(client, "staff", REMOTE_ADDR="10.0.0.1")

    assert response.status_code == 429
    assert b"Too many attempts" in response.content
    assert b"15 minutes" in response.content
    assert "_auth_user_id" not in client.session


def test_fewer_failures_than_the_limit_do_not_lock_out(client, staff_user, limit):
    _fail(client, "staff", limit - 1)

    assert post_login(client, "staff", REMOTE_ADDR="10.0.0.1").status_code == 302


def test_the_right_password_works_after_the_cool_off(client, staff_user, limit):
    _fail(client, "staff", limit)
    assert post_login(client, "staff", REMOTE_ADDR="10.0.0.1").status_code == 429

    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))

    response = post_login(client, "staff", REMOTE_ADDR="10.0.0.1")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(staff_user.pk)


def test_a_lockout_does_not_lock_out_the_user_elsewhere(client, staff_user, limit):
    _fail(client, "staff", limit, ip="10.0.0.1")

    assert post_login(client, "staff", REMOTE_ADDR="10.9.9.9").status_code == 302


def test_guessing_many_usernames_from_one_address_locks_no_colleague_out(
    client, staff_user, other_clinic_staff, limit
):
    """Password spraying from one clinic's address: many usernames, a few tries each. Counted
    per username *and* address, it locks none of those accounts out, not even from that same
    address, and nobody else either."""
    colleagues = [
        StaffFactory(username=f"colleague{n}", clinic=staff_user.clinic) for n in range(4)
    ]
    guessed = [person.username for person in colleagues] + [f"guess{n}" for n in range(20)]
    for username in guessed:
        response = _fail(client, username, limit - 1, ip="10.0.0.1")
        assert response.status_code == 200  # the login form again, no lockout page

    assert not AccessAttempt.objects.filter(failures_since_start__gte=limit).exists()
    for person in [*colleagues, staff_user, other_clinic_staff]:
        client.post("/logout/")
        response = post_login(client, person.username, REMOTE_ADDR="10.0.0.1")
        assert response.status_code == 302, person.username
        assert client.session["_auth_user_id"] == str(person.pk)


def test_a_lockout_of_one_username_locks_no_colleague_out(
    client, staff_user, other_clinic_staff, limit
):
    _fail(client, "staff", limit, ip="10.0.0.1")  # staff is locked out from this address ...

    # ... but a colleague behind the same clinic address logs in as usual.
    assert post_login(client, "staff_other", REMOTE_ADDR="10.0.0.1").status_code == 302


def test_lockout_page_is_the_same_for_existing_and_unknown_users(client, staff_user, limit):
    existing = _fail(client, "staff", limit + 1)
    unknown = _fail(client, "nobody-here", limit + 1)

    assert existing.status_code == unknown.status_code == 429
    assert _page(existing) == _page(unknown)
    assert b"staff" not in existing.content


def test_lockout_page_is_translated(client, staff_user, limit):
    client.cookies["django_language"] = "sv"
    response = _fail(client, "staff", limit + 1)

    assert response.status_code == 429
    assert "För många försök".encode() in response.content


def test_forwarded_for_header_is_ignored_without_trusted_proxies(client, staff_user, limit):
    for n in range(limit):
        post_login(
            client, "staff", "wrong", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=f"1.2.3.{n}"
        )

    assert post_login(client, "staff", REMOTE_ADDR="10.0.0.1").status_code == 429


def test_behind_a_trusted_proxy_the_forwarded_address_counts(client, staff_user, limit, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    _fail_from = {"REMOTE_ADDR": "10.0.0.254", "HTTP_X_FORWARDED_FOR": "spoofed, 192.0.2.10"}
    for _ in range(limit):
        post_login(client, "staff", "wrong", **_fail_from)

    assert post_login(client, "staff", **_fail_from).status_code == 429
    other = {"REMOTE_ADDR": "10.0.0.254", "HTTP_X_FORWARDED_FOR": "192.0.2.99"}
    assert post_login(client, "staff", **other).status_code == 302


def test_admin_login_form_leads_to_the_protected_login(client):
    response = client.get("/admin/login/?next=/admin/")

    assert response.status_code == 302
    assert response.url == "/login/?next=/admin/"


def test_login_page_offers_password_reset(client):
    assert b'href="/password-reset/"' in client.get("/login/").content


def test_test_client_login_without_request_still_works(client, staff_user):
    """Code that checks a password without a request (tests, commands) is not blocked."""
    assert client.login(username="staff", password=TEST_PASSWORD)
