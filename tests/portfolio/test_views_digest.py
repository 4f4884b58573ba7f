"""Digest settings page and the signed one-click unsubscribe link."""

import pytest
from django.test import Client
from django.urls import reverse

from insights.services.digests import digest_unsubscribe_token
from portfolio.models import DigestPreference

pytestmark = pytest.mark.django_db

SETTINGS_URL = reverse("portfolio:digest_preferences")

ROLES = {
    "anonymous": None,
    "staff_user": 403,
    "other_clinic_staff": 403,
    "leader": 200,
    "other_region_leader": 200,
    "partner_user": 403,
    "other_partner_user": 403,
    "admin_user": 403,
}


@pytest.mark.parametrize(("role", "expected"), ROLES.items())
def test_settings_page_permission_matrix(client, request, role, expected):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    response = client.get(SETTINGS_URL)
    if expected is None:
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
    else:
        assert response.status_code == expected


@pytest.mark.parametrize("role", list(ROLES))
def test_unsubscribe_link_needs_no_login_and_works_for_whoever_holds_it(
    client, request, leader, role
):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    url = reverse("portfolio:digest_unsubscribe", args=[digest_unsubscribe_token(leader)])
    assert client.get(url).status_code == 200
    assert not DigestPreference.objects.filter(frequency="none").exists()  # GET only asks


def test_leader_saves_frequency_and_language(client, leader):
    client.force_login(leader)
    response = client.post(
        SETTINGS_URL, {"frequency": "monthly", "language": "da", "send_when_empty": ""}
    )
    assert response.status_code == 302
    preference = DigestPreference.objects.get(leader=leader)
    assert (preference.frequency, preference.language, preference.send_when_empty) == (
        "monthly",
        "da",
        False,
    )
    form = client.get(SETTINGS_URL).context["form"]
    assert (form["frequency"].value(), form["language"].value()) == ("monthly", "da")


def test_empty_post_shows_the_errors(client, leader):
    client.force_login(leader)
    response = client.post(SETTINGS_URL, {})
    assert response.status_code == 200
    assert "frequency" in response.context["form"].errors


def test_invalid_choice_is_refused_with_a_message_and_keeps_the_input(client, leader):
    client.force_login(leader)
    response = client.post(SETTINGS_URL, {"frequency": "hourly", "language": "da"})
    assert response.status_code == 200
    assert "frequency" in response.context["form"].errors
    assert response.context["form"]["language"].value() == "da"
    assert not DigestPreference.objects.exists()


def test_unsubscribe_confirm_then_post(client, leader):
    DigestPreference.objects.create(leader=leader, frequency="weekly", language="en")
    url = reverse("portfolio:digest_unsubscribe", args=[digest_unsubscribe_token(leader)])
    page = client.get(url)
    assert page.status_code == 200
    assert b'method="post"' in page.content
    response = client.post(url)
    assert response.status_code == 200
    preference = DigestPreference.objects.get(leader=leader)
    assert preference.frequency == "none"
    assert preference.language == "en"  # the rest is kept


def test_one_click_unsubscribe_from_a_mail_client_without_csrf_token(leader):
    client = Client(enforce_csrf_checks=True)
    url = reverse("portfolio:digest_unsubscribe", args=[digest_unsubscribe_token(leader)])
    response = client.post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert DigestPreference.objects.get(leader=leader).frequency == "none"


@pytest.mark.parametrize(
    "token",
    ["nonsense", "eyJsZWFkZXIiOjF9:forged", "eyJsZWFkZXIiOjF9", "%00", "a" * 500],
)
def test_tampered_token_is_a_clear_400_not_a_500(client, leader, token):
    url = reverse("portfolio:digest_unsubscribe", args=["x"]).replace("/x/", f"/{token}/")
    for method in (client.get, client.post):
        response = method(url)
        assert response.status_code == 400
        assert b"not valid" in response.content
    assert not DigestPreference.objects.exists()


def test_token_of_someone_who_is_not_a_leader_is_refused(client, staff_user):
    url = reverse("portfolio:digest_unsubscribe", args=[digest_unsubscribe_token(staff_user)])
    assert client.post(url).status_code == 400


def test_names_on_the_confirm_page_are_escaped(client, leader):
    leader.first_name = "<b>Eve</b>"
    leader.save()
    url = reverse("portfolio:digest_unsubscribe", args=[digest_unsubscribe_token(leader)])
    content = client.get(url).content.decode()
    assert "<b>Eve</b>" not in content
    assert "&lt;b&gt;Eve&lt;/b&gt;" in content


def test_leader_menu_links_to_the_settings(client, leader):
    client.force_login(leader)
    assert SETTINGS_URL.encode() in client.get(reverse("home"), follow=True).content
