"""Published results for the tests: written straight to the database (the services have their
own tests)."""

from django.utils import timezone

from results.models import Publication
from results.services.publications import publication_slug


def publication_of(project, *, published=True, indicators=(), **fields):
    fields.setdefault("title", f"Result of {project.title}")
    fields.setdefault("summary", "Patients get an answer the same day.")
    fields.setdefault("patient_change", "Shorter waits for a first assessment.")
    publication = Publication.objects.create(
        project=project,
        slug=publication_slug(fields["title"], project.pk),
        is_published=published,
        published_at=timezone.now() if published else None,
        **fields,
    )
    publication.indicators.set(indicators)
    return publication
