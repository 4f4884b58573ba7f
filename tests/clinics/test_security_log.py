"""The `security` log: logins, failures, lockouts, logouts and refused requests; no secrets."""

import logging
from datetime import timedelta

import pytest

from tests.clinics.conftest import post_login
from tests.clinics.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def security_log(caplog):
    caplog.set_level(logging.INFO, logger="security")

    def lines():
        return [r.getMessage() for r in caplog.records if r.name == "security"]

    return lines


def test_login_and_logout_are_logged(client, staff_user, security_log):
    post_login(client, "staff", REMOTE_ADDR="10.0.0.7")
    client.post("/logout/", REMOTE_ADDR="10.0.0.7")

    assert f"login user_id={staff_user.pk} username=staff ip=10.0.0.7" in security_log()
    assert f"logout user_id={staff_user.pk} ip=10.0.0.7" in security_log()


def test_failed_logins_are_logged_without_the_password(client, staff_user, security_log):
    post_login(client, "staff", "Secret-Guess-42", REMOTE_ADDR="10.0.0.7")
    post_login(client, "My-Password-Typed-As-Name", "x", REMOTE_ADDR="10.0.0.7")

    lines = security_log()
    assert "login failed username=staff ip=10.0.0.7" in lines
    assert "login failed username=(unknown) ip=10.0.0.7" in lines
    assert not any("Secret-Guess-42" in line or "My-Password" in line for line in lines)


def test_lockouts_are_logged(client, staff_user, security_log, settings):
    settings.AXES_FAILURE_LIMIT = 2
    settings.AXES_COOLOFF_TIME = timedelta(minutes=5)
    for _ in range(3):
        post_login(client, "staff", "wrong", REMOTE_ADDR="10.0.0.7")

    assert "login locked out username=staff ip=10.0.0.7" in security_log()
    assert not any(TEST_PASSWORD in line for line in security_log())


def test_refused_requests_are_logged(client, staff_user, security_log):
    client.force_login(staff_user)

    response = client.post("/account/two-factor/recovery-codes/")  # no second factor: 403

    assert response.status_code == 403
    assert (
        f"access refused status=403 method=POST path=/account/two-factor/recovery-codes/ "
        f"user_id={staff_user.pk} ip=127.0.0.1"
    ) in security_log()


def test_a_failed_second_factor_is_logged(client, leader, security_log, settings):
    settings.TWO_FACTOR_REQUIRED_ROLES = ["leader"]
    from clinics.services import two_factor_recovery_codes_renew

    two_factor_recovery_codes_renew(user=leader)
    post_login(client, "leader")
    client.post("/login/verify/", {"code": "wrong-code"})

    assert f"second factor failed user_id={leader.pk} ip=127.0.0.1" in security_log()
