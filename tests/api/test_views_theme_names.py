"""Themes in the API: each with its name in the request's language and every name."""

import pytest
from django.urls import reverse

from tests.portfolio.factories import ThemeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def theme(project):
    theme = ThemeFactory(
        slug="self-care", name="Egenvård", name_sv="Egenvård", name_da="Egenomsorg", name_en=""
    )
    project.themes.add(theme)
    return theme


def _themes(client, project, **headers):
    url = reverse("api:project-detail", args=[project.pk])
    return client.get(url, **headers).json()["theme_details"]


def test_a_theme_comes_with_every_name_and_the_one_asked_for(client, leader, project, theme):
    client.force_login(leader)

    [danish] = _themes(client, project, QUERY_STRING="lang=da")
    url = reverse("api:project-detail", args=[project.pk])
    assert client.get(url).json()["themes"] == ["self-care"]  # the slugs, as before

    assert danish == {
        "id": theme.pk,
        "slug": "self-care",
        "name": "Egenomsorg",
        "names": {"sv": "Egenvård", "da": "Egenomsorg", "en": ""},
    }


def test_accept_language_decides_without_lang_and_a_missing_name_falls_back(
    client, leader, project, theme
):
    client.force_login(leader)

    assert _themes(client, project, HTTP_ACCEPT_LANGUAGE="da-DK,da;q=0.9")[0]["name"] == (
        "Egenomsorg"
    )
    # No English name: the theme's own.
    assert _themes(client, project, HTTP_ACCEPT_LANGUAGE="en")[0]["name"] == "Egenvård"
    # ?lang= wins over the header; an unknown ?lang= is ignored.
    assert (
        _themes(client, project, QUERY_STRING="lang=da", HTTP_ACCEPT_LANGUAGE="en")[0]["name"]
        == "Egenomsorg"
    )
    assert (
        _themes(client, project, QUERY_STRING="lang=xx", HTTP_ACCEPT_LANGUAGE="da")[0]["name"]
        == "Egenomsorg"
    )


def test_ideas_name_their_themes_too(client, staff_user, theme):
    from tests.portfolio.factories import IdeaFactory

    IdeaFactory(submitter=staff_user, submitted=True).themes.add(theme)
    client.force_login(staff_user)

    [idea] = client.get(reverse("api:idea-list"), {"lang": "da"}).json()["results"]

    assert idea["theme_details"][0]["name"] == "Egenomsorg"
    assert idea["themes"] == ["self-care"]  # the slugs, as before


def test_the_schema_documents_theme_names_and_lang(client, leader):
    client.force_login(leader)
    schema = client.get(reverse("api:schema"), {"format": "json"}).json()

    theme = schema["components"]["schemas"]["Theme"]
    assert set(theme["properties"]) == {"id", "slug", "name", "names"}
    assert set(schema["components"]["schemas"]["ThemeNames"]["properties"]) == {"sv", "da", "en"}
    project_list = schema["paths"]["/api/v1/projects/"]["get"]
    assert "lang" in {parameter["name"] for parameter in project_list["parameters"]}
