"""The security settings come from the environment, with safe defaults."""

import runpy
from datetime import timedelta

from django.conf import settings

SETTINGS_FILE = settings.BASE_DIR / "config" / "settings.py"
VARIABLES = (
    "LOGIN_FAILURE_LIMIT",
    "LOGIN_COOLOFF_MINUTES",
    "TWO_FACTOR_REQUIRED_ROLES",
    "TRUSTED_PROXY_COUNT",
    "AXES_ENABLED",
)


def _load(monkeypatch, **env):
    for name in VARIABLES:
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(SETTINGS_FILE))


def test_defaults_are_the_safe_ones(monkeypatch):
    loaded = _load(monkeypatch)

    assert loaded["AXES_FAILURE_LIMIT"] == 5
    assert loaded["AXES_COOLOFF_TIME"] == timedelta(minutes=15)
    assert loaded["AXES_LOCKOUT_PARAMETERS"] == [["username", "ip_address"]]
    assert loaded["TWO_FACTOR_REQUIRED_ROLES"] == ["leader", "partner", "admin"]
    assert loaded["TRUSTED_PROXY_COUNT"] == 0
    assert loaded["AXES_ENABLED"] is True


def test_limits_and_roles_are_set_by_the_environment(monkeypatch):
    loaded = _load(
        monkeypatch,
        LOGIN_FAILURE_LIMIT="10",
        LOGIN_COOLOFF_MINUTES="60",
        TWO_FACTOR_REQUIRED_ROLES="admin",
        TRUSTED_PROXY_COUNT="1",
    )

    assert loaded["AXES_FAILURE_LIMIT"] == 10
    assert loaded["AXES_COOLOFF_TIME"] == timedelta(hours=1)
    assert loaded["TWO_FACTOR_REQUIRED_ROLES"] == ["admin"]
    assert loaded["TRUSTED_PROXY_COUNT"] == 1


def test_an_empty_role_list_turns_two_factor_off(monkeypatch):
    assert _load(monkeypatch, TWO_FACTOR_REQUIRED_ROLES="")["TWO_FACTOR_REQUIRED_ROLES"] == []
