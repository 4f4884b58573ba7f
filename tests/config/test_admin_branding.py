"""The admin carries the product's name, and third-party apps show names an administrator reads."""

import pytest

pytestmark = pytest.mark.django_db


def test_admin_index_is_branded_with_readable_app_names(client, admin_user):
    client.force_login(admin_user)

    page = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "Partnerskap administration" in page
    assert "Django administration" not in page
    for name in (
        "Scheduled tasks",
        "Login attempts and lockouts",
        "Two-factor login: authenticator apps",
        "Two-factor login: recovery codes",
    ):
        assert name in page


def test_admin_loads_its_accessibility_fixes_from_static_files(client, admin_user):
    client.force_login(admin_user)

    page = client.get("/admin/clinics/region/add/").content.decode()

    assert "admin_site/admin.css" in page and "admin_site/admin_a11y.js" in page
    assert "<style" not in page
