"""The error pages: in the site's layout and the person's language, with the menu and a way
back; JSON for the API. With DEBUG off, as in production."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

# What each page says, per language: the title and the start-page link.
EXPECTED = {
    404: {
        "sv": ("Sidan hittades inte", "Till din startsida"),
        "da": ("Siden blev ikke fundet", "Til din startside"),
        "en": ("Page not found", "Go to your start page"),
    },
    403: {
        "sv": ("Inte tillåtet", "Till din startsida"),
        "da": ("Ikke tilladt", "Til din startside"),
        "en": ("Not allowed", "Go to your start page"),
    },
    400: {
        "sv": ("Felaktig begäran", "Till din startsida"),
        "da": ("Ugyldig forespørgsel", "Til din startside"),
        "en": ("Bad request", "Go to your start page"),
    },
    500: {
        "sv": ("Serverfel", "Till din startsida"),
        "da": ("Serverfejl", "Til din startside"),
        "en": ("Server error", "Go to your start page"),
    },
}
LANGUAGES = ["sv", "da", "en"]


@pytest.fixture(autouse=True)
def _debug_off(settings):
    settings.DEBUG = False


def _signed_in(user, language):
    client = Client(HTTP_REFERER="http://testserver/portfolio/my-ideas/")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    client.force_login(user)
    return client


def _assert_page(response, status, language, *, menu: str | None):
    title, home = EXPECTED[status][language]
    page = response.content.decode()
    assert response.status_code == status
    assert f'<html lang="{language}">' in page
    assert title in page
    assert home in page
    assert f'href="{reverse("home")}"' in page
    assert 'aria-label="' in page and 'class="navbar' in page  # the site's layout
    if menu:
        assert menu in page  # the signed-in person's menu
        assert 'href="http://testserver/portfolio/my-ideas/"' in page  # back where they were


@pytest.mark.parametrize("language", LANGUAGES)
def test_404_in_the_layout_with_the_menu_and_a_way_back(staff_user, language):
    response = _signed_in(staff_user, language).get("/portfolio/ideas/999999/")
    _assert_page(response, 404, language, menu=reverse("portfolio:my_ideas"))


@pytest.mark.parametrize("language", LANGUAGES)
def test_403_in_the_layout_with_the_menu_and_a_way_back(staff_user, language):
    response = _signed_in(staff_user, language).get(reverse("portfolio:dashboard"))
    _assert_page(response, 403, language, menu=reverse("portfolio:my_ideas"))


@pytest.mark.parametrize("language", LANGUAGES)
def test_400_in_the_layout(staff_user, language, settings):
    settings.ALLOWED_HOSTS = ["testserver"]
    client = _signed_in(staff_user, language)
    response = client.get("/portfolio/my-ideas/", HTTP_HOST="elsewhere.example")
    _assert_page(response, 400, language, menu=None)


@pytest.mark.parametrize("language", LANGUAGES)
def test_500_in_the_layout_without_the_database(language, rf, django_assert_num_queries):
    from config.outages import server_error

    request = rf.get("/portfolio/", HTTP_ACCEPT_LANGUAGE=language)
    with django_assert_num_queries(0):
        response = server_error(request)
    _assert_page(response, 500, language, menu=None)


def test_a_foreign_referer_gives_no_back_link(staff_user):
    client = _signed_in(staff_user, "en")
    page = client.get("/portfolio/ideas/999999/", HTTP_REFERER="https://evil.example/x").content
    assert b"evil.example" not in page
    assert b"Back to the previous page" not in page


@pytest.mark.parametrize(
    ("language", "title"),
    [
        ("sv", "Formuläret kunde inte skickas"),
        ("da", "Formularen kunne ikke sendes"),
        ("en", "Your form could not be sent"),
    ],
)
def test_a_form_without_its_token_gets_the_csrf_page(staff_user, language, title):
    client = Client(enforce_csrf_checks=True)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    client.force_login(staff_user)
    response = client.post(reverse("portfolio:idea_create"), {"title": "x"})
    page = response.content.decode()
    assert response.status_code == 403
    assert title in page
    assert reverse("portfolio:my_ideas") in page  # the menu
    assert EXPECTED[404][language][1] in page


def test_the_api_keeps_json(staff_user):
    client = Client()
    response = client.get("/api/v1/no-such-thing/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert "detail" in response.json()
