"""Two-factor login: enrolment with a real TOTP, the second step, recovery codes, the rules."""

import logging

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from clinics.services import two_factor_recovery_codes_renew
from tests.clinics.conftest import post_login, totp_code

pytestmark = pytest.mark.django_db


def _enrol(client, user):
    """Password, then the setup page, then a real code: returns (device, recovery codes)."""
    response = post_login(client, user.username)
    assert response.status_code == 302
    assert response.url == "/account/two-factor/setup/"
    page = client.get("/account/two-factor/setup/")
    assert page.status_code == 200
    assert b"<svg" in page.content
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post("/account/two-factor/setup/", {"code": totp_code(device)})
    assert response.status_code == 302
    assert response.url == "/account/two-factor/recovery-codes/"
    codes = client.get(response.url).context["codes"]
    device.refresh_from_db()
    return device, codes


def _logged_in_as(client):
    return client.session.get("_auth_user_id")


def test_leader_must_set_up_two_factor_before_getting_in(client, leader, two_factor_on):
    response = post_login(client, "leader")

    assert response.url == "/account/two-factor/setup/"
    assert _logged_in_as(client) is None
    # Not logged in yet: the rest of the site still sends them to the login page.
    assert client.get("/account/").status_code == 302
    assert client.get("/account/").url.startswith("/login/")


def test_whole_flow_with_a_real_totp_code(client, leader, two_factor_on):
    device, codes = _enrol(client, leader)

    assert device.confirmed
    assert _logged_in_as(client) == str(leader.pk)
    assert len(codes) == 10
    assert client.get("/account/").status_code == 200

    client.post("/logout/")
    response = post_login(client, "leader")
    assert response.url == "/login/verify/"
    assert _logged_in_as(client) is None

    response = client.post("/login/verify/", {"code": totp_code(device, steps_ahead=1)})
    assert response.status_code == 302
    assert _logged_in_as(client) == str(leader.pk)
    assert client.get("/account/").status_code == 200


def test_wrong_code_keeps_the_door_shut(client, leader, two_factor_on):
    device, _codes = _enrol(client, leader)
    client.post("/logout/")
    post_login(client, "leader")

    wrong = "000000" if totp_code(device) != "000000" else "111111"
    response = client.post("/login/verify/", {"code": wrong})

    assert response.status_code == 200
    assert response.context["form"].errors["code"]
    assert _logged_in_as(client) is None


def test_setup_refuses_a_wrong_code(client, leader, two_factor_on):
    post_login(client, "leader")
    client.get("/account/two-factor/setup/")

    response = client.post("/account/two-factor/setup/", {"code": "12345"})

    assert response.status_code == 200
    assert response.context["form"].errors["code"]
    assert not TOTPDevice.objects.filter(user=leader, confirmed=True).exists()
    assert _logged_in_as(client) is None


def test_recovery_codes_are_shown_once_and_work_once(client, leader, two_factor_on):
    _device, codes = _enrol(client, leader)

    again = client.get("/account/two-factor/recovery-codes/")
    assert again.context["codes"] is None
    assert codes[0].encode() not in again.content

    client.post("/logout/")
    post_login(client, "leader")
    client.post("/login/verify/", {"code": codes[0].upper()})
    assert _logged_in_as(client) == str(leader.pk)

    client.post("/logout/")
    post_login(client, "leader")
    response = client.post("/login/verify/", {"code": codes[0]})
    assert response.status_code == 200
    assert _logged_in_as(client) is None
    assert StaticToken.objects.filter(device__user=leader).count() == 9


def test_new_recovery_codes_replace_the_old_ones(client, leader, two_factor_on):
    _device, old_codes = _enrol(client, leader)

    response = client.post("/account/two-factor/recovery-codes/")
    new_codes = client.get(response.url).context["codes"]

    assert set(new_codes).isdisjoint(old_codes)
    tokens = set(StaticToken.objects.filter(device__user=leader).values_list("token", flat=True))
    assert tokens == set(new_codes)


