"""Publishing a project's result for citizens: written only here.

Each service checks the rule (``publication_can_manage``) itself, locks the row, refuses a
stale version, records the change in the audit trail (django-simple-history, with the actor)
and moves the public pages' cache version when the public sees something new.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from clinics.access import access_for
from clinics.models import User
from core.concurrency import check_version
from portfolio.models import Project, ValueIndicator

from ..access import publication_can_manage
from ..cache import results_changed
from ..models import Publication

TEXT_FIELDS = (
    "title",
    "summary",
    "summary_sv",
    "summary_da",
    "summary_en",
    "patient_change",
    "patient_change_sv",
    "patient_change_da",
    "patient_change_en",
)


def publication_slug(title: str, project_id: int) -> str:
    """``digital-dental-triage-12``: readable, and unique through the project's id."""
    words = slugify(title)[:60].strip("-") or "result"
    return f"{words}-{project_id}"


def _check_indicators(project: Project, indicators) -> list[ValueIndicator]:
    indicators = list(indicators)
    if any(indicator.project_id != project.pk for indicator in indicators):
        raise ValidationError(
            {"indicators": _("Only the project's own value indicators can be published.")}
        )
    return indicators


@transaction.atomic
def publication_save(
    *,
    project: Project,
    actor: User,
    expected_version=None,
    indicators=(),
    publish: bool = False,
    **fields,
) -> Publication:
    """Write the public result of ``project`` (made on the first save). With ``publish`` it is
    published (again); a published result stays published, and the public sees the change."""
    if not publication_can_manage(access_for(actor), project):
        raise PermissionDenied
    # Lock the project: two leaders saving the first version at once get one publication.
    Project.objects.select_for_update().filter(pk=project.pk).first()
    publication = Publication.objects.select_for_update().filter(project=project).first()
    if publication is None:
        publication = Publication(project=project)
    else:
        check_version(publication, expected_version)
    indicators = _check_indicators(project, indicators)
    for name in TEXT_FIELDS:
        setattr(publication, name, (fields.get(name) or "").strip())
    if not publication.slug:
        publication.slug = publication_slug(publication.title, project.pk)
    was_published = publication.is_published
    if publish and not was_published:
        publication.is_published = True
        publication.published_at = timezone.now()
    if publication.is_published and not publication.summary:
        raise ValidationError({"summary": _("Write a public summary before publishing.")})
    publication.full_clean()
    publication._history_user = actor
    publication.save()
    publication.indicators.set(indicators)
    if publication.is_published or was_published:
        results_changed()
    return publication


@transaction.atomic
def publication_unpublish(
    *, publication: Publication, actor: User, expected_version
) -> Publication:
    """Take the result off the public pages, the feed and the open data, at once."""
    if not publication_can_manage(access_for(actor), publication.project):
        raise PermissionDenied
    current = Publication.objects.select_for_update().get(pk=publication.pk)
    check_version(current, expected_version)
    if current.is_published:
        current.is_published = False
        current.full_clean()
        current._history_user = actor
        current.save()
        results_changed()
    return current
