"""The leader's publish step: the form, the preview, publishing, a stale edit (409) and
unpublishing; and the link from the project page."""

import pytest
from django.urls import reverse

from results.models import Publication

pytestmark = pytest.mark.django_db

TEXTS = {
    "title": "Same-day triage",
    "summary": "Answers the same day.",
    "patient_change": "Less waiting.",
}


@pytest.fixture
def url(project):
    return reverse("results:publication_edit", kwargs={"project_pk": project.pk})


def test_the_project_page_links_the_publish_step(client, leader, staff_user, project, url):
    client.force_login(leader)
    page = client.get(reverse("portfolio:project_detail", kwargs={"pk": project.pk}))
    assert url in page.text
    client.force_login(staff_user)
    page = client.get(reverse("portfolio:project_detail", kwargs={"pk": project.pk}))
    assert url not in page.text


def test_preview_then_publish(client, leader, project, indicator, agreement, url):
    client.force_login(leader)
    form = client.get(url)
    assert form.status_code == 200
    assert project.title in form.text  # the public title starts as the project's
    data = {**TEXTS, "indicators": [indicator.pk], "version": ""}
    preview = client.post(url, {**data, "action": "preview"})
    assert preview.status_code == 200
    assert 'data-testid="publication-preview"' in preview.text
    assert "Days to first assessment" in preview.text and "Medtech Nord AB" in preview.text
    assert not Publication.objects.exists()  # a preview writes nothing
    response = client.post(url, {**data, "action": "publish"})
    assert response.status_code == 302
    publication = Publication.objects.get()
    assert publication.is_published
    assert list(publication.indicators.all()) == [indicator]
    public = client.get(reverse("results:detail", kwargs={"slug": publication.slug}))
    assert "Answers the same day." in public.text


def test_the_summary_is_required_next_to_the_field(client, leader, url):
    client.force_login(leader)
    response = client.post(url, {**TEXTS, "summary": "", "action": "preview", "version": ""})
    assert response.status_code == 400
    assert 'id="error_1_id_summary"' in response.text or "is-invalid" in response.text


def test_an_indicator_of_another_project_is_refused(client, leader, url):
    from tests.portfolio.factories import ValueIndicatorFactory

    client.force_login(leader)
    foreign = ValueIndicatorFactory()
    response = client.post(url, {**TEXTS, "indicators": [foreign.pk], "action": "publish"})
    assert response.status_code == 400
    assert not Publication.objects.exists()


def test_a_stale_edit_answers_409_with_the_current_version(client, leader, url):
    client.force_login(leader)
    client.post(url, {**TEXTS, "action": "publish", "version": ""})
    client.post(url, {**TEXTS, "title": "Newer", "action": "publish", "version": "1"})
    response = client.post(url, {**TEXTS, "title": "Older", "action": "publish", "version": "1"})
    assert response.status_code == 409
    assert Publication.objects.get().title == "Newer"
    assert 'name="version" value="2"' in response.text


def test_unpublish(client, leader, project, url):
    client.force_login(leader)
    client.post(url, {**TEXTS, "action": "publish", "version": ""})
    client.post(url, {**TEXTS, "title": "Edited", "action": "publish", "version": "1"})
    publication = Publication.objects.get()
    unpublish = reverse("results:publication_unpublish", kwargs={"project_pk": project.pk})
    assert client.post(unpublish, {"version": "1"}).status_code == 409
    assert client.post(unpublish, {"version": str(publication.version)}).status_code == 302
    assert not Publication.objects.get().is_published
    assert client.get(reverse("results:detail", args=[publication.slug])).status_code == 404