def test_second_step_expires_and_needs_the_password_first(client, leader, two_factor_on):
    assert client.get("/login/verify/").url == "/login/"
    assert client.get("/account/two-factor/setup/").url.startswith("/login/")


def test_staff_may_go_without_two_factor(client, staff_user, two_factor_on):
    response = post_login(client, "staff")

    assert response.status_code == 302
    assert _logged_in_as(client) == str(staff_user.pk)


def test_staff_can_turn_it_on_and_then_must_use_it(client, staff_user, two_factor_on):
    client.force_login(staff_user)
    client.get("/account/two-factor/setup/")
    device = TOTPDevice.objects.get(user=staff_user)
    client.post("/account/two-factor/setup/", {"code": totp_code(device)})
    assert TOTPDevice.objects.get(user=staff_user).confirmed

    client.post("/logout/")
    assert post_login(client, "staff").url == "/login/verify/"
    assert _logged_in_as(client) is None


def test_staff_can_turn_it_off_with_a_current_code(client, staff_user, two_factor_on):
    client.force_login(staff_user)
    client.get("/account/two-factor/setup/")
    device = TOTPDevice.objects.get(user=staff_user)
    client.post("/account/two-factor/setup/", {"code": totp_code(device)})

    client.post("/account/two-factor/disable/", {"code": "bad"})
    assert TOTPDevice.objects.filter(user=staff_user).exists()

    client.post("/account/two-factor/disable/", {"code": totp_code(device, steps_ahead=1)})
    assert not TOTPDevice.objects.filter(user=staff_user).exists()
    assert not StaticDevice.objects.filter(user=staff_user).exists()


def test_a_required_role_cannot_turn_it_off(client, leader, two_factor_on):
    device, _codes = _enrol(client, leader)

    response = client.post(
        "/account/two-factor/disable/", {"code": totp_code(device, steps_ahead=1)}
    )

    assert response.status_code == 403
    assert TOTPDevice.objects.filter(user=leader).exists()


def test_a_session_without_second_factor_is_ended_for_required_roles(client, leader, two_factor_on):
    client.force_login(leader)  # as the admin's own login form would do

    response = client.get("/account/")

    assert response.status_code == 302
    assert response.url.startswith("/login/")
    assert _logged_in_as(client) is None


def test_a_password_alone_cannot_pair_a_new_phone(client, leader, two_factor_on):
    device, _codes = _enrol(client, leader)
    client.post("/logout/")
    post_login(client, "leader")  # an attacker who knows only the password

    assert client.get("/account/two-factor/setup/").url == "/login/verify/"
    response = client.post("/account/two-factor/setup/", {"code": "123456"})
    assert response.url == "/login/verify/"
    assert list(TOTPDevice.objects.filter(user=leader)) == [device]
    assert _logged_in_as(client) is None


def test_an_unverified_session_cannot_replace_the_app(client, staff_user, two_factor_on):
    """Someone who got in without the second factor must not pair their own phone instead."""
    two_factor_recovery_codes_renew(user=staff_user)
    client.force_login(staff_user)

    assert client.get("/account/two-factor/setup/").status_code == 403
    assert client.post("/account/two-factor/recovery-codes/").status_code == 403


@pytest.mark.parametrize("role_fixture", ["partner_user", "admin_user"])
def test_partners_and_administrators_must_use_it_too(client, request, role_fixture, two_factor_on):
    user = request.getfixturevalue(role_fixture)

    response = post_login(client, user.username)

    assert response.url == "/account/two-factor/setup/"
    assert _logged_in_as(client) is None


def test_staff_with_admin_access_count_as_administrators(client, staff_user, settings):
    """is_staff opens the admin, whatever the role: "admin" in the setting covers them."""
    settings.TWO_FACTOR_REQUIRED_ROLES = ["admin"]
    staff_user.is_staff = True
    staff_user.save()

    response = post_login(client, "staff")

    assert response.url == "/account/two-factor/setup/"
    assert _logged_in_as(client) is None
    # A session from the admin's own login form (no second factor) reaches no admin page.
    client.force_login(staff_user)
    admin_page = client.get("/admin/")
    assert admin_page.status_code == 302 and admin_page.url.startswith("/login/")
    assert _logged_in_as(client) is None


