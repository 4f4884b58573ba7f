"""The public results pages as an anonymous visitor: what is shown, what is not, filters,
language, the feed and the open data, the cache and the rate limit."""

import csv
import io
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from django.utils import timezone

from results.models import Publication
from results.services.publications import publication_save, publication_unpublish
from tests.clinics.factories import ClinicFactory
from tests.portfolio.factories import ProjectFactory, ThemeFactory

from .factories import publication_of

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def test_the_list_and_the_page_need_no_login(client, publication, partner_organisation):
    listing = client.get(reverse("results:index"))
    assert listing.status_code == 200
    assert "Same-day dental triage" in listing.text
    page = client.get(reverse("results:detail", kwargs={"slug": publication.slug}))
    assert page.status_code == 200
    text = page.text
    for shown in (
        "Same-day dental triage",
        "Patients get an answer the same day.",
        "Shorter waits for a first assessment.",
        "Tandvårdskliniken Idun",
        "Medtech Nord AB",
        "Days to first assessment",
    ):
        assert shown in text, shown
    # The feed is announced on the page.
    assert 'rel="alternate" type="application/atom+xml"' in text
    # No security token is cached into the public pages.
    assert "csrfmiddlewaretoken" not in text


def test_a_draft_or_unpublished_result_is_absent(client, project, leader, publication):
    publication_unpublish(publication=publication, actor=leader, expected_version=1)
    url = reverse("results:detail", kwargs={"slug": publication.slug})
    assert client.get(url).status_code == 404
    assert "Same-day dental triage" not in client.get(reverse("results:index")).text
    assert b"Same-day dental triage" not in client.get(reverse("results:feed")).content
    assert client.get(reverse("results:open_data_json")).json() == {"results": []}


def test_unpublishing_empties_the_cached_pages_at_once(client, leader, publication):
    url = reverse("results:detail", kwargs={"slug": publication.slug})
    assert client.get(url).status_code == 200
    assert "Same-day dental triage" in client.get(reverse("results:index")).text
    # Cached now: a change in the database alone is not seen...
    Publication.objects.filter(pk=publication.pk).update(title="Changed behind the cache")
    assert "Same-day dental triage" in client.get(reverse("results:index")).text
    # ...but the service's unpublish is, at once.
    publication_unpublish(publication=publication, actor=leader, expected_version=1)
    assert client.get(url).status_code == 404
    assert "Same-day dental triage" not in client.get(reverse("results:index")).text


def test_an_edit_of_a_published_result_shows_at_once(client, project, leader, publication):
    client.get(reverse("results:index"))
    publication_save(
        project=project,
        actor=leader,
        expected_version=publication.version,
        title="Triage within the hour",
        summary="Now within the hour.",
    )
    assert "Triage within the hour" in client.get(reverse("results:index")).text


def test_the_page_speaks_the_regions_language_and_the_visitors_choice(client, publication):
    url = reverse("results:detail", kwargs={"slug": publication.slug})
    swedish = client.get(url)
    assert '<html lang="sv">' in swedish.text
    assert "Publicerade resultat" in swedish.text
    english = client.get(url, {"lang": "en"})
    assert '<html lang="en">' in english.text
    assert english.cookies["django_language"].value == "en"
    # The choice is remembered (the cookie) on the next page.
    assert '<html lang="en">' in client.get(url).text


def test_the_summary_in_the_readers_language_when_written(client, publication):
    Publication.objects.filter(pk=publication.pk).update(summary_en="Same-day answers (en).")
    url = reverse("results:detail", kwargs={"slug": publication.slug})
    assert "Same-day answers (en)." in client.get(url, {"lang": "en"}).text
    assert "Patients get an answer the same day." in client.get(url, {"lang": "sv"}).text


@pytest.fixture
def three_results(publication, clinic, other_clinic, foreign_clinic, region):
    theme = ThemeFactory(slug="prevention", name="Prevention")
    joint = ProjectFactory(lead_clinic=other_clinic, title="Joint", stage="pilot")
    joint.other_clinics.add(clinic)
    joint.themes.add(theme)
    foreign = ProjectFactory(lead_clinic=foreign_clinic, title="Foreign", stage="completed")
    return {
        "own": publication,
        "joint": publication_of(joint, title="Joint pilot result"),
        "foreign": publication_of(foreign, title="Danish result"),
        "theme": theme,
    }


