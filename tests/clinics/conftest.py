import pytest
from django_otp.oath import TOTP, hotp

from tests.clinics.factories import TEST_PASSWORD


@pytest.fixture
def two_factor_on(settings):
    """Two-factor login as in production: required for leaders, partners and administrators."""
    settings.TWO_FACTOR_REQUIRED_ROLES = ["leader", "partner", "admin"]
    return settings


def totp_code(device, steps_ahead=0):
    """The code an authenticator app shows for ``device`` now (or ``steps_ahead`` steps later).

    A code is accepted once: a second login within the same 30 s needs a later step's code,
    which the device's tolerance of one step accepts. The device is read again first, and a
    code ahead is for the step after the last one used, so a 30 s boundary crossed between two
    logins (or a drift the server learned) cannot make it fall outside that tolerance.
    """
    if device.pk:
        device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    if steps_ahead:
        step = max(totp.t(), device.last_t) + steps_ahead
        return f"{hotp(device.bin_key, step, digits=device.digits):0{device.digits}d}"
    return f"{totp.token():0{device.digits}d}"


def post_login(client, username, password=TEST_PASSWORD, **extra):
    return client.post("/login/", {"username": username, "password": password}, **extra)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """These tests check many passwords; a fast hasher keeps them quick (not for production)."""
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]
