import time

import pytest
from django_otp.oath import TOTP

from tests.clinics.factories import TEST_PASSWORD


@pytest.fixture
def two_factor_on(settings):
    """Two-factor login as in production: required for leaders, partners and administrators."""
    settings.TWO_FACTOR_REQUIRED_ROLES = ["leader", "partner", "admin"]
    return settings


def totp_code(device, steps_ahead=0):
    """The code an authenticator app shows for ``device`` now (or ``steps_ahead`` steps later).

    A code is accepted once; a second login within the same 30 s uses the next step's code,
    which the device's tolerance of one step accepts.
    """
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
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
