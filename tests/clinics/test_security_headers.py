"""Security headers on every page, and the deployment checks that guard the settings."""

import subprocess

import pytest
from django.conf import settings

from clinics.checks import check_login_protection

pytestmark = pytest.mark.django_db


def _csp(response):
    return dict(
        (part.strip().split(" ", 1) + [""])[:2]
        for part in response["Content-Security-Policy"].split(";")
    )


def test_login_page_sends_a_strict_content_security_policy(client):
    csp = _csp(client.get("/login/"))

    assert csp["default-src"] == "'self'"
    assert csp["script-src"] == "'self'"
    assert csp["style-src"] == "'self'"
    assert csp["frame-ancestors"] == "'none'"
    assert csp["object-src"] == "'none'"
    assert "unsafe-inline" not in str(csp)


def test_pages_send_the_other_security_headers(client):
    response = client.get("/login/", secure=True)

    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_signed_in_pages_carry_the_policy_too(client, staff_user):
    client.force_login(staff_user)

    response = client.get("/account/")

    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


def test_deploy_checks_pass_with_production_defaults():
    """bin/check-deploy (part of `make test`) runs the production settings, warnings fatal."""
    script = settings.BASE_DIR / "bin" / "check-deploy"
    assert "--fail-level WARNING" in script.read_text()

    result = subprocess.run([script], capture_output=True, text=True, timeout=120)  # noqa: S603

    assert result.returncode == 0, result.stdout + result.stderr


def test_deploy_check_warns_when_two_factor_is_off(settings):
    settings.TWO_FACTOR_REQUIRED_ROLES = []

    assert [w.id for w in check_login_protection(None)] == ["partnerskap.W001"]


def test_deploy_check_warns_about_inline_scripts_and_off_lockout(settings):
    settings.TWO_FACTOR_REQUIRED_ROLES = ["leader", "partner", "admin"]
    settings.AXES_ENABLED = False
    settings.CONTENT_SECURITY_POLICY = {
        "DIRECTIVES": {"default-src": ["'self'"], "script-src": ["'self'", "'unsafe-inline'"]}
    }

    ids = [w.id for w in check_login_protection(None)]

    assert ids == ["partnerskap.W002", "partnerskap.W003", "partnerskap.W004"]
