"""Languages: the region's language by default, the person's choice, the switcher's choice."""

import pytest
from django.conf import settings
from django.urls import reverse

from tests.clinics.factories import StaffFactory

pytestmark = pytest.mark.django_db

HEADINGS = {"sv": "Stöd för", "da": "Hjælp til", "en": "Help for"}


def _help_page_language(client, clinic):
    response = client.get(reverse("clinics:help", args=[clinic.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    languages = [code for code, heading in HEADINGS.items() if heading in html]
    assert len(languages) == 1, languages
    assert f'<html lang="{languages[0]}"' in html
    return languages[0]


def test_swedish_region_user_without_preference_reads_swedish(client, staff_user, clinic):
    client.force_login(staff_user)

    assert _help_page_language(client, clinic) == "sv"


def test_danish_region_user_without_preference_reads_danish(client, foreign_clinic):
    client.force_login(StaffFactory(clinic=foreign_clinic))

    assert _help_page_language(client, foreign_clinic) == "da"


def test_a_persons_own_preference_wins_over_the_region(client, staff_user, clinic):
    staff_user.preferred_language = "da"
    staff_user.save()
    client.force_login(staff_user)

    assert _help_page_language(client, clinic) == "da"


def test_language_switcher_changes_the_language_of_the_next_page(client, staff_user, clinic):
    client.force_login(staff_user)
    help_url = reverse("clinics:help", args=[clinic.pk])

    response = client.post(reverse("set_language"), {"language": "en", "next": help_url})

    assert response.status_code == 302 and response.url == help_url
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    # The explicit choice wins over the region's Swedish.
    assert _help_page_language(client, clinic) == "en"


def test_language_switcher_works_before_logging_in(client):
    client.post(reverse("set_language"), {"language": "sv", "next": reverse("login")})

    html = client.get(reverse("login")).content.decode()

    assert '<html lang="sv"' in html and "Logga in" in html


def test_language_switcher_refuses_a_foreign_next_url(client):
    response = client.post(
        reverse("set_language"), {"language": "da", "next": "https://evil.example/"}
    )

    assert response.status_code == 302 and "evil.example" not in response.url


def test_base_layout_offers_every_language(client):
    html = client.get(reverse("login")).content.decode()

    # A menu of buttons that each post to set_language (issue 15: no separate "Change" button).
    for code, _name in settings.LANGUAGES:
        assert f'name="language" value="{code}"' in html
