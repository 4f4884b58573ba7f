import pytest
from playwright.sync_api import expect

from portfolio.models import DigestPreference

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_leader_chooses_a_monthly_digest_in_danish(page, live_server, log_in, leader):
    leader.preferred_language = "en"
    leader.save()

    log_in(leader)
    page.locator("#account-menu").click()  # the digest settings sit in the person's menu
    page.get_by_role("link", name="Digest settings").click()
    page.get_by_label("Every month").check()
    page.get_by_label("Language of the digest").select_option("da")
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_role("status")).to_contain_text("saved")
    preference = DigestPreference.objects.get(leader=leader)
    assert (preference.frequency, preference.language) == ("monthly", "da")
