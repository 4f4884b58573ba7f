"""A theme's name follows the reader's language, with the one name as the fallback."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from portfolio.models import Theme

pytestmark = pytest.mark.django_db


def test_display_name_follows_the_language_with_a_fallback():
    theme = Theme.objects.create(
        slug="prevention", name="Förebyggande", name_sv="Förebyggande", name_da="Forebyggelse"
    )
    with translation.override("da"):
        assert theme.display_name == "Forebyggelse"
        assert str(theme) == "Forebyggelse"
    with translation.override("en"):
        assert theme.display_name == "Förebyggande"  # no English name: the theme's own


def test_dashboard_shows_the_danish_name_in_filters_and_figures(leader, project):
    theme = Theme.objects.create(
        slug="prevention", name="Förebyggande", name_sv="Förebyggande", name_da="Forebyggelse"
    )
    project.themes.add(theme)
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "da"
    client.force_login(leader)
    page = client.get(reverse("portfolio:dashboard")).content.decode()
    assert page.count("Forebyggelse") >= 2  # the theme filter and the chart's table
    assert "Förebyggande" not in page
