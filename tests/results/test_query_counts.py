"""The public list, a result's page, the feed and the open data cost the same number of
queries with 2 or 12 published results (each with clinics, themes, partners, indicators); a
cached page for an anonymous visitor costs none."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.partners.factories import PartnerOrganisationFactory, agreement_with_parties
from tests.portfolio.factories import ProjectFactory, ThemeFactory, ValueIndicatorFactory

from .factories import publication_of

pytestmark = pytest.mark.django_db

URLS = ["index", "feed", "open_data_csv", "open_data_json"]


def _grow(count, clinic, other_clinic):
    for _ in range(count):
        project = ProjectFactory(lead_clinic=clinic)
        project.other_clinics.add(other_clinic)
        project.themes.add(ThemeFactory())
        agreement_with_parties(PartnerOrganisationFactory(), project=project, status="signed")
        indicators = [ValueIndicatorFactory(project=project) for _ in range(2)]
        publication_of(project, indicators=indicators)


def _count(client, url, cache):
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("name", URLS)
def test_public_pages_do_not_grow_with_data(client, clinic, other_clinic, name):
    from django.core.cache import cache

    url = reverse(f"results:{name}")
    _grow(2, clinic, other_clinic)
    small = _count(client, url, cache)
    _grow(10, clinic, other_clinic)
    large = _count(client, url, cache)
    assert large == small, (name, small, large)
    assert small <= 12, small  # the list: 3 for the filters, count, page, 3 prefetches, partners


def test_a_results_page_and_the_cache(client, clinic, other_clinic):
    from django.core.cache import cache

    _grow(1, clinic, other_clinic)
    from results.models import Publication

    url = reverse("results:detail", args=[Publication.objects.get().slug])
    assert _count(client, url, cache) <= 7
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    assert len(queries) == 0