def test_staff_without_admin_access_need_not_when_only_admin_is_listed(
    client, staff_user, settings
):
    settings.TWO_FACTOR_REQUIRED_ROLES = ["admin"]

    response = post_login(client, "staff")

    assert response.status_code == 302
    assert _logged_in_as(client) == str(staff_user.pk)


def test_with_the_setting_empty_a_leader_logs_in_with_a_password(client, leader, settings):
    settings.TWO_FACTOR_REQUIRED_ROLES = []

    response = post_login(client, "leader")

    assert response.status_code == 302
    assert _logged_in_as(client) == str(leader.pk)


def test_the_second_step_speaks_the_persons_language(client, leader, two_factor_on):
    leader.preferred_language = "da"
    leader.save()
    post_login(client, "leader")

    assert "Opsæt totrinslogin" in client.get("/account/two-factor/setup/").content.decode()


def test_a_second_submit_of_the_setup_form_changes_nothing(staff_user):
    from clinics.services import two_factor_setup_confirm, two_factor_setup_start

    device = two_factor_setup_start(user=staff_user)
    first = two_factor_setup_confirm(user=staff_user, device=device, code=totp_code(device))
    second = two_factor_setup_confirm(user=staff_user, device=device, code=totp_code(device))

    assert len(first) == 10
    assert second is None
    assert TOTPDevice.objects.filter(user=staff_user, confirmed=True).count() == 1


def _wrong(device):
    right = {totp_code(device, steps_ahead=step) for step in (0, 1)}
    return next(code for code in ("000000", "111111", "222222") if code not in right)


def test_wrong_codes_lock_out_one_address_not_the_person(leader, two_factor_on, settings):
    """Like wrong passwords: counted per person and address, so wrong codes from address A
    (someone who knows the password) lock A, and the person still logs in from B."""
    device, _codes = _enrol(Client(), leader)
    from_a, from_b = Client(REMOTE_ADDR="10.0.0.1"), Client(REMOTE_ADDR="10.0.0.2")
    post_login(from_a, "leader")

    answers = [
        from_a.post("/login/verify/", {"code": _wrong(device)}).status_code
        for _ in range(settings.AXES_FAILURE_LIMIT)
    ]

    assert answers == [200] * (settings.AXES_FAILURE_LIMIT - 1) + [429]
    # Locked out from A: even the right code does not get in there.
    refused = from_a.post("/login/verify/", {"code": totp_code(device, steps_ahead=1)})
    assert refused.status_code == 429
    assert _logged_in_as(from_a) is None
    # From B the same person verifies as usual (django-otp's per-device throttle is off).
    assert post_login(from_b, "leader").url == "/login/verify/"
    response = from_b.post("/login/verify/", {"code": totp_code(device, steps_ahead=1)})
    assert response.status_code == 302
    assert _logged_in_as(from_b) == str(leader.pk)
    # B's login does not lift A's lockout, and A's password login is refused too.
    assert from_a.post("/login/verify/", {"code": "123456"}).status_code == 429
    assert post_login(from_a, "leader").status_code == 429


def test_a_wrong_code_is_a_failed_second_factor_not_a_failed_password(
    client, leader, two_factor_on, caplog
):
    device, _codes = _enrol(client, leader)
    client.post("/logout/")
    post_login(client, "leader")
    caplog.set_level(logging.INFO, logger="security")

    client.post("/login/verify/", {"code": _wrong(device)})

    lines = [r.getMessage() for r in caplog.records if r.name == "security"]
    assert any(line.startswith("second factor failed") for line in lines)
    assert not any(line.startswith("login failed") for line in lines)
    assert AccessAttempt.objects.get(username="leader").failures_since_start == 1
