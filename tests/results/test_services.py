"""Publishing, editing and unpublishing a result: the rule, the version, the audit trail, the
database's invariant and the public cache's version."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from results.cache import results_version
from results.models import Publication
from results.services.publications import publication_save, publication_unpublish
from tests.portfolio.factories import ProjectFactory, ValueIndicatorFactory

pytestmark = pytest.mark.django_db

TEXTS = {"title": "Same-day triage", "summary": "Answers the same day.", "patient_change": ""}


def test_a_steering_leader_publishes_with_the_projects_own_indicators(project, leader, indicator):
    before = results_version()
    publication = publication_save(
        project=project, actor=leader, indicators=[indicator], publish=True, **TEXTS
    )
    assert publication.is_published and publication.published_at is not None
    assert publication.slug == f"same-day-triage-{project.pk}"
    assert list(publication.indicators.all()) == [indicator]
    assert publication.history.latest().history_user == leader
    assert results_version() != before


def test_a_draft_is_not_public_and_does_not_empty_the_cache(project, leader):
    before = results_version()
    publication = publication_save(project=project, actor=leader, **TEXTS)
    assert not publication.is_published
    assert not Publication.objects.published().exists()
    assert results_version() == before


def test_the_summary_is_required(project, leader):
    with pytest.raises(ValidationError) as error:
        publication_save(project=project, actor=leader, publish=True, **{**TEXTS, "summary": " "})
    assert "summary" in error.value.message_dict


def test_another_projects_indicator_is_refused(project, leader):
    foreign = ValueIndicatorFactory(project=ProjectFactory(lead_clinic=project.lead_clinic))
    with pytest.raises(ValidationError) as error:
        publication_save(project=project, actor=leader, indicators=[foreign], **TEXTS)
    assert "indicators" in error.value.message_dict


def test_a_stale_edit_is_refused(project, leader):
    publication = publication_save(project=project, actor=leader, publish=True, **TEXTS)
    publication_save(project=project, actor=leader, expected_version=publication.version, **TEXTS)
    with pytest.raises(ValidationError) as error:
        publication_save(
            project=project, actor=leader, expected_version=publication.version, **TEXTS
        )
    assert error.value.code == "stale"
    with pytest.raises(ValidationError):
        publication_unpublish(
            publication=publication, actor=leader, expected_version=publication.version
        )


def test_unpublishing_takes_it_off_at_once(project, leader):
    publication = publication_save(project=project, actor=leader, publish=True, **TEXTS)
    before = results_version()
    publication = publication_unpublish(
        publication=publication, actor=leader, expected_version=publication.version
    )
    assert not publication.is_published
    assert not Publication.objects.published().exists()
    assert results_version() != before
    assert publication.history.count() == 2


@pytest.mark.parametrize(
    "role", ["staff_user", "other_region_leader", "partner_user", "other_clinic_staff"]
)
def test_only_a_steering_leader_may_publish(request, project, role):
    with pytest.raises(PermissionDenied):
        publication_save(project=project, actor=request.getfixturevalue(role), **TEXTS)


def test_the_database_refuses_a_published_result_without_summary(project):
    with pytest.raises(IntegrityError), transaction.atomic():
        Publication.objects.create(project=project, slug="x-1", title="X", is_published=True)
    publication = Publication(project=project, slug="x-1", title="X", summary="", is_published=True)
    with pytest.raises(ValidationError):
        publication.full_clean()