def _titles(response):
    return {
        t
        for t in ("Same-day dental triage", "Joint pilot result", "Danish result")
        if t in response.text
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, {"Same-day dental triage", "Joint pilot result", "Danish result"}),
        ({"region": "midtjylland"}, {"Danish result"}),
        ({"region": "vasterbotten"}, {"Same-day dental triage", "Joint pilot result"}),
        ({"stage": "pilot"}, {"Joint pilot result"}),
        ({"theme": "prevention"}, {"Joint pilot result"}),
    ],
)
def test_filters(client, three_results, query, expected):
    response = client.get(reverse("results:index"), query)
    assert response.status_code == 200
    assert _titles(response) == expected


def test_the_clinic_filter_counts_joined_clinics(client, three_results, clinic):
    response = client.get(reverse("results:index"), {"clinic": clinic.pk})
    assert _titles(response) == {"Same-day dental triage", "Joint pilot result"}


def test_a_region_filter_speaks_the_regions_language(client, three_results):
    response = client.get(reverse("results:index"), {"region": "midtjylland"})
    assert '<html lang="da">' in response.text


@pytest.mark.parametrize(
    "query",
    [
        {"region": "nowhere"},
        {"clinic": "x"},
        {"stage": "bogus"},
        {"page": "x"},
        {"per_page": "9999"},
    ],
)
def test_bad_filters_are_errors_not_failures(client, three_results, query):
    response = client.get(reverse("results:index"), query)
    assert response.status_code in (200, 400)
    assert "Danish result" in response.text


def test_the_page_size_is_capped(client, clinic):
    for index in range(55):
        publication_of(ProjectFactory(lead_clinic=clinic), title=f"Result number {index:02d}")
    response = client.get(reverse("results:index"), {"per_page": "50"})
    assert response.text.count('data-testid="result"') == 50
    response = client.get(reverse("results:index"), {"per_page": "500"})
    assert response.text.count('data-testid="result"') == 20
    assert (
        client.get(reverse("results:index"), {"page": "3"}).text.count('data-testid="result"') == 15
    )


def test_the_feed_is_atom(client, three_results):
    response = client.get(reverse("results:feed"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)  # noqa: S314 - our own feed
    assert root.tag == f"{ATOM}feed"
    entries = root.findall(f"{ATOM}entry")
    titles = {entry.find(f"{ATOM}title").text for entry in entries}
    assert titles == {"Same-day dental triage", "Joint pilot result", "Danish result"}
    for entry in entries:
        assert entry.find(f"{ATOM}updated").text
        link = entry.find(f"{ATOM}link").get("href")
        assert "/results/" in link


def test_the_feed_shows_an_update_first(client, three_results, leader, project):
    publication = three_results["own"]
    Publication.objects.filter(pk=publication.pk).update(
        updated_at=timezone.now() + timezone.timedelta(minutes=5)
    )
    feed = client.get(reverse("results:feed")).content
    root = ET.fromstring(feed)  # noqa: S314 - our own feed
    first = root.find(f"{ATOM}entry").find(f"{ATOM}title").text
    assert first == "Same-day dental triage"


def test_open_data_json(client, publication, partner_organisation):
    data = client.get(reverse("results:open_data_json")).json()
    (result,) = data["results"]
    assert result["title"] == "Same-day dental triage"
    assert result["partners"] == ["Medtech Nord AB"]
    assert result["clinics"] == ["Tandvårdskliniken Idun"]
    assert result["url"].startswith("http://testserver/results/")
    (indicator,) = result["indicators"]
    assert indicator["baseline"] == "10" and indicator["target"] == "5"
    assert indicator["latest"] is None


def test_open_data_csv(client, publication):
    response = client.get(reverse("results:open_data_csv"), {"lang": "en"})
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    (row,) = rows
    assert row["Title"] == "Same-day dental triage"
    assert row["Partners"] == "Medtech Nord AB"
    assert row["Value indicator"] == "Days to first assessment"
    assert row["Baseline"] == "10" and row["Target"] == "5"


def test_anonymous_requests_are_rate_limited(client, settings, publication):
    settings.RESULTS_THROTTLE_ANON = "3/minute"
    url = reverse("results:index")
    statuses = [client.get(url).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = client.get(url, {"lang": "sv"})
    assert response.status_code == 429
    assert "Retry-After" in response
    assert "För många förfrågningar" in response.text


def test_signed_in_people_are_not_throttled_nor_cached(client, settings, publication, leader):
    settings.RESULTS_THROTTLE_ANON = "1/minute"
    client.force_login(leader)
    url = reverse("results:index")
    assert [client.get(url).status_code for _ in range(3)] == [200, 200, 200]
    Publication.objects.filter(pk=publication.pk).update(title="Seen at once")
    assert "Seen at once" in client.get(url).text


def test_another_clinic_in_the_list_is_not_a_person(client, clinic):
    ClinicFactory(region=clinic.region, name="Unused clinic")
    response = client.get(reverse("results:index"))
    assert "Unused clinic" not in response.text
