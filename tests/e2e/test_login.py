import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_staff_member_logs_in_and_finds_the_clinic_help(page, live_server, log_in, staff_user):
    staff_user.preferred_language = "en"
    staff_user.save()

    log_in(staff_user)
    page.get_by_role("link", name="Help").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Tandvårdskliniken Idun")


def test_wrong_password_shows_an_error_and_stays_on_login(page, live_server, log_in, staff_user):
    log_in(staff_user, password="not-the-password")

    expect(page).to_have_url(f"{live_server.url}/login/")
    expect(page.get_by_role("alert").first).to_be_visible()
